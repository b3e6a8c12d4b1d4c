import { useState } from "react";
import type { JournalEntry } from "../../../shared/domain/journal.js";
import { sendCommand } from "../live/command.js";
import { dateTime } from "../time.js";
import "../circle/circle.css";

/** Where an entry may be shared: one circle, what it already shows of this person's, and its name. */
export interface ShareTarget {
  circleId: string;
  title: string;
  shared: ReadonlySet<string>;
}

/**
 * [CIR5] A participant's journal entries, newest first, each dated. Sharing one with a circle
 * asks first (everyone in that circle will read it) and can be undone: the circle stops showing
 * it. Used in the circle room and on the journal page.
 */
export function JournalEntries(props: {
  entries: readonly JournalEntry[];
  /** The circle an entry can be shared with, or null where it cannot be shared from here. */
  targetOf: (entry: JournalEntry) => ShareTarget | null;
  empty?: string;
}) {
  const [asking, setAsking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(kind: "journal:share" | "journal:unshare", entryId: string, circleId: string): Promise<void> {
    setBusy(true);
    const ack = await sendCommand(kind, (id) => ({ id, entryId, circleId })).result;
    setBusy(false);
    setError(ack.ok ? null : ack.error.message);
    if (ack.ok) setAsking(null);
  }

  if (props.entries.length === 0) return <p className="muted">{props.empty ?? "No entries yet."}</p>;
  return (
    <>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <ul className="journal-list">
        {[...props.entries].reverse().map((e) => {
          const target = props.targetOf(e);
          const shared = target?.shared.has(e.entryId) ?? false;
          return (
            <li key={e.entryId} data-testid={`journal-entry-${e.entryId}`} data-shared={shared ? "yes" : "no"}>
              <time className="muted small entry-date" dateTime={e.at}>
                {dateTime(e.at)}
              </time>
              <p className="note">{e.text}</p>
              {target && asking === e.entryId && !shared && (
                <div className="share-confirm" role="group" aria-label="Share this entry?">
                  <p>
                    Share this entry with <strong>{target.title}</strong>? Everyone in the circle will be able to read
                    it. You can stop sharing it later.
                  </p>
                  <div className="button-row">
                    <button
                      type="button"
                      className="primary"
                      disabled={busy}
                      onClick={() => void run("journal:share", e.entryId, target.circleId)}
                    >
                      Share it
                    </button>
                    <button type="button" onClick={() => setAsking(null)}>
                      Keep it private
                    </button>
                  </div>
                </div>
              )}
              {target && shared && (
                <p className="entry-actions">
                  <span className="muted small">Shared with {target.title}</span>{" "}
                  <button
                    type="button"
                    className="quiet"
                    disabled={busy}
                    onClick={() => void run("journal:unshare", e.entryId, target.circleId)}
                  >
                    Stop sharing
                  </button>
                </p>
              )}
              {target && !shared && asking !== e.entryId && (
                <button type="button" className="quiet" onClick={() => setAsking(e.entryId)}>
                  Share with the circle…
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

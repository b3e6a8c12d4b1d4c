import { useCallback, useEffect, useState } from "react";
import type { JournalEntry } from "../../../shared/domain/journal.js";
import type { Me } from "../api.js";
import { useCircleRoom } from "../circle/useCircleRoom.js";
import { JournalComposer } from "./JournalComposer.js";
import { JournalEntries, type ShareTarget } from "./JournalEntries.js";
import { useJournal } from "./useJournal.js";
import "../circle/circle.css";
import { PageHeading } from "../PageHeading.js";

/**
 * [CIR5] The participant's journal as a page of its own, outside any circle room: write, read
 * every entry with its date, and share an entry with a circle (asked first) or stop sharing it.
 * Opening this page never counts the reader as in a circle: it follows the circles' streams only
 * for what this person shares there.
 */
export function JournalPage(props: { me: Me }) {
  const { me } = props;
  const journal = useJournal(me.user.id);
  const [shares, setShares] = useState<Record<string, ShareTarget>>({});
  // Newest circle first: an entry written outside any circle is offered to the newest one.
  const circles = me.cohorts.flatMap((c) => c.circles).sort((a, b) => b.startedAt.localeCompare(a.startedAt));

  const onShares = useCallback((t: ShareTarget) => {
    setShares((m) => ({ ...m, [t.circleId]: t }));
  }, []);

  const targetOf = (e: JournalEntry): ShareTarget | null => {
    const where = Object.values(shares).find((t) => t.shared.has(e.entryId));
    if (where) return where;
    const own = e.circleId === null ? undefined : shares[e.circleId];
    if (own) return own;
    const newest = circles[0];
    return newest ? (shares[newest.id] ?? null) : null;
  };

  return (
    <main className="page narrow-page" data-testid="journal-page">
      <PageHeading title="My journal" />
      <p className="muted">
        Private to you. Nobody else sees an entry unless you choose to share it with a circle, and you can stop sharing
        it at any time.
      </p>
      {circles.map((c) => (
        <FollowShares key={c.id} circleId={c.id} meId={me.user.id} onShares={onShares} />
      ))}
      <section className="card" aria-labelledby="journal-new-title">
        <h2 id="journal-new-title">New entry</h2>
        <JournalComposer journal={journal} circleId={null} rows={5} />
      </section>
      <section className="card" aria-labelledby="journal-entries-title" data-testid="journal">
        <h2 id="journal-entries-title">Entries</h2>
        {journal.ready ? (
          <JournalEntries
            entries={journal.state.entries}
            targetOf={targetOf}
            empty="Nothing written yet. What you write here stays yours."
          />
        ) : (
          <p className="muted" role="status">
            Loading your journal…
          </p>
        )}
      </section>
    </main>
  );
}

/** Follows one circle, without taking a seat, for which of this person's entries it shows. */
function FollowShares(props: { circleId: string; meId: string; onShares: (t: ShareTarget) => void }) {
  const { circleId, meId, onShares } = props;
  const room = useCircleRoom(circleId, { present: false });
  const { state } = room;
  const key = state.shared
    .filter((s) => s.userId === meId)
    .map((s) => s.entryId)
    .join(" ");
  useEffect(() => {
    // Only a circle whose agreement this person accepted, and that is still open, takes new shares.
    if (!room.ready || room.needsAgreement || !state.exists) return;
    onShares({ circleId, title: state.title, shared: new Set(key === "" ? [] : key.split(" ")) });
  }, [room.ready, room.needsAgreement, state.exists, state.title, key, circleId, onShares]);
  return null;
}

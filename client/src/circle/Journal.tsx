import { useState } from "react";
import { Link } from "wouter";
import { JournalEntries } from "../journal/JournalEntries.js";
import { useJournal } from "../journal/useJournal.js";
import "./circle.css";

/** [CIR5] The participant's private journal in the circle room; an entry reaches the circle only when they share it. */
export function Journal(props: { circleId: string; circleTitle: string; meId: string; shared: ReadonlySet<string> }) {
  const { circleId, circleTitle, meId, shared } = props;
  const journal = useJournal(meId);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function save(): Promise<void> {
    const err = await journal.write(text, circleId);
    setError(err);
    if (err === null) setText("");
  }

  return (
    <section className="card" aria-labelledby="journal-title" data-testid="journal">
      <h2 id="journal-title">My journal</h2>
      <p className="muted small">
        Private to you. Nobody else sees an entry unless you choose to share it with the circle.{" "}
        <Link href="/journal">Open my journal page</Link>
      </p>
      <textarea
        aria-label="New journal entry"
        rows={4}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
        data-testid="journal-text"
      />
      <button
        type="button"
        className="primary"
        disabled={journal.busy}
        onClick={() => void save()}
        data-testid="journal-save"
      >
        Save to my journal
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <JournalEntries entries={journal.state.entries} targetOf={() => ({ circleId, title: circleTitle, shared })} />
    </section>
  );
}

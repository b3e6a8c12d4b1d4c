import { Link } from "wouter";
import { JournalComposer } from "../journal/JournalComposer.js";
import { JournalEntries } from "../journal/JournalEntries.js";
import { useJournal } from "../journal/useJournal.js";
import "./circle.css";

/** [CIR5] The participant's private journal in the circle room; an entry reaches the circle only when they share it. */
export function Journal(props: { circleId: string; circleTitle: string; meId: string; shared: ReadonlySet<string> }) {
  const { circleId, circleTitle, meId, shared } = props;
  const journal = useJournal(meId);
  return (
    <section className="card" aria-labelledby="journal-title" data-testid="journal">
      <h2 id="journal-title">My journal</h2>
      <p className="muted small">
        Private to you. Nobody else sees an entry unless you choose to share it with the circle.{" "}
        <Link href="/journal">Open my journal page</Link>
      </p>
      <JournalComposer journal={journal} circleId={circleId} rows={4} />
      <JournalEntries entries={journal.state.entries} targetOf={() => ({ circleId, title: circleTitle, shared })} />
    </section>
  );
}

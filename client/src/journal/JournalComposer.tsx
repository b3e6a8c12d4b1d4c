import { useState } from "react";
import type { useJournal } from "./useJournal.js";

/**
 * [CIR5] Writing a new journal entry: the one editor of the circle room's journal card and the
 * journal page. `circleId`: the circle it is written in (offered to that circle for sharing), or
 * null on the journal page.
 */
export function JournalComposer(props: {
  journal: ReturnType<typeof useJournal>;
  circleId: string | null;
  rows: number;
}) {
  const { journal, circleId } = props;
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function save(): Promise<void> {
    const err = await journal.write(text, circleId);
    setError(err);
    if (err === null) setText("");
  }

  return (
    <>
      <textarea
        aria-label="New journal entry"
        rows={props.rows}
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
    </>
  );
}

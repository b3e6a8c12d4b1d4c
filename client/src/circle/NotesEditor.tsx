import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import { NOTES_TEXT } from "../../../shared/domain/notes.js";
import { NotesSync } from "./notesSync.js";
import { applyTextareaChange, shiftIndex } from "./textBinding.js";
import "./circle.css";

/** [CIR4] The circle's shared notes: a textarea bound to one Y.Text that every member edits. */
export function NotesEditor(props: {
  circleId: string;
  locked: boolean;
  canEdit: boolean;
  me: { id: string; name: string };
}) {
  const { circleId } = props;
  // Made in an effect (not a memo) so it is disposed exactly once per mount, StrictMode included.
  const [sync, setSync] = useState<NotesSync | null>(null);
  useEffect(() => {
    const s = new NotesSync(circleId);
    setSync(s);
    return () => {
      setSync(null);
      s.dispose();
    };
  }, [circleId]);
  if (!sync) return <p className="muted">Opening the notes…</p>;
  return <BoundNotes sync={sync} locked={props.locked} canEdit={props.canEdit} me={props.me} />;
}

function BoundNotes(props: { sync: NotesSync; locked: boolean; canEdit: boolean; me: { id: string; name: string } }) {
  const { sync, locked, canEdit, me } = props;
  const ytext = useMemo(() => sync.doc.getText(NOTES_TEXT), [sync]);
  // ytext.toJSON() is the text itself (Y.Text's toString() is the same, but yjs's types leave it out).
  const [value, setValue] = useState(() => ytext.toJSON());
  const [status, setStatus] = useState({ save: sync.save, refusal: sync.refusal });
  const area = useRef<HTMLTextAreaElement>(null);
  const editors = useAwarenessNames(sync, me.id);

  useEffect(() => {
    sync.onStatus = () => {
      setStatus({ save: sync.save, refusal: sync.refusal });
    };
    sync.awareness.setLocalStateField("user", { id: me.id, name: me.name, typing: false });
    // Remote edits: new text, and the caret kept where it was relative to the text around it.
    const observer = (e: Y.YTextEvent, tr: Y.Transaction): void => {
      const el = area.current;
      const text = ytext.toJSON();
      if (tr.local || !el || document.activeElement !== el) {
        setValue(text);
        return;
      }
      const delta = e.delta;
      const [start, end] = [shiftIndex(delta, el.selectionStart), shiftIndex(delta, el.selectionEnd)];
      el.value = text;
      el.setSelectionRange(start, end);
      setValue(text);
    };
    ytext.observe(observer);
    setValue(ytext.toJSON());
    return () => {
      ytext.unobserve(observer);
    };
  }, [sync, ytext, me.id, me.name]);

  const readOnly = locked || !canEdit;
  return (
    <section className="card notes" aria-labelledby="notes-title" data-testid="notes">
      <div className="notes-head">
        <h2 id="notes-title">Shared circle notes</h2>
        <span
          className="muted small"
          role="status"
          data-testid="notes-status"
          data-state={locked ? "locked" : status.save}
        >
          {locked
            ? "Locked by a facilitator"
            : status.save === "saving"
              ? "Saving…"
              : status.save === "refused"
                ? (status.refusal ?? "Not saved")
                : "Saved"}
        </span>
      </div>
      <p className="muted small" data-testid="notes-editors">
        {editors.length ? `Also here: ${editors.join(", ")}` : "Everyone in the circle can write here."}
      </p>
      <textarea
        ref={area}
        className="notes-area"
        aria-label="Shared circle notes"
        data-testid="notes-text"
        value={value}
        readOnly={readOnly}
        rows={10}
        onChange={(e) => {
          const next = e.target.value;
          applyTextareaChange(ytext, ytext.toJSON(), next);
          setValue(next);
        }}
        onFocus={() => {
          sync.awareness.setLocalStateField("user", { id: me.id, name: me.name, typing: true });
        }}
        onBlur={() => {
          sync.awareness.setLocalStateField("user", { id: me.id, name: me.name, typing: false });
        }}
      />
    </section>
  );
}

/** Names of the others whose cursor is in the notes now (ephemeral awareness). */
function useAwarenessNames(sync: NotesSync, myId: string): string[] {
  const subscribe = useMemo(
    () => (l: () => void) => {
      sync.awareness.on("change", l);
      return () => {
        sync.awareness.off("change", l);
      };
    },
    [sync],
  );
  const key = useSyncExternalStore(subscribe, () => {
    const names: string[] = [];
    for (const st of sync.awareness.getStates().values()) {
      const u: unknown = st["user"];
      if (
        typeof u === "object" &&
        u !== null &&
        "id" in u &&
        "name" in u &&
        "typing" in u &&
        u.id !== myId &&
        u.typing === true &&
        typeof u.name === "string"
      )
        names.push(u.name);
    }
    return [...new Set(names)].sort().join("\u0000");
  });
  return key ? key.split("\u0000") : [];
}

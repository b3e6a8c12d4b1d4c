import { useEffect, useRef } from "react";
import { useCohortStream } from "./useCohortStream.js";

/**
 * Calls `onChange` whenever the cohort's stream moves. A participant sees schedule events only as
 * hidden positions [AC3], but a position is enough to know it is time to re-read what is theirs.
 */
export function CohortWatch(props: { cohortId: string; onChange: () => void }) {
  const { state } = useCohortStream(props.cohortId);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  // The seq last answered, not a "first run" flag: StrictMode runs the effect twice on mount,
  // and the second run must not count as a move.
  const seen = useRef(state.seq);
  useEffect(() => {
    if (seen.current === state.seq) return;
    seen.current = state.seq;
    onChange.current();
  }, [state.seq]);
  return null;
}

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
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    onChange.current();
  }, [state.seq]);
  return null;
}

import { useEffect, useState } from "react";
import type { RuleProfile } from "../../../shared/profiles/index.js";
import type { ReadinessView, ReleaseView } from "../../../shared/protocol/live.js";
import { request } from "../live/command.js";

export interface LiveContextView {
  profile: RuleProfile | null;
  readiness: Record<string, ReadinessView>;
  /** [LIVE10][LIVE2] The plan on file and returning-client history, per participant. */
  release: Record<string, ReleaseView>;
}

/**
 * Staff only: the program's rule profile (numbers for ratio, earliest release, look-in), each
 * participant's readiness [RDY1], and what their release is checked against [LIVE10][LIVE2]. Asked again whenever the room (re)joins or the log moves past
 * an admission, since readiness lives in the cohort's log, not the session's.
 */
export function useLiveContext(sessionId: string, enabled: boolean, refreshKey: number): LiveContextView {
  const [view, setView] = useState<LiveContextView>({ profile: null, readiness: {}, release: {} });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    request("live:context", { sessionId })
      .then((r) => {
        if (!cancelled && r.ok)
          setView({ profile: r.data.profile, readiness: r.data.readiness, release: r.data.release });
      })
      .catch(() => undefined); // the next join or refresh asks again
    return () => {
      cancelled = true;
    };
  }, [sessionId, enabled, refreshKey]);
  return view;
}

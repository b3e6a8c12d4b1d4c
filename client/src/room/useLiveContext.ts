import { useEffect, useState } from "react";
import type { RuleProfile } from "../../../shared/profiles/index.js";
import type { ReadinessView } from "../../../shared/protocol/live.js";
import { request } from "../live/command.js";

export interface LiveContextView {
  profile: RuleProfile | null;
  readiness: Record<string, ReadinessView>;
}

/**
 * Staff only: the program's rule profile (numbers for ratio, earliest release, look-in) and each
 * participant's readiness [RDY1]. Asked again whenever the room (re)joins or the log moves past
 * an admission, since readiness lives in the cohort's log, not the session's.
 */
export function useLiveContext(sessionId: string, enabled: boolean, refreshKey: number): LiveContextView {
  const [view, setView] = useState<LiveContextView>({ profile: null, readiness: {} });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    request("live:context", { sessionId })
      .then((r) => {
        if (!cancelled && r.ok) setView({ profile: r.data.profile, readiness: r.data.readiness });
      })
      .catch(() => undefined); // the next join or refresh asks again
    return () => {
      cancelled = true;
    };
  }, [sessionId, enabled, refreshKey]);
  return view;
}

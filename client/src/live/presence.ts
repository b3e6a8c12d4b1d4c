import { useEffect, useState } from "react";
import type { ClientPresence } from "../../../shared/protocol/presence.js";

/** [PR2] Idle this long counts as away. */
export const IDLE_MS = 2 * 60 * 1000;

const ACTIVITY = ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "scroll"] as const;

/**
 * [PR2] What this tab says about its person: `away` while the tab is hidden or nobody has
 * touched it for 2 minutes, `online` otherwise. The server folds tabs into one state [PR1].
 */
export function useOwnPresence(): ClientPresence {
  const [presence, setPresence] = useState<ClientPresence>(() =>
    document.visibilityState === "hidden" ? "away" : "online",
  );

  useEffect(() => {
    let lastActivity = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;

    function update(): void {
      const now = Date.now();
      const next = document.visibilityState === "hidden" || now - lastActivity >= IDLE_MS ? "away" : "online";
      setPresence(next); // React skips the render when the value did not change
      clearTimeout(timer);
      // Wake up exactly when the idle limit would pass, not on a polling beat.
      if (next === "online") timer = setTimeout(update, IDLE_MS - (now - lastActivity) + 50);
    }
    function onActivity(): void {
      const wasIdle = Date.now() - lastActivity >= IDLE_MS;
      lastActivity = Date.now();
      if (wasIdle) update();
    }

    // Coming back to the tab is itself a sign of someone there.
    function onVisibility(): void {
      if (document.visibilityState === "visible") lastActivity = Date.now();
      update();
    }

    update();
    document.addEventListener("visibilitychange", onVisibility);
    for (const name of ACTIVITY) window.addEventListener(name, onActivity, { passive: true, capture: true });
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
      for (const name of ACTIVITY) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, []);

  return presence;
}

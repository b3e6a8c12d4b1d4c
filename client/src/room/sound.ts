import { useEffect, useSyncExternalStore } from "react";

/**
 * [LIVE6] An audible cue for pending alerts. Browsers only let a page make sound after a user
 * gesture, so the facilitator turns it on once ("Enable sound"); the AudioContext made in that
 * click is kept for the tab's life.
 */
let ctx: AudioContext | null = null;
const listeners = new Set<() => void>();

export function enableSound(): void {
  ctx ??= new AudioContext();
  void ctx.resume();
  beep(660, 0.15);
  for (const l of listeners) l();
}

export function useSoundEnabled(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => ctx !== null && ctx.state !== "closed",
  );
}

/** A soft two-tone chime, not a siren: people in the room are in an altered state. */
export function beep(freq = 880, seconds = 0.25): void {
  if (!ctx) return;
  const now = ctx.currentTime;
  for (const [i, f] of [freq, freq * 0.75].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = f;
    const start = now + i * (seconds + 0.05);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + seconds + 0.05);
  }
}

/**
 * Chime while anything is pending: at once whenever the set of pending alerts changes (a new one,
 * or a different one after a reconnect's sync), then every few seconds. An escalated alert
 * (nobody answered for 15 s) chimes higher and twice as often [LIVE6].
 */
export function useAlertSound(pendingIds: readonly string[], escalated = false): void {
  const key = pendingIds.join("|");
  const everyMs = escalated ? 2000 : 4000;
  const freq = escalated ? 1100 : 880;
  useEffect(() => {
    if (key === "") return;
    beep(freq);
    const t = setInterval(() => {
      beep(freq);
    }, everyMs);
    return () => {
      clearInterval(t);
    };
  }, [key, everyMs, freq]);
}

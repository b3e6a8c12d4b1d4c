import { useEffect, useSyncExternalStore } from "react";

/**
 * [LIVE6] An audible cue for pending alerts. The choice (on or off) is kept in localStorage, so a
 * reload does not silence a facilitator who turned it on. Browsers let a page make sound only
 * after a click on it (autoplay policy): after a reload with sound chosen, the AudioContext starts
 * suspended, and the first click anywhere on the page — or the one prompt SoundControl shows —
 * resumes it. The context is kept for the tab's life.
 */
const KEY = "holdspace:alert-sound";
let ctx: AudioContext | null = null;
const listeners = new Set<() => void>();
/** Who currently has an alert waiting (the room's panel, the notices): the prompt is urgent then. */
const waiting = new Set<string>();

/** `on`: it sounds. `blocked`: chosen, but the browser waits for a click. `off`: not chosen. */
export type SoundState = "on" | "blocked" | "off";

function chosen(): boolean {
  try {
    return localStorage.getItem(KEY) === "on";
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, "on");
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the choice lasts this tab only.
  }
}

function changed(): void {
  for (const l of listeners) l();
}

function context(): AudioContext {
  if (ctx === null) {
    ctx = new AudioContext();
    ctx.onstatechange = changed;
  }
  return ctx;
}

/** After a reload with sound chosen: make the context now, and resume it on the first click or key. */
function restore(): void {
  if (typeof window === "undefined" || !chosen()) return;
  void context()
    .resume()
    .catch(() => undefined);
  const wake = (): void => {
    if (chosen() && ctx?.state === "suspended") void ctx.resume();
  };
  window.addEventListener("pointerdown", wake, { capture: true });
  window.addEventListener("keydown", wake, { capture: true });
}
restore();

/** Turn the sound on (inside a click, so the browser allows it) and remember the choice. */
export function enableSound(): void {
  remember(true);
  void context().resume();
  beep(660, 0.15);
  changed();
}

/** Turn it off and remember that; the context stays, suspended. */
export function disableSound(): void {
  remember(false);
  void ctx?.suspend();
  changed();
}

function soundState(): SoundState {
  if (!chosen()) return "off";
  return ctx !== null && ctx.state === "running" ? "on" : "blocked";
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSoundState(): SoundState {
  return useSyncExternalStore(subscribe, soundState);
}

export function useSoundEnabled(): boolean {
  return useSoundState() === "on";
}

/** Whether any part of the screen has an alert waiting (SoundControl's prompt is urgent then). */
export function useAnythingWaiting(): boolean {
  return useSyncExternalStore(subscribe, () => waiting.size > 0);
}

/** A soft two-tone chime, not a siren: people in the room are in an altered state. */
export function beep(freq = 880, seconds = 0.25): void {
  if (!ctx || soundState() !== "on") return;
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

/** Tell the sound control that `source` has alerts waiting (or no longer has). */
export function useWaiting(source: string, any: boolean): void {
  useEffect(() => {
    if (!any) return;
    waiting.add(source);
    changed();
    return () => {
      waiting.delete(source);
      changed();
    };
  }, [source, any]);
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
  useWaiting("room", key !== "");
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

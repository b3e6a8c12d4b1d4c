import { useSyncExternalStore } from "react";

/**
 * The app's one way to tell a screen-reader user that something happened: components call
 * `announce(sentence)`; `<LiveRegion/>`, rendered once in the Shell, speaks it. One sentence per
 * event, never a whole list re-read on every push. Support requests and escalations interrupt
 * (`assertive`); everything else waits for a pause (`polite`).
 */
export type Politeness = "polite" | "assertive";

interface Spoken {
  text: string;
  /** Bumped on each announcement, so the same sentence twice is read twice. */
  n: number;
}

const regions: Record<Politeness, Spoken> = { polite: { text: "", n: 0 }, assertive: { text: "", n: 0 } };
const listeners = new Set<() => void>();
/** Keys already announced in this tab: a re-render, a StrictMode double effect or a re-sent push says nothing new. */
const said = new Set<string>();

/** Speak `text`; with `key`, only the first time that key is announced in this tab. */
export function announce(text: string, politeness: Politeness = "polite", key?: string): void {
  if (key !== undefined) {
    if (said.has(key)) return;
    said.add(key);
  }
  const prev = regions[politeness];
  regions[politeness] = { text, n: prev.n + 1 };
  for (const l of listeners) l();
}

export function useAnnouncement(politeness: Politeness): Spoken {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => regions[politeness],
  );
}

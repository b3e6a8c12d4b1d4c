import { useEffect, useSyncExternalStore } from "react";

/**
 * What signing out would cost right now, said by the live room that is open (or null): a
 * participant in a live session would lose "I need support", a facilitator their alerts. The
 * header's sign-out asks first while this is set. One value for the tab: one room is open at a time.
 */
let warning: string | null = null;
const listeners = new Set<() => void>();

function set(next: string | null): void {
  warning = next;
  for (const l of listeners) l();
}

/** A live room says what signing out would cost while it is mounted (null: nothing). */
export function useSignOutGuard(message: string | null): void {
  useEffect(() => {
    set(message);
    return () => {
      set(null);
    };
  }, [message]);
}

/** The header reads it. */
export function useSignOutWarning(): string | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => warning,
  );
}

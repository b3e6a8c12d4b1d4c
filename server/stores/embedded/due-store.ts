import type { DueStore } from "../types.js";

/**
 * The due index in memory: one process, and not truth (the log is), so it is not journaled —
 * at start every listed session is scheduled again (app.ts).
 */
export class EmbeddedDueStore implements DueStore {
  private readonly entries = new Map<string, number>();

  async schedule(id: string, at: number): Promise<void> {
    const t = Math.floor(at);
    const current = this.entries.get(id);
    if (current === undefined || t < current) this.entries.set(id, t);
  }

  async due(now: number, limit: number): Promise<{ id: string; at: number }[]> {
    return [...this.entries]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, Math.max(1, Math.floor(limit)))
      .map(([id, at]) => ({ id, at }));
  }

  async reschedule(id: string, from: number, to: number | null): Promise<boolean> {
    if (this.entries.get(id) !== Math.floor(from)) return false;
    if (to === null) this.entries.delete(id);
    else this.entries.set(id, Math.floor(to));
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

/**
 * Operational log lines as JSON. [REC3] Callers pass only operational facts (ids, counts, codes,
 * durations) — never names, notes, answers or vitals; `fields` values are restricted to
 * identifiers and numbers by type so clinical text cannot slip in as a string by accident.
 */
export type LogValue = number | boolean | null | { id: string };

export interface Logger {
  info(msg: string, fields?: Record<string, LogValue>): void;
  warn(msg: string, fields?: Record<string, LogValue>): void;
  error(msg: string, fields?: Record<string, LogValue>): void;
}

function flatten(fields: Record<string, LogValue> | undefined): Record<string, number | boolean | string | null> {
  const out: Record<string, number | boolean | string | null> = {};
  for (const [k, v] of Object.entries(fields ?? {})) out[k] = v !== null && typeof v === "object" ? v.id : v;
  return out;
}

export function createLogger(
  nodeId: string,
  write: (line: string) => void = (l) => process.stderr.write(l + "\n"),
): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, LogValue>) =>
    write(JSON.stringify({ t: new Date().toISOString(), level, node: nodeId, msg, ...flatten(fields) }));
  return {
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Error text without stack or payloads: the class name and our own code if any. */
export function errorKind(err: unknown): { id: string } {
  if (err instanceof Error) return { id: err.name };
  return { id: typeof err };
}

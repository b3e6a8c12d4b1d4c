import { z } from "zod";

/**
 * The messages between the bench (tests/bench/run.ts) and its load generator process
 * (tests/bench/generator.ts) over the Node IPC channel. Both sides parse what they receive.
 */

export const Group = z.enum(["main", "burst"]);
export type Group = z.infer<typeof Group>;

export const Person = z.object({
  email: z.string(),
  role: z.enum(["participant", "facilitator"]),
  /** Room index into `Setup.rooms`. */
  room: z.number().int().min(0),
  /** Which node of the target this person connects to: `urls[slot % urls.length]`. */
  slot: z.number().int().min(0),
});
export type Person = z.infer<typeof Person>;

export const Room = z.object({ sessionId: z.string(), cohortId: z.string(), group: Group });
export type Room = z.infer<typeof Room>;

const Counts = z.record(z.string(), z.number());

export const Request = z.discriminatedUnion("type", [
  /** Holdspace people sign in over HTTP; relay people just connect. */
  z.object({
    type: z.literal("setup"),
    mode: z.enum(["relay", "holdspace"]),
    urls: z.array(z.string()).min(1),
    password: z.string(),
    rooms: z.array(Room),
    people: z.array(Person),
  }),
  /** Connect the people of these groups and join each to their room (on `urls` when the servers were restarted). */
  z.object({ type: z.literal("connect"), groups: z.array(Group), urls: z.array(z.string()).min(1).optional() }),
  /** Open-loop check-ins from the main rooms' participants at `rate` per second for `durationMs`. */
  z.object({
    type: z.literal("step"),
    label: z.string(),
    rate: z.number().positive(),
    durationMs: z.number().int().positive(),
  }),
  /** Every participant of the burst room sends a check-in in the same tick, `rounds` times. */
  z.object({ type: z.literal("burst"), rounds: z.number().int().positive() }),
  /** Facilitators open extra (empty) sessions so `count` more sessions are open. */
  z.object({ type: z.literal("open"), count: z.number().int().min(0) }),
  /** Check-ins into the burst room until `events` were acknowledged (closed loop, each phone under its rate limit). */
  z.object({ type: z.literal("fill"), events: z.number().int().positive() }),
  /** Totals over everything sent so far: lost and duplicated deliveries. */
  z.object({ type: z.literal("finish") }),
  /** Close every socket (before the servers restart). */
  z.object({ type: z.literal("close") }),
  /** Fresh facilitator sockets join the burst room (now with a long history) one after another on the given nodes. */
  z.object({ type: z.literal("joins"), urls: z.array(z.string()).min(1), count: z.number().int().positive() }),
]);
export type Request = z.infer<typeof Request>;

export const Envelope = z.object({ n: z.number().int(), request: Request });
export type Envelope = z.infer<typeof Envelope>;

export const Dist = z.object({
  n: z.number(),
  p50: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});
export type Dist = z.infer<typeof Dist>;

export const SetupResult = z.object({ signedIn: z.number(), signInMs: Dist });
export const ConnectResult = z.object({
  sockets: z.number(),
  joinMs: Dist,
  joinErrors: Counts,
  joinFailed: z.number(),
});

export const StepResult = z.object({
  label: z.string(),
  rate: z.number(),
  durationMs: z.number(),
  wallMs: z.number(),
  sent: z.number(),
  acked: z.number(),
  /** Check-ins never acknowledged ok after every retry. */
  failed: z.number(),
  retries: z.number(),
  errors: Counts,
  expectedDeliveries: z.number(),
  deliveries: z.number(),
  lost: z.number(),
  dup: z.number(),
  /** Check-in → each facilitator, ms in the generator's clock; a missing delivery counts as infinite (p99 null). */
  latency: Dist,
  ack: Dist,
  sendRate: z.number(),
  deliveriesPerSec: z.number(),
  genCpuPct: z.number(),
  genLoopDelayP99Ms: z.number(),
});
export type StepResult = z.infer<typeof StepResult>;

export const BurstRound = z.object({
  conflicts: z.number(),
  errors: Counts,
  failed: z.number(),
  allSeenMs: z.number().nullable(),
  ack: Dist,
  lost: z.number(),
  dup: z.number(),
});
export const BurstResult = z.object({ size: z.number(), rounds: z.array(BurstRound) });
export type BurstResult = z.infer<typeof BurstResult>;

export const OpenResult = z.object({ opened: z.number(), errors: Counts });
export const FillResult = z.object({ acked: z.number(), wallMs: z.number(), errors: Counts });
const Late = z.object({ lost: z.number(), dup: z.number(), unackedDelivered: z.number() });
export const FinishResult = z.object({
  checkins: z.number(),
  expectedDeliveries: z.number(),
  lost: z.number(),
  dup: z.number(),
  /** Check-ins never acknowledged ok that still reached a facilitator (the server finished them after the phone gave up). */
  unackedDelivered: z.number(),
  /** The same counts per phase (step label, burst round, fill), including deliveries that came after the phase's drain. */
  byPhase: z.record(z.string(), Late),
});
export type FinishResult = z.infer<typeof FinishResult>;
export const JoinsResult = z.object({
  joinMs: z.array(z.number()),
  catchupMs: z.array(z.number()),
  events: z.array(z.number()),
  errors: Counts,
});
export type JoinsResult = z.infer<typeof JoinsResult>;

export const Reply = z.object({
  n: z.number().int(),
  ok: z.boolean(),
  result: z.unknown(),
  error: z.string().optional(),
});
export type Reply = z.infer<typeof Reply>;

/** Nearest-rank percentiles; `Infinity` entries (missing deliveries) make a percentile null. */
export function dist(values: readonly number[]): Dist {
  if (values.length === 0) return { n: 0, p50: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number | null => {
    const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    return v === undefined || !Number.isFinite(v) ? null : round(v);
  };
  return { n: values.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

export function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

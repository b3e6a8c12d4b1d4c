import { randomUUID } from "node:crypto";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import type { KvStore } from "../stores/types.js";

const TTL_MS = 10_000;
const WAIT_MS = 5_000;

/**
 * [SCH4] Scheduling reads every cohort of the program and appends to one of them; two admins
 * booking the same facilitator into two cohorts at the same instant would each pass the check.
 * A short per-program lock in the shared KV (so it holds across nodes) serializes those
 * check-and-append steps. The TTL only matters if a node dies holding it.
 */
export async function withProgramLock<T>(kv: KvStore, programId: string, fn: () => Promise<T>): Promise<T> {
  const key = `lock:schedule:${programId}`;
  const me = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  while (!(await kv.set(key, me, { nx: true, ttlMs: TTL_MS }))) {
    if (Date.now() > deadline)
      throw new AppError(
        ErrorCode.CONFLICT,
        "Someone else is changing this program's schedule right now. Please try again.",
      );
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
  }
  try {
    return await fn();
  } finally {
    // Release only our own hold (it may have lapsed and been taken by another node meanwhile).
    if ((await kv.get(key)) === me) await kv.del(key);
  }
}

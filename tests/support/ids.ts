import { randomUUID } from "node:crypto";

/** A Redis key prefix no other test shares. */
export function freshPrefix(label = "t"): string {
  return `hs-test:${label}:${randomUUID().slice(0, 8)}:`;
}

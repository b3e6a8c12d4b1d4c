/**
 * [CIR3] Clock offset, NTP-style: each sample is (sent, serverTime, received) on the client's
 * clock; the sample with the smallest round trip bounds the error best, and the server's reading
 * is taken to be from the middle of that round trip.
 */
export interface TimeSample {
  sentMs: number;
  serverMs: number;
  receivedMs: number;
}

export function estimateOffset(samples: readonly TimeSample[]): { offsetMs: number; rttMs: number } | null {
  let best: TimeSample | null = null;
  for (const s of samples) {
    if (s.receivedMs < s.sentMs) continue;
    if (best === null || s.receivedMs - s.sentMs < best.receivedMs - best.sentMs) best = s;
  }
  if (best === null) return null;
  const rtt = best.receivedMs - best.sentMs;
  return { offsetMs: best.serverMs - (best.sentMs + rtt / 2), rttMs: rtt };
}

/** Whole seconds for a countdown: "4:05", or "+0:12" in overtime. */
export function formatRemaining(ms: number): string {
  const over = ms < 0;
  const total = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${over ? "+" : ""}${m}:${String(s).padStart(2, "0")}`;
}

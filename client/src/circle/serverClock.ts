import { useEffect, useSyncExternalStore } from "react";
import { estimateOffset, type TimeSample } from "../../../shared/domain/circle-time.js";
import { request } from "../live/command.js";
import { getSocket, serverNow } from "../live/socket.js";

/**
 * [CIR3] The server's clock for countdowns: a few `time:ping`s on each connect, offset from the
 * sample with the smallest round trip (NTP-style). Until then, the `hello` estimate is used.
 */
let offsetMs: number | null = null;
const listeners = new Set<() => void>();
const PINGS = 5;

async function measure(): Promise<void> {
  const samples: TimeSample[] = [];
  for (let i = 0; i < PINGS; i++) {
    const sentMs = Date.now();
    const ack = await request("time:ping", {}, 3000).catch(() => null);
    const receivedMs = Date.now();
    if (ack?.ok) samples.push({ sentMs, serverMs: ack.data.serverTime, receivedMs });
  }
  const est = estimateOffset(samples);
  if (est) {
    offsetMs = est.offsetMs;
    for (const l of listeners) l();
  }
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Now on the server's clock, ms. */
export function circleNow(): number {
  return offsetMs === null ? serverNow() : Date.now() + offsetMs;
}

/** Keep the offset measured while a circle room is open; returns the current offset (for display/tests). */
export function useServerClock(): number | null {
  useEffect(() => {
    const socket = getSocket();
    const onConnect = (): void => void measure();
    socket.on("connect", onConnect);
    if (socket.connected) void measure();
    return () => {
      socket.off("connect", onConnect);
    };
  }, []);
  return useSyncExternalStore(subscribe, () => offsetMs);
}

import webpush from "web-push";
import type { PushPayload } from "../../shared/protocol/push.js";
import { endpointAllowed, type EndpointRule } from "./endpoint-rule.js";
import type { StoredSubscription } from "./subscriptions.js";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:` — who push services contact about this sender. */
  subject: string;
}

/** What became of one send. `gone`: the push service no longer knows the device (404/410). */
export type SendOutcome = "sent" | "gone" | "refused" | "failed";

/** A push service that does not answer in this long is given up on; the alert is in the log anyway. */
const SEND_TIMEOUT_MS = 5_000;
/** A support alert is worth nothing hours later: push services may drop it after 10 minutes. */
const TTL_SECONDS = 600;

/**
 * One Web Push message: `web-push` encrypts the payload (aes128gcm, RFC 8291) and signs the
 * VAPID header; the request itself is ours, so it never follows a redirect (the endpoint rule
 * would be worthless if a push service could bounce it to an internal host), has a deadline,
 * and works against the local test push service on plain http.
 */
export async function sendPush(
  sub: StoredSubscription,
  payload: PushPayload,
  vapid: VapidKeys,
  rule: EndpointRule,
): Promise<SendOutcome> {
  if (!endpointAllowed(sub.endpoint, rule)) return "refused";
  const req = webpush.generateRequestDetails(sub, JSON.stringify(payload), {
    vapidDetails: vapid,
    TTL: TTL_SECONDS,
    urgency: "high",
    contentEncoding: "aes128gcm",
  });
  try {
    const res = await fetch(req.endpoint, {
      method: req.method,
      headers: req.headers,
      // A copy on its own ArrayBuffer: what fetch's BodyInit accepts.
      body: Uint8Array.from(req.body),
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    // The body is not ours to read (and may be large); release the connection.
    await res.body?.cancel();
    if (res.status === 404 || res.status === 410) return "gone";
    return res.status >= 200 && res.status < 300 ? "sent" : "failed";
  } catch {
    return "failed";
  }
}

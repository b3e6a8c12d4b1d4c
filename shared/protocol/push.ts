import { z } from "zod";
import { singleLine } from "./text.js";

/**
 * Web Push (issue 11): staff learn of a new or escalated alert while the tab is hidden or the
 * screen is off. The HTTP contract of /api/push/* and the payload the service worker shows.
 */

/** base64url without padding, as `PushSubscription.toJSON()` gives its keys (padding tolerated). */
const base64url = (bytes: number) => {
  const chars = Math.ceil((bytes * 4) / 3);
  return z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}={0,2}$`), `must be ${bytes} bytes of base64url`);
};

/**
 * A browser's push subscription (`subscription.toJSON()`). p256dh is an uncompressed P-256 point
 * (65 bytes, first byte 0x04, so its base64url starts with "B"); auth is a 16-byte secret.
 * Where the server may send to is decided on the server (server/push/endpoint-rule.ts), not here.
 */
export const PushSubscriptionBody = z.strictObject({
  endpoint: singleLine().url().max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: base64url(65).refine((k) => k.startsWith("B"), "must be an uncompressed P-256 public key"),
    auth: base64url(16),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** Forget one device: the endpoint its browser gave. */
export const PushUnsubscribeBody = z.strictObject({ endpoint: singleLine().url().max(2048) });

/** GET /api/push/config: the VAPID public key, or null when Web Push is not configured. */
export const PushConfigReply = z.object({ publicKey: z.string().nullable() });
export type PushConfigReply = z.infer<typeof PushConfigReply>;

/**
 * What a lock screen shows [LIVE6][REC3]: it is seen by others in the room, so it names no
 * participant, no session title and no clinical detail (no vitals, no check-in text) — only that
 * Holdspace needs the person, and where to go. `tag` is the alert's id, so an escalation replaces
 * the first notification instead of stacking beside it.
 */
export const PushPayload = z.object({
  title: z.string(),
  body: z.string(),
  /** A path of this site: the session screen. */
  url: z.string().startsWith("/"),
  tag: z.string(),
  /** Support and other alerts stay on screen until dismissed. */
  requireInteraction: z.boolean(),
});
export type PushPayload = z.infer<typeof PushPayload>;

import { z } from "zod";
import { PushConfigReply, PushSubscriptionBody } from "../../../shared/protocol/push.js";
import { http } from "../admin/http.js";
import { existingRegistration } from "./worker.js";

/** A VAPID public key (base64url) as the bytes `pushManager.subscribe` wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (a === null || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  return x.every((v, i) => v === b[i]);
}

export type PushSetup = "subscribed" | "off" | "failed";

/**
 * Web Push for this device, when the server has VAPID keys: subscribe (or reuse the browser's
 * subscription when it was made with the same key) and post it. Posted again at every start, so
 * a registration the server lost, or one another person's sign-in on this browser took over,
 * heals itself. "off": the server has no Web Push; the hidden-tab path (hidden.ts) still works.
 */
export async function subscribePush(reg: ServiceWorkerRegistration): Promise<PushSetup> {
  if (!("pushManager" in reg)) return "off";
  const config = await http("GET", "/api/push/config", PushConfigReply);
  if (!config.ok) return "failed";
  if (config.data.publicKey === null) return "off";
  const key = keyBytes(config.data.publicKey);
  try {
    let sub = await reg.pushManager.getSubscription();
    if (sub !== null && !sameKey(sub.options.applicationServerKey, key)) {
      // Made with keys the server no longer has: its pushes would be refused.
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const body = PushSubscriptionBody.safeParse(sub.toJSON());
    if (!body.success) return "failed";
    const posted = await http("POST", "/api/push/subscriptions", z.unknown(), body.data);
    return posted.ok ? "subscribed" : "failed";
  } catch {
    // No push service (a headless or de-Googled browser): notifications still come from the open tab.
    return "failed";
  }
}

/**
 * At sign-out, before the session ends: this device stops receiving the person's alerts and
 * their notifications leave the screen (a shared laptop must not show the next person them).
 */
export async function forgetPush(): Promise<void> {
  try {
    const reg = await existingRegistration();
    if (reg === null) return;
    for (const n of await reg.getNotifications()) n.close();
    if (!("pushManager" in reg)) return;
    const sub = await reg.pushManager.getSubscription();
    if (sub === null) return;
    await http("DELETE", "/api/push/subscriptions", z.unknown(), { endpoint: sub.endpoint });
    await sub.unsubscribe();
  } catch {
    // Signing out never waits on this: the next person's registration takes the device over.
  }
}

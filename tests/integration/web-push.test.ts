import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import webpush from "web-push";
import { DEFAULT_PUSH_HOSTS } from "../../server/push/endpoint-rule.js";
import { mainCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { ClientPool } from "../support/pool.js";
import { LocalPushService } from "../support/push-service.js";
import { Http, errorOf } from "./admin-support.js";

const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.test" };

/**
 * Web Push of alerts (issue 11) against a local push service that decrypts what it receives
 * (tests/support/push-service.ts), with one node on a real Redis and a moved clock.
 */
describe("web push of alerts to staff devices", () => {
  let node: Running & { tag: string };
  let clock: ManualClock;
  let service: LocalPushService;
  let prefix: string;
  const pool = new ClientPool(() => node);

  beforeEach(async () => {
    clock = new ManualClock();
    service = await LocalPushService.start();
    prefix = freshPrefix("push");
    node = await startApp("redis", {
      clock,
      prefix,
      push: { vapid, rule: { hosts: DEFAULT_PUSH_HOSTS, allowLocal: true } },
    });
  });
  afterEach(async () => {
    pool.closeAll();
    await node.stop();
    await service.stop();
  });

  const sessionId = () => `live-${node.tag}`;
  const person = (key: string) => {
    const p = mainCohort(node.tag).people.find((x) => x.key === key);
    if (!p) throw new Error(`no ${key}`);
    return p;
  };
  const idOf = async (key: string) => (await node.app.services.users.byEmail(person(key).email))?.id ?? "";
  /** A signed-in person registers one new device; returns the device's name at the push service. */
  const register = async (key: string): Promise<string> => {
    const d = service.device();
    const r = await (await Http.as(node.url, node.tag, key)).call("POST", "/api/push/subscriptions", d.subscription);
    expect(r.status).toBe(201);
    return d.name;
  };
  /** A participant asks for support with a need_support check-in carrying private words. */
  const needSupport = async (text: string) => {
    const p1 = await pool.connect("p1");
    return p1.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "need_support",
      text,
    });
  };

  it("[OUT2][REC3] a PHQ-9 safety answer, with no session involved, pushes the facilitators' devices a generic payload that links the cohort's answers, and the admin's when it escalates", async () => {
    const [fac1, admin] = [await register("fac1"), await register("admin")];
    const p1 = await pool.connect("p1");
    const id = randomUUID();
    await p1.ok("outcome:submit", {
      id,
      cohortId: `cohort-${node.tag}`,
      visitId: "baseline",
      instrument: "phq9",
      answers: [3, 3, 2, 2, 1, 1, 0, 0, 2],
    });
    await service.until(() => service.to(fac1).length > 0, 10_000, "the facilitator's device");
    await node.app.push.settled();
    expect(service.to(fac1)[0]?.payload).toEqual({
      title: "Holdspace: a participant may need support",
      body: "A questionnaire answer needs a facilitator's attention — open Holdspace",
      url: `/cohort/cohort-${node.tag}/outcomes`,
      tag: `$selfharm:${id}`,
      requireInteraction: true,
    });
    expect(service.to(admin)).toEqual([]);
    clock.advance(15_000);
    await node.app.tick();
    await service.until(() => service.to(admin).length > 0, 10_000, "the admin's device after the escalation");
    await node.app.push.settled();
    // Nothing of who, what was answered, or the score on a lock screen.
    for (const r of service.received)
      // (Words, not the total: a number could appear by chance in the alert id's random tail.)
      for (const secretPart of [person("p1").name, await idOf("p1"), "PHQ", "better off dead", "Moderate", "Several"])
        expect(r.text).not.toContain(secretPart);
  });

  it("[LIVE6][REC3] a need_support check-in pushes every facilitator's device a generic payload: the session's URL and the alert's tag, no name, no check-in text", async () => {
    const [fac1, fac2, admin] = [await register("fac1"), await register("fac2"), await register("admin")];
    const secret = "the walls are breathing and I am scared";
    await needSupport(secret);
    await service.until(() => service.to(fac1).length > 0 && service.to(fac2).length > 0, 10_000, "both facilitators");
    await node.app.push.settled();

    const alertId = Object.keys((await node.app.services.streams.state("session", sessionId())).live.alerts)[0];
    const push = service.to(fac1)[0];
    expect(push?.payload).toEqual({
      title: "Holdspace: support requested",
      body: "Someone in a live session needs support — open Holdspace",
      url: `/session/${sessionId()}`,
      tag: alertId,
      requireInteraction: true,
    });
    expect(push?.headers.urgency).toBe("high");
    expect(push?.headers.authorization).toMatch(/^vapid t=.+, k=/);
    // Lock screens are seen by others: nothing of the participant or what they wrote.
    const p1 = person("p1");
    for (const r of service.received) {
      for (const secretPart of [p1.name, p1.email, await idOf("p1"), secret, "breathing", "need_support"])
        expect(r.text).not.toContain(secretPart);
    }
    // A new alert is for the room's facilitators; the admin hears of it when it escalates.
    expect(service.to(admin)).toHaveLength(0);
    expect(service.received).toHaveLength(2);
  });

  it("[LIVE6] an escalation at 15 s pushes the facilitators again and the program admin too, under the same tag", async () => {
    const [fac1, admin] = [await register("fac1"), await register("admin")];
    const p1 = await pool.connect("p1");
    const { alertId } = await p1.ok<{ alertId: string }>("support:request", {
      id: randomUUID(),
      sessionId: sessionId(),
    });
    await service.until(() => service.to(fac1).length === 1, 10_000, "the raise");
    await node.app.push.settled();
    expect(service.to(admin)).toHaveLength(0);

    clock.advance(15_000);
    await node.app.tick();
    await service.until(() => service.to(admin).length === 1 && service.to(fac1).length === 2, 10_000, "escalation");
    const escalated = service.to(admin)[0]?.payload;
    expect(escalated).toMatchObject({
      title: "Holdspace: support still needed",
      tag: alertId,
      url: `/session/${sessionId()}`,
    });
    expect(service.to(fac1)[1]?.payload.tag).toBe(alertId);
  });

  it("[LIVE6] when the node that took the alert is gone, the node whose due job escalates it pushes", async () => {
    const push = { vapid, rule: { hosts: DEFAULT_PUSH_HOSTS, allowLocal: true } };
    const first = await startApp("redis", { clock, prefix, seed: false, push });
    const admin = await register("admin");
    const p1 = await new ClientPool(() => first).connect("p1");
    const { alertId } = await p1.ok<{ alertId: string }>("support:request", {
      id: randomUUID(),
      sessionId: sessionId(),
    });
    await first.app.push.settled();
    p1.close();
    await first.stop();
    clock.advance(15_000);
    await node.app.tick();
    await service.until(() => service.to(admin).length === 1, 10_000, "the surviving node's escalation push");
    expect(service.to(admin)[0]?.payload).toMatchObject({ tag: alertId, title: "Holdspace: support still needed" });
  });

  it("[LIVE6] an acknowledged alert is not pushed again when the clock passes its tiers", async () => {
    const fac1 = await register("fac1");
    const p1 = await pool.connect("p1");
    const fac = await pool.connect("fac1");
    const { alertId } = await p1.ok<{ alertId: string }>("support:request", {
      id: randomUUID(),
      sessionId: sessionId(),
    });
    await fac.ok("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId });
    clock.advance(120_000);
    await node.app.tick();
    await node.app.push.settled();
    expect(service.to(fac1).map((r) => r.payload.tag)).toEqual([alertId]);
  });

  it("[LIVE6] a device the push service answers 410 for is forgotten; the person's other devices are kept", async () => {
    const [gone, kept] = [await register("fac1"), await register("fac1")];
    service.answer(gone, 410);
    await needSupport("help");
    await service.until(() => service.to(kept).length === 1, 10_000, "the kept device");
    await node.app.push.settled();
    const left = await node.app.push.subscriptions.list(await idOf("fac1"));
    expect(left.map((s) => s.endpoint)).toEqual([`${service.base}/push/${kept}`]);
  });

  it("[AC1] a participant cannot register a device for alerts", async () => {
    const r = await (
      await Http.as(node.url, node.tag, "p1")
    ).call("POST", "/api/push/subscriptions", service.device().subscription);
    expect(r.status).toBe(403);
    expect(errorOf(r).code).toBe("FORBIDDEN");
    expect(await node.app.push.subscriptions.list(await idOf("p1"))).toEqual([]);
  });

  it("[AC5] a malformed subscription or an endpoint that is not a push service is refused with INVALID_PAYLOAD", async () => {
    const http = await Http.as(node.url, node.tag, "fac1");
    const { subscription } = service.device();
    const missingKeys = await http.call("POST", "/api/push/subscriptions", { endpoint: subscription.endpoint });
    expect(missingKeys.status).toBe(400);
    expect(errorOf(missingKeys).code).toBe("INVALID_PAYLOAD");
    // [SSRF] Internal hosts, other ports, plain http and look-alike names are never called.
    for (const endpoint of [
      "http://localhost:6379/",
      "https://10.0.0.5/push",
      "https://169.254.169.254/latest/meta-data",
      "https://fcm.googleapis.com:6379/x",
      "https://fcm.googleapis.com.evil.example/x",
      "https://redis.internal/x",
      "http://127.0.0.2:80/x",
    ]) {
      const r = await http.call("POST", "/api/push/subscriptions", { ...subscription, endpoint });
      expect(errorOf(r).code, endpoint).toBe("INVALID_PAYLOAD");
    }
    expect(await node.app.push.subscriptions.list(await idOf("fac1"))).toEqual([]);
  });

  it("[LIVE6] without VAPID keys Web Push is off: the config says so, registering is refused, and support requests still land", async () => {
    const off = await startApp("redis", { seed: true });
    try {
      const http = await Http.as(off.url, off.tag, "fac1");
      expect((await http.get("/api/push/config")).json).toEqual({ publicKey: null });
      const r = await http.call("POST", "/api/push/subscriptions", service.device().subscription);
      expect(errorOf(r).code).toBe("RULE_VIOLATION");
      const offPool = new ClientPool(() => off);
      const p1 = await offPool.connect("p1");
      const reply = await p1.ok<{ alertId: string }>("support:request", {
        id: randomUUID(),
        sessionId: `live-${off.tag}`,
      });
      expect(reply.alertId).toBeTruthy();
      offPool.closeAll();
    } finally {
      await off.stop();
    }
    expect((await (await Http.as(node.url, node.tag, "fac1")).get("/api/push/config")).json).toEqual({
      publicKey: vapid.publicKey,
    });
  });
});

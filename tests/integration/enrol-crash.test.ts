import { afterEach, describe, expect, it } from "vitest";
import { streamName } from "../../shared/log.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { Http, enrol, errorOf } from "./admin-support.js";

/**
 * Issue 8: a command that touches several places (an enrolment link: the link, an account, the
 * cohort) must never stop halfway for good. A store failure between two steps stands in for a
 * crash there; the same person's retry with the same link finishes it, and nobody else can.
 */
describe.each<StoreKind>(["embedded", "redis"])("enrolment that fails halfway, on the %s store", (kind) => {
  let node: Running & { tag: string };
  afterEach(async () => node.stop());

  it("[LOG2] [AC1] a failure after the account is made and before the enrolment is finished by the same person's retry; the link is spent only then", async () => {
    node = await startApp(kind);
    const admin = await Http.as(node.url, node.tag, "admin");
    const created = await admin.post("/api/admin/cohorts", {
      programId: `prog-${node.tag}`,
      name: "Spring cohort",
      capacity: 4,
    });
    const cohortId = String(created.json.cohortId);
    const token = String((await admin.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 24 })).json.token);
    const email = `halfway.${node.tag}@example.test`;

    // The store fails once, just as the enrolment is appended — after the account exists.
    const log = node.stores.log;
    const append = log.append.bind(log);
    let failed = false;
    log.append = async (stream, batch, guard) => {
      if (!failed && batch.events.some((e) => e.type === "participant.enrolled")) {
        failed = true;
        throw new Error("simulated: the store went away mid-command");
      }
      return append(stream, batch, guard);
    };
    const first = await enrol(node.url, token, "Halfway", email);
    expect(first.status).toBe(503);
    expect(failed).toBe(true);
    const account = await node.app.services.users.byEmail(email);
    expect(account).not.toBeNull();
    expect((await node.app.services.streams.state("cohort", cohortId)).participants).not.toContain(account?.id);

    // Someone else cannot take the half-used link meanwhile.
    const other = await enrol(node.url, token, "Other", `other.${node.tag}@example.test`);
    expect(`${other.status} ${errorOf(other).code}`).toBe("410 INVITE_INVALID");
    expect(await node.app.services.users.byEmail(`other.${node.tag}@example.test`)).toBeNull();

    // The same person retries the same link: finished, one account, enrolled once.
    const retry = await enrol(node.url, token, "Halfway", email);
    expect(retry.status).toBe(201);
    expect((await node.app.services.users.byEmail(email))?.id).toBe(account?.id);
    const events = (await node.stores.log.read(streamName("cohort", cohortId), 0, 100)).events;
    expect(events.filter((e) => e.type === "participant.enrolled").map((e) => e.data.userId)).toEqual([account?.id]);
    // Now it is spent.
    const again = await enrol(node.url, token, "Halfway", email);
    expect(again.status).toBe(410);
  });
});

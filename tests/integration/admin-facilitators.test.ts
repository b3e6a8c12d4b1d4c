import { afterEach, describe, expect, it } from "vitest";
import { streamName } from "../../shared/log.js";
import { TestClient } from "../support/client.js";
import { ManualClock, startApp, type Running, type StoreKind } from "../support/harness.js";
import { Http, enrol, errorOf } from "./admin-support.js";

type Node = Running & { tag: string };

describe.each<StoreKind>(["embedded", "redis"])(
  "facilitator invites and an admin's programs on the %s store",
  (kind) => {
    let node: Node;
    const clients: TestClient[] = [];
    afterEach(async () => {
      for (const c of clients.splice(0)) c.socket.disconnect();
      await node.stop();
    });

    it("[AC1] [AC2] an admin invites a new facilitator by a one-time, expiring link, assigned to a cohort on joining", async () => {
      const clock = new ManualClock();
      node = await startApp(kind, { clock });
      const { tag } = node;
      const admin = await Http.as(node.url, tag, "admin");
      const programId = `prog-${tag}`;
      const cohortId = `cohort-${tag}`;
      const programStream = streamName("program", programId);

      // [AC2] A participant watching the cohort learns who joined, never the link or the invite.
      const p1 = await Http.as(node.url, tag, "p1");
      const watcher = new TestClient(node.url, p1.cookie);
      clients.push(watcher);
      await watcher.connected();
      await watcher.ok("stream:sync", { stream: streamName("cohort", cohortId), epoch: null, seq: 0 });

      const inv = await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, { cohortId, ttlHours: 24 });
      expect(inv.status).toBe(201);
      const token = String(inv.json.token);
      expect(inv.json.path).toBe(`/join/${token}`);
      const info = await new Http(node.url, null).get(`/api/auth/enrol/${token}`);
      expect(info.json).toMatchObject({ kind: "facilitator", cohortName: "Main cohort", programName: "Test program" });

      const email = `newfac.${tag}@example.test`;
      const joined = await enrol(node.url, token, "Robin", email);
      expect(joined.status).toBe(201);
      expect(joined.json).toMatchObject({ user: { name: "Robin", role: "facilitator" } });
      const user = await node.app.services.users.byEmail(email);
      expect(user).toMatchObject({ role: "facilitator", programId });

      // The join is in the program stream (staff), and the cohort lists the new facilitator.
      const { events } = await node.stores.log.read(programStream, 0, 100);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["facilitator.invited", "facilitator.joined"]));
      expect(JSON.stringify(events)).not.toContain(token);
      const fac = new Http(node.url, joined.cookie);
      const cohort = await fac.get(`/api/cohorts/${cohortId}`);
      expect(cohort.status).toBe(200);
      const me = await fac.get("/api/me");
      expect(me.json).toMatchObject({
        user: { role: "facilitator" },
        cohorts: [expect.objectContaining({ id: cohortId })],
      });

      // Used once: a second use is refused and writes nothing.
      const head = await node.stores.log.head(programStream);
      const twice = await enrol(node.url, token, "Again", `again.${tag}@example.test`);
      expect(twice.status).toBe(410);
      expect(errorOf(twice)).toMatchObject({ code: "INVITE_INVALID" });
      expect(await node.stores.log.head(programStream)).toEqual(head);

      // Expiring: a link past its lifetime is refused, before and after opening it.
      const late = await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, { ttlHours: 1 });
      clock.advance(3_601_000);
      expect((await new Http(node.url, null).get(`/api/auth/enrol/${String(late.json.token)}`)).status).toBe(410);
      expect((await enrol(node.url, String(late.json.token), "Late", `late.${tag}@example.test`)).status).toBe(410);
      expect(await node.app.services.users.byEmail(`late.${tag}@example.test`)).toBeNull();

      await watcher.until(
        () => watcher.events.some((e) => "type" in e.event && e.event.type === "facilitator.assigned"),
        5_000,
        "the assignment",
      );
      const seen = JSON.stringify(watcher.received);
      expect(seen).not.toContain(token);
      expect(seen).not.toContain("facilitator.invited");
    });

    it("[AC1] [AC5] a facilitator or participant can never create facilitators or admins", async () => {
      node = await startApp(kind);
      const { tag } = node;
      const programId = `prog-${tag}`;
      const head = await node.stores.log.head(streamName("program", programId));
      for (const key of ["fac1", "p1"]) {
        const who = await Http.as(node.url, tag, key);
        const r = await who.post(`/api/admin/programs/${programId}/facilitator-invites`, { ttlHours: 24 });
        expect(r.status).toBe(403);
        expect(errorOf(r).code).toBe("FORBIDDEN");
        // No field of the body can choose a role: unknown keys are refused.
        const withRole = await who.post(`/api/admin/programs/${programId}/facilitator-invites`, {
          ttlHours: 24,
          role: "admin",
        });
        expect(withRole.status).toBe(400);
        expect((await who.post("/api/admin/programs", { name: "Mine", zone: "UTC" })).status).toBe(403);
      }
      expect(await node.stores.log.head(streamName("program", programId))).toEqual(head);

      // An admin can only invite into a program they administer, and only to its own cohorts.
      const admin = await Http.as(node.url, tag, "admin");
      expect(
        (await admin.post(`/api/admin/programs/prog-elsewhere/facilitator-invites`, { ttlHours: 24 })).status,
      ).toBe(404);
      expect(
        (await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, { cohortId: "cohort-elsewhere" }))
          .status,
      ).toBe(404);
      // An admin's body cannot turn an invite into an admin invite either.
      expect((await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, { role: "admin" })).status).toBe(
        400,
      );
    });

    it("a facilitator invited without a cohort joins the program and can then be assigned", async () => {
      node = await startApp(kind);
      const { tag } = node;
      const programId = `prog-${tag}`;
      const admin = await Http.as(node.url, tag, "admin");
      const inv = await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, {});
      expect(inv.status).toBe(201);
      expect((await new Http(node.url, null).get(`/api/auth/enrol/${String(inv.json.token)}`)).json).toMatchObject({
        kind: "facilitator",
        cohortName: null,
      });
      const joined = await enrol(node.url, String(inv.json.token), "Sam", `sam.${tag}@example.test`);
      expect(joined.status).toBe(201);
      const sam = await node.app.services.users.byEmail(`sam.${tag}@example.test`);
      const overview = await admin.get(`/api/admin/programs/${programId}`);
      expect(overview.json.facilitators).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: sam?.id, name: "Sam" })]),
      );
      expect((await admin.post(`/api/admin/cohorts/cohort-${tag}/facilitators`, { userId: sam?.id })).status).toBe(200);
    });

    it("[AC2] /api/me lists the cohorts of every program an admin administers, including ones they created", async () => {
      node = await startApp(kind);
      const { tag } = node;
      const admin = await Http.as(node.url, tag, "admin");
      const created = await admin.post("/api/admin/programs", { name: "Second program", zone: "Europe/Amsterdam" });
      expect(created.status).toBe(201);
      const cohort = await admin.post("/api/admin/cohorts", {
        programId: String(created.json.programId),
        name: "Autumn cohort",
        capacity: 8,
      });
      expect(cohort.status).toBe(201);
      const me = await admin.get("/api/me");
      const names = Array.isArray(me.json.cohorts)
        ? me.json.cohorts.map((c: unknown) => (c && typeof c === "object" && "name" in c ? c.name : null))
        : [];
      expect(names).toEqual(expect.arrayContaining(["Main cohort", "Other cohort", "Autumn cohort"]));
      // Another program's facilitator still sees only their own cohorts.
      const fac = await Http.as(node.url, tag, "fac1");
      const facMe = await fac.get("/api/me");
      expect(JSON.stringify(facMe.json)).not.toContain("Autumn cohort");
    });
  },
);

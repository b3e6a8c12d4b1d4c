import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { seedProgram, type PersonSpec } from "../../server/demo/seed.js";
import { streamName } from "../../shared/log.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";
import { Http, enrol, errorOf } from "./admin-support.js";
import { codeOf, sid, squatting } from "./id-squatting-support.js";
import { foreignProgram } from "./privacy-support.js";

/**
 * Issue 8, finding 3 ("Ids nobody can squat") for invite, cohort and program ids over the admin
 * HTTP API: the rule every id-squatting file checks is in id-squatting-support.ts.
 */

describe("ids nobody can squat: invites, cohorts and programs (one node, Redis, moved clock)", () => {
  const t = useClockedNode("redis");
  const { pool, tag, cohortId, logOf, head, idOf, squatHttp } = squatting(t);

  /** A second admin of the seeded program (another person with the same authority). */
  async function secondAdmin(): Promise<Http> {
    const { liveSession: _none, ...rest } = mainCohort(tag());
    const person: PersonSpec = {
      key: "admin2",
      role: "admin",
      name: `admin2 ${tag()}`,
      email: `admin2.${tag()}@example.test`,
    };
    await seedProgram(t.node.app.services, {
      ...rest,
      cohortId: `cohort2-${tag()}`,
      cohortName: "Second cohort",
      people: [person],
    });
    return new Http(t.node.url, await signIn(t.node.url, person.email, TEST_PASSWORD));
  }

  it("[LOG2] [AC1] [AC2] invite ids: enrol:inv_<id> / assign:finv_<id> from a participant and joined:finv_<id> from another admin, sent first, change nothing; the invite's command id from someone else is DUPLICATE_ID", async () => {
    const admin = await Http.as(t.node.url, tag(), "admin");
    const admin2 = await secondAdmin();
    const p1Http = await Http.as(t.node.url, tag(), "p1");
    const programId = `prog-${tag()}`;
    const [inviteCmd, facInviteCmd] = [randomUUID(), randomUUID()];
    const [inviteId, facInviteId] = [`inv_${inviteCmd}`, `finv_${facInviteCmd}`];
    const invite = await admin.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: inviteCmd, ttlHours: 24 });
    expect(invite.status).toBe(201);
    const facInvite = await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, {
      id: facInviteCmd,
      cohortId: cohortId(),
      ttlHours: 24,
    });
    expect(facInvite.status).toBe(201);

    const squatted = await squatHttp(
      p1Http,
      `/api/cohorts/${cohortId()}/consent`,
      [`enrol:${inviteId}`, `assign:${facInviteId}`, sid("enrol", inviteId), sid("assign", facInviteId)],
      { agreed: true },
      200,
    );
    const squattedByAdmin = await squatHttp(
      admin2,
      `/api/admin/programs/${programId}/facilitator-invites`,
      [`joined:${facInviteId}`, sid("joined", facInviteId)],
      { ttlHours: 24 },
      201,
    );
    // The invite's own command id, from someone else (another command, or the same command by another admin).
    const cohortStream = streamName("cohort", cohortId());
    const before = await head(cohortStream);
    const reused = await p1Http.post(`/api/cohorts/${cohortId()}/consent`, { id: inviteCmd, agreed: true });
    expect(`${reused.status} ${errorOf(reused).code}`).toBe("409 DUPLICATE_ID");
    const again = await admin2.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: inviteCmd, ttlHours: 24 });
    expect(`${again.status} ${errorOf(again).code}`).toBe("409 DUPLICATE_ID");
    expect(again.json.token).toBeUndefined();
    expect(await head(cohortStream)).toBe(before);

    // The new participant is enrolled by the link.
    const email = `joiner.${tag()}@example.test`;
    expect((await enrol(t.node.url, String(invite.json.token), "Joiner", email)).status).toBe(201);
    const joiner = await t.node.app.services.users.byEmail(email);
    const cohort = await t.node.app.services.streams.state("cohort", cohortId());
    expect(cohort.participants).toContain(joiner?.id);
    const cohortEvents = await logOf(cohortStream);
    expect(
      cohortEvents.filter((e) => e.id === sid("enrol", inviteId)).map((e) => `${e.type} ${String(e.data.userId)}`),
    ).toEqual([`participant.enrolled ${joiner?.id}`]);

    // The new facilitator joins the program and is assigned to the cohort the link named.
    const facEmail = `newfac.${tag()}@example.test`;
    const joined = await enrol(t.node.url, String(facInvite.json.token), "Robin", facEmail);
    expect(joined.status).toBe(201);
    const robin = await t.node.app.services.users.byEmail(facEmail);
    const program = await t.node.app.services.streams.state("program", programId);
    expect(program.facilitators).toContain(robin?.id);
    expect((await t.node.app.services.streams.state("cohort", cohortId())).facilitators).toContain(robin?.id);
    const programEvents = await logOf(streamName("program", programId));
    expect(programEvents.filter((e) => e.id === sid("joined", facInviteId)).map((e) => e.type)).toEqual([
      "facilitator.joined",
    ]);
    expect((await logOf(cohortStream)).filter((e) => e.id === sid("assign", facInviteId)).map((e) => e.type)).toEqual([
      "facilitator.assigned",
    ]);
    expect((await new Http(t.node.url, joined.cookie).get(`/api/cohorts/${cohortId()}/readiness`)).status).toBe(200);

    // The squats are what their senders asked for, nothing more.
    for (const id of squatted)
      expect(
        cohortEvents.filter((e) => e.id === id).map((e) => e.type),
        id,
      ).toEqual(["consent.recorded"]);
    for (const id of squattedByAdmin)
      expect(
        programEvents.filter((e) => e.id === id).map((e) => e.type),
        id,
      ).toEqual(["facilitator.invited"]);
  });

  // Found by this suite: invite ids used to drop `.`/`:` from the command id, so `X` and `X.` made
  // two links with one invite id, and the second acceptance was taken for a retry of the first.
  // Derived ids are one-to-one now (server/domain/derived-id.ts).
  it("[LOG2] [AC1] [AC2] two links whose command ids differ only in characters the invite id drops (X, X. / X:) are two links: each person gets their own account, enrolled or assigned", async () => {
    const admin = await Http.as(t.node.url, tag(), "admin");
    const admin2 = await secondAdmin();
    const cmd = randomUUID();
    const accept = async (token: unknown, who: string): Promise<string> => {
      const email = `${who}.${tag()}@example.test`;
      expect((await enrol(t.node.url, String(token), who, email)).status).toBe(201);
      return (await t.node.app.services.users.byEmail(email))?.id ?? "";
    };
    // Enrolment links: the other admin's look-alike is used first.
    const theirs = await admin2.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: `${cmd}.`, ttlHours: 24 });
    const mine = await admin.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: cmd, ttlHours: 24 });
    expect([theirs.status, mine.status]).toEqual([201, 201]);
    const early = await accept(theirs.json.token, "early");
    const victim = await accept(mine.json.token, "victim");
    // Facilitator links, the same way.
    const theirsF = await admin2.post(`/api/admin/programs/prog-${tag()}/facilitator-invites`, {
      id: `${cmd}:`,
      cohortId: cohortId(),
      ttlHours: 24,
    });
    const mineF = await admin.post(`/api/admin/programs/prog-${tag()}/facilitator-invites`, {
      id: cmd,
      cohortId: cohortId(),
      ttlHours: 24,
    });
    expect([theirsF.status, mineF.status]).toEqual([201, 201]);
    const earlyFac = await accept(theirsF.json.token, "earlyfac");
    const victimFac = await accept(mineF.json.token, "victimfac");

    const cohort = await t.node.app.services.streams.state("cohort", cohortId());
    const program = await t.node.app.services.streams.state("program", `prog-${tag()}`);
    expect({
      distinctAccounts: new Set([early, victim]).size === 2 && new Set([earlyFac, victimFac]).size === 2,
      enrolled: [early, victim].map((id) => cohort.participants.includes(id)),
      assigned: [earlyFac, victimFac].map((id) => cohort.facilitators.includes(id)),
      joined: [earlyFac, victimFac].map((id) => program.facilitators.includes(id)),
    }).toEqual({ distinctAccounts: true, enrolled: [true, true], assigned: [true, true], joined: [true, true] });
  });

  it("[AC2] [AC4] [LOG2] an admin of program B sending POST /api/admin/cohorts with the command id program A used gets DUPLICATE_ID: A's cohort stays out of B's program, and B's facilitator cannot read A's readiness board or join A's live session", async () => {
    const foreign = foreignProgram(tag());
    await seedProgram(t.node.app.services, foreign);
    const adminA = await Http.as(t.node.url, tag(), "admin");
    const adminB = new Http(t.node.url, await signIn(t.node.url, `xadmin.${tag()}@example.test`, TEST_PASSWORD));
    const [programA, programB] = [`prog-${tag()}`, foreign.programId];

    // Program A: a cohort, fac1 assigned, one participant enrolled, a live session open.
    const cmd = randomUUID();
    const created = await adminA.post("/api/admin/cohorts", {
      id: cmd,
      programId: programA,
      name: "Spring cohort",
      capacity: 8,
    });
    expect(created.status).toBe(201);
    const cohortA = String(created.json.cohortId);
    expect(
      (await adminA.post(`/api/admin/cohorts/${cohortA}/facilitators`, { userId: await idOf("fac1") })).status,
    ).toBe(200);
    const inv = await adminA.post(`/api/admin/cohorts/${cohortA}/invites`, { ttlHours: 24 });
    expect(
      (await enrol(t.node.url, String(inv.json.token), "ZZSPRING participant", `spring.${tag()}@example.test`)).status,
    ).toBe(201);
    const fac1 = await pool.connect("fac1");
    const { sessionId: liveA } = await fac1.ok<{ sessionId: string }>("session:open", {
      id: randomUUID(),
      cohortId: cohortA,
      title: "Spring dosing day",
    });

    // Program B's admin reuses the command id (visible in the cohort id): refused, nothing written.
    // A look-alike spelling derives another cohort id (derived ids are one-to-one): B's own cohort.
    const programBHead = await head(streamName("program", programB));
    const squat = await adminB.post("/api/admin/cohorts", {
      id: cmd,
      programId: programB,
      name: "Mine now",
      capacity: 8,
    });
    expect(`${squat.status} ${errorOf(squat).code}`).toBe("409 DUPLICATE_ID");
    expect(await head(streamName("program", programB))).toBe(programBHead);
    const lookAlike = await adminB.post("/api/admin/cohorts", {
      id: `${cmd}.`,
      programId: programB,
      name: "Mine now",
      capacity: 8,
    });
    expect(lookAlike.status).toBe(201);
    expect(lookAlike.json.cohortId).not.toBe(cohortA);
    expect((await t.node.app.services.streams.state("program", programB)).cohorts).not.toContain(cohortA);
    expect(await t.node.app.services.streams.state("cohort", cohortA)).toMatchObject({
      programId: programA,
      name: "Spring cohort",
    });
    expect((await t.node.app.services.streams.state("program", programA)).cohorts).toContain(cohortA);

    // B cannot invite a facilitator into A's cohort; one invited into B's own cohort sees nothing of A's.
    const intoA = await adminB.post(`/api/admin/programs/${programB}/facilitator-invites`, {
      cohortId: cohortA,
      ttlHours: 24,
    });
    expect(intoA.status).toBe(404);
    expect(intoA.json.token).toBeUndefined();
    const intoB = await adminB.post(`/api/admin/programs/${programB}/facilitator-invites`, {
      cohortId: foreign.cohortId,
      ttlHours: 24,
    });
    expect(intoB.status).toBe(201);
    const joined = await enrol(t.node.url, String(intoB.json.token), "Bea", `bea.${tag()}@example.test`);
    expect(joined.status).toBe(201);
    const bea = new Http(t.node.url, joined.cookie);
    for (const who of [bea, adminB]) {
      const board = await who.get(`/api/cohorts/${cohortA}/readiness`);
      expect(`${board.status} ${errorOf(board).code}`).toBe("404 NOT_FOUND");
      expect(board.text).not.toContain("ZZSPRING");
      expect((await who.get(`/api/cohorts/${cohortA}`)).status).toBe(404);
      expect(JSON.stringify((await who.get("/api/me")).json)).not.toContain(cohortA);
    }
    const beaSocket = pool.track(new TestClient(t.node.url, joined.cookie));
    await beaSocket.connected();
    const tried = await beaSocket.send("session:join", { sessionId: liveA, since: null });
    expect(codeOf(tried)).toBe("NOT_FOUND");
    expect(JSON.stringify(beaSocket.received)).not.toContain("Spring dosing day");
  });

  it("[AC2] [LOG2] an admin of program B sending POST /api/admin/programs with the command id program A used gets DUPLICATE_ID and nothing of program A", async () => {
    await seedProgram(t.node.app.services, foreignProgram(tag()));
    const adminA = await Http.as(t.node.url, tag(), "admin");
    const adminB = new Http(t.node.url, await signIn(t.node.url, `xadmin.${tag()}@example.test`, TEST_PASSWORD));
    const cmd = randomUUID();
    const created = await adminA.post("/api/admin/programs", { id: cmd, name: "A's second program", zone: "UTC" });
    expect(created.status).toBe(201);
    const programId = String(created.json.programId);
    expect((await adminA.post("/api/admin/cohorts", { programId, name: "ZZAUTUMN cohort", capacity: 8 })).status).toBe(
      201,
    );
    const before = await head(streamName("program", programId));

    const squat = await adminB.post("/api/admin/programs", { id: cmd, name: "B's program", zone: "UTC" });
    expect(`${squat.status} ${errorOf(squat).code}`).toBe("409 DUPLICATE_ID");
    expect(await head(streamName("program", programId))).toBe(before);
    // A look-alike spelling derives another program id (one-to-one): B's own program.
    const lookAlike = await adminB.post("/api/admin/programs", { id: `${cmd}.`, name: "B's program", zone: "UTC" });
    expect(lookAlike.status).toBe(201);
    expect(lookAlike.json.programId).not.toBe(programId);
    expect(await head(streamName("program", programId))).toBe(before);
    const adminAId = (await t.node.app.services.users.byEmail(`admin.${tag()}@example.test`))?.id;
    expect(await t.node.app.services.streams.state("program", programId)).toMatchObject({
      name: "A's second program",
      admins: [adminAId],
    });

    expect(JSON.stringify((await adminB.get("/api/admin/programs")).json)).not.toContain(programId);
    expect(JSON.stringify((await adminB.get("/api/me")).json)).not.toContain("ZZAUTUMN");
    expect((await adminB.get(`/api/admin/programs/${programId}`)).status).toBe(404);
    expect((await adminB.post("/api/admin/cohorts", { programId, name: "Sneaky", capacity: 8 })).status).toBe(404);
    expect((await adminB.post(`/api/admin/programs/${programId}/facilitator-invites`, { ttlHours: 24 })).status).toBe(
      404,
    );
  });
});

import { serverId, streamName, type StreamName } from "../../shared/log.js";
import type { Role } from "../../shared/domain/roles.js";
import type { UserRecord } from "../auth/users.js";
import type { Services } from "../services.js";
import { seedDemoSchedule } from "./schedule-seed.js";
import { screeningAnswers } from "./screening.js";
import type { PersonSpec, ProgramSpec, SeededProgram } from "./spec.js";

export type { PersonSpec, ProgramSpec, SeededProgram } from "./spec.js";

/**
 * Create a program, one cohort, its people and optionally an open live session — through the
 * log like every other change, with fixed event ids so running it twice changes nothing.
 */
export async function seedProgram(s: Services, spec: ProgramSpec): Promise<SeededProgram> {
  const users: Record<string, UserRecord> = {};
  for (const p of spec.people) {
    users[p.key] =
      (await s.users.byEmail(p.email)) ??
      (await s.users.create({
        email: p.email,
        name: p.name,
        role: p.role,
        programId: spec.programId,
        password: spec.password,
      }));
  }
  const program = streamName("program", spec.programId);
  const cohort = streamName("cohort", spec.cohortId);
  const sys = "system";
  // Seeded by an earlier start (perhaps by a version with other seed ids): left as it is.
  if ((await s.log.head(cohort)).seq > 0)
    return { users, cohortId: spec.cohortId, sessionId: spec.liveSession?.id ?? null, fresh: false };
  await s.streams.appendSystem(program, {
    id: serverId("seed", "program"),
    type: "program.created",
    actor: sys,
    data: { name: spec.programName, zone: spec.zone, profile: "oregon-2025" },
  });
  for (const p of spec.people.filter((x) => x.role === "admin")) {
    await s.streams.appendSystem(program, {
      id: serverId("seed", "admin", p.key),
      type: "admin.added",
      actor: sys,
      data: { userId: users[p.key]?.id },
    });
  }
  await s.streams.appendSystem(program, {
    id: serverId("seed", "cohort", spec.cohortId),
    type: "cohort.added",
    actor: sys,
    data: { cohortId: spec.cohortId },
  });
  await s.streams.appendSystem(cohort, {
    id: serverId("seed", "cohort"),
    type: "cohort.created",
    actor: sys,
    data: { programId: spec.programId, name: spec.cohortName, capacity: spec.capacity },
  });
  for (const p of spec.people) {
    const type =
      p.role === "facilitator" ? "facilitator.assigned" : p.role === "participant" ? "participant.enrolled" : null;
    if (type)
      await s.streams.appendSystem(cohort, {
        id: serverId("seed", "member", p.key),
        type,
        actor: sys,
        data: { userId: users[p.key]?.id },
      });
  }
  for (const p of spec.people.filter((x) => x.role === "participant"))
    await seedReady(s, cohort, users[p.key]?.id ?? p.key);
  let sessionId: string | null = null;
  const live = spec.liveSession;
  const opener = spec.people.find((p) => p.role === "facilitator");
  if (live && opener) {
    const openedBy = users[opener.key]?.id ?? sys;
    sessionId = live.id;
    await s.streams.appendSystem(streamName("session", live.id), {
      id: serverId("seed", "open"),
      type: "session.opened",
      actor: openedBy,
      data: { cohortId: spec.cohortId, title: live.title, openedBy },
    });
    await s.streams.appendSystem(cohort, {
      id: serverId("listed", live.id),
      type: "session.opened",
      actor: openedBy,
      data: { sessionId: live.id, title: live.title, openedBy },
    });
  }
  return { users, cohortId: spec.cohortId, sessionId, fresh: true };
}

/**
 * [RDY1] Make a seeded participant Ready for dosing, through the cohort's own events: screening
 * submitted and reviewed, consent, a transport plan, a preparation session attended.
 */
async function seedReady(s: Services, cohort: StreamName, participantId: string): Promise<void> {
  const sys = "system";
  const events: { key: string; type: string; data: Record<string, unknown> }[] = [
    { key: "screening", type: "screening.submitted", data: { participantId, answers: screeningAnswers() } },
    { key: "review", type: "screening.reviewed", data: { participantId } },
    { key: "consent", type: "consent.recorded", data: { participantId, version: "demo-1" } },
    {
      key: "transport",
      type: "transport.recorded",
      data: { participantId, driver: "A friend", contact: "on file", notes: "" },
    },
    { key: "prep", type: "preparation.attended", data: { participantId, sessionId: "seed-preparation" } },
  ];
  for (const e of events)
    await s.streams.appendSystem(cohort, {
      id: serverId("seed", "ready", e.key, participantId),
      type: e.type,
      actor: sys,
      data: e.data,
    });
}

export const DEMO_PASSWORD = "holdspace-demo";

export function demoSpec(): ProgramSpec {
  const person = (key: string, name: string, role: Role): PersonSpec => ({
    key,
    name,
    role,
    email: `${key}@demo.holdspace.test`,
  });
  return {
    programId: "demo",
    programName: "Cascadia Integration Program (demo)",
    zone: "America/Los_Angeles",
    cohortId: "demo-cohort",
    cohortName: "Autumn cohort",
    capacity: 12,
    password: DEMO_PASSWORD,
    liveSession: { id: "demo-live", title: "Group dosing day" },
    people: [
      person("admin", "Rosa Admin", "admin"),
      person("maya", "Maya Okafor", "facilitator"),
      person("jonah", "Jonah Reyes", "facilitator"),
      person("ava", "Ava", "participant"),
      person("ben", "Ben", "participant"),
      person("chloe", "Chloe", "participant"),
      person("dev", "Dev", "participant"),
      person("elena", "Elena", "participant"),
      person("farid", "Farid", "participant"),
    ],
  };
}

/** Seed the demo program (once; idempotent) and return fresh one-time sign-in links for everyone. */
export async function seedDemo(
  s: Services,
  baseUrl: string,
): Promise<{ name: string; role: Role; email: string; link: string }[]> {
  const spec = demoSpec();
  const seeded = await seedProgram(s, spec);
  if (seeded.fresh) await seedDemoSchedule(s, seeded, spec.programId, spec.password);
  const out = [];
  // Everyone the demo made, Gwen (seeded with the schedule) included, each with the email to sign in with.
  const gwen = await s.users.byEmail(GWEN_EMAIL);
  const people = [...spec.people.map((p) => ({ ...p, user: seeded.users[p.key] })), { ...GWEN, user: gwen }];
  for (const p of people) {
    if (!p.user) continue;
    out.push({
      name: p.name,
      role: p.role,
      email: p.email,
      link: `${baseUrl}/invite/${await s.users.createInvite(p.user.id)}`,
    });
  }
  return out;
}

const GWEN_EMAIL = "gwen@demo.holdspace.test";
const GWEN = { name: "Gwen", role: "participant" as const, email: GWEN_EMAIL };

/**
 * What `npm start` prints in demo mode: one line per demo person — role, name, the email they can
 * sign in with (password below) and a one-time link — so a tester can use either.
 */
export function demoPrintout(
  base: string,
  links: readonly { name: string; role: Role; email: string; link: string }[],
) {
  const width = Math.max(...links.map((l) => l.email.length), 5);
  return [
    "",
    `Holdspace is running at ${base}`,
    "Demo people, each with their email and a one-time sign-in link (new links are printed at every start):",
    ...links.map((l) => `  ${l.role.padEnd(12)} ${l.name.padEnd(14)} ${l.email.padEnd(width)} ${l.link}`),
    `Or sign in with any demo email above (e.g. ${links[1]?.email ?? ""}) and the password "${DEMO_PASSWORD}".`,
    "",
  ].join("\n");
}

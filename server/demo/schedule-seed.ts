import { DateTime } from "luxon";
import { serverId, streamName } from "../../shared/log.js";
import { clientKey } from "../domain/stream-service.js";
import type { Viewer } from "../../shared/domain/roles.js";
import { decideScheduleSeries, decideScheduleSession } from "../../shared/scheduling/decide.js";
import { SeriesSchedule, SessionSchedule } from "../../shared/protocol/admin.js";
import { programBookings, profileOf } from "../domain/program-context.js";
import { scheduledId } from "../domain/schedule-commands.js";
import type { Services } from "../services.js";
import { screeningAnswers } from "./screening.js";
import type { SeededProgram } from "./spec.js";

/**
 * The demo's schedule and a participant still getting ready, through the same decisions as an
 * admin's form (fixed command ids, so a second start changes nothing): a dosing day a week out,
 * weekly integration circles after it, and Gwen, enrolled but with her forms half done.
 */
export async function seedDemoSchedule(
  s: Services,
  seeded: SeededProgram,
  programId: string,
  password: string,
): Promise<void> {
  const program = await s.streams.state("program", programId);
  const cohortId = seeded.cohortId;
  const cohort = await s.streams.state("cohort", cohortId);
  const adminId = program.admins[0];
  if (!adminId || cohort.facilitators.length === 0) return;
  const admin: Viewer = { userId: adminId, role: "admin" };
  const zone = program.zone;
  const ctx = {
    profile: profileOf(program),
    zone,
    booked: await programBookings(s, program),
    nameOf: (id: string) => id,
    newId: (prefix: "ss_" | "sr_", commandId: string) => scheduledId(adminId, prefix, commandId),
    // [SCH7] The demo's participants have no earlier dosing: the full minimum applies.
    history: {},
  };
  const day = DateTime.fromMillis(s.clock.now(), { zone }).plus({ days: 7 }).startOf("day");
  const local = (d: DateTime) => d.toFormat("yyyy-LL-dd'T'HH:mm");

  const dosing = SessionSchedule.parse({
    id: "seed-sched-dosing",
    kind: "dosing",
    title: "Group dosing day",
    start: local(day.set({ hour: 9 })),
    end: local(day.set({ hour: 16 })),
    plannedDoseMg: 25,
    facilitators: cohort.facilitators,
    participants: cohort.participants.slice(0, 6),
  });
  const circles = SeriesSchedule.parse({
    id: "seed-sched-circles",
    kind: "circle",
    title: "Integration circle",
    firstDate: day.plus({ days: 2 }).toISODate(),
    time: "18:00",
    durationMinutes: 90,
    everyWeeks: 1,
    until: day.plus({ weeks: 6 }).toISODate(),
    facilitators: cohort.facilitators.slice(0, 1),
    participants: cohort.participants,
  });
  await s.streams.execute("cohort", cohortId, clientKey(admin.userId, "schedule:session", dosing.id), (st) =>
    decideScheduleSession(st, dosing, admin, ctx),
  );
  await s.streams.execute("cohort", cohortId, clientKey(admin.userId, "schedule:series", circles.id), (st) =>
    decideScheduleSeries(st, circles, admin, ctx),
  );

  // Gwen: enrolled, screening sent but not yet reviewed, no consent or ride home yet.
  const email = "gwen@demo.holdspace.test";
  const gwen =
    (await s.users.byEmail(email)) ??
    (await s.users.create({ email, name: "Gwen", role: "participant", programId, password }));
  const stream = streamName("cohort", cohortId);
  await s.streams.appendSystem(stream, {
    id: serverId("seed", "gwen", "enrolled"),
    type: "participant.enrolled",
    actor: "system",
    data: { userId: gwen.id },
  });
  const answers = screeningAnswers({ ssriSnri: true });
  await s.streams.appendSystem(stream, {
    id: serverId("seed", "gwen", "screening"),
    type: "screening.submitted",
    actor: gwen.id,
    data: { participantId: gwen.id, answers },
  });
}

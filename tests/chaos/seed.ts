import { createApp } from "../../server/app.js";
import { seedProgram, type PersonSpec, type ProgramSpec } from "../../server/demo/seed.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { Person } from "./client.js";
import { eachLimit } from "./util.js";

export const CHAOS_PASSWORD = "chaos horse battery";

export interface SeededCohort {
  cohortId: string;
  facilitators: Person[];
  participants: Person[];
}

/**
 * One program with `cohorts` cohorts, each with its facilitators and participants (Ready for
 * dosing), seeded through the domain's own seeding code by an in-process app on the same Redis
 * and prefix, then let go: the server processes read everything from Redis. No session is opened
 * here — a facilitator opens each one over the socket, as in real use.
 */
export async function seedCohorts(
  url: string,
  prefix: string,
  tag: string,
  cohorts: number,
  perCohort: { participants: number; facilitators: number },
): Promise<SeededCohort[]> {
  const stores = await createRedisStores({ url, prefix });
  const app = createApp({ stores, timers: false });
  try {
    const programId = `chaos-${tag}`;
    const person = (key: string, role: PersonSpec["role"], name: string): PersonSpec => ({
      key,
      role,
      name,
      email: `${key}.${tag}@example.test`,
    });
    const admin = person("admin", "admin", "Chaos Admin");
    const specs: ProgramSpec[] = Array.from({ length: cohorts }, (_, i) => ({
      programId,
      programName: "Chaos program",
      zone: "America/Los_Angeles",
      cohortId: `chaos-${tag}-c${i}`,
      cohortName: `Cohort ${i + 1}`,
      capacity: Math.max(12, perCohort.participants),
      password: CHAOS_PASSWORD,
      people: [
        admin,
        ...Array.from({ length: perCohort.facilitators }, (_, j) =>
          person(`c${i}-f${j}`, "facilitator", `Facilitator ${i + 1}.${j + 1}`),
        ),
        ...Array.from({ length: perCohort.participants }, (_, j) =>
          person(`c${i}-p${j}`, "participant", `Participant ${i + 1}.${j + 1}`),
        ),
      ],
    }));
    // Password hashing is the slow part of seeding: make the accounts a few at a time first;
    // seedProgram then finds them by email.
    const everyone = [admin, ...specs.flatMap((s) => s.people.filter((p) => p.role !== "admin"))];
    await eachLimit(everyone, 4, async (p) => {
      await app.services.users.create({
        email: p.email,
        name: p.name,
        role: p.role,
        programId,
        password: CHAOS_PASSWORD,
      });
    });
    const out: SeededCohort[] = [];
    for (const [i, spec] of specs.entries()) {
      const seeded = await seedProgram(app.services, spec);
      const toPerson = (p: PersonSpec): Person => {
        const user = seeded.users[p.key];
        if (!user) throw new Error(`seeding made no user for ${p.key}`);
        return { key: p.key, email: p.email, role: p.role, userId: user.id, cohort: i };
      };
      out.push({
        cohortId: seeded.cohortId,
        facilitators: spec.people.filter((p) => p.role === "facilitator").map(toPerson),
        participants: spec.people.filter((p) => p.role === "participant").map(toPerson),
      });
    }
    return out;
  } finally {
    await app.close();
    await stores.close();
  }
}

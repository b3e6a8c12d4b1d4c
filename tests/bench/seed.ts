import { createApp } from "../../server/app.js";
import { seedProgram, type PersonSpec, type ProgramSpec } from "../../server/demo/seed.js";
import { createEmbeddedStores } from "../../server/stores/embedded/index.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { Stores } from "../../server/stores/types.js";
import { TEST_PASSWORD } from "../support/fixtures.js";
import type { Person, Room } from "./protocol.js";

export const BENCH_PASSWORD = TEST_PASSWORD;

export interface Plan {
  rooms: Room[];
  people: Person[];
  specs: ProgramSpec[];
}

/**
 * The people of one run: `mainRooms` rooms of 10 participants + 2 facilitators and one burst
 * room of `burstSize` participants + 2 facilitators (after the burst, its session is filled with a
 * long history for the join measurement). One program, one cohort per room, one open session each.
 */
export function plan(tag: string, mainRooms: number, burstSize: number): Plan {
  const rooms: Room[] = [];
  const people: Person[] = [];
  const specs: ProgramSpec[] = [];
  const admin: PersonSpec = {
    key: "admin",
    role: "admin",
    name: `Bench admin ${tag}`,
    email: `admin.${tag}@bench.test`,
  };
  const add = (group: Room["group"], participants: number) => {
    const i = rooms.length;
    const cohortId = `bc${i}-${tag}`;
    const sessionId = `bs${i}-${tag}`;
    rooms.push({ sessionId, cohortId, group });
    const members: PersonSpec[] = [];
    for (let f = 0; f < 2; f++)
      members.push({
        key: `r${i}f${f}`,
        role: "facilitator",
        name: `Facilitator ${i}.${f}`,
        email: `r${i}f${f}.${tag}@bench.test`,
      });
    for (let p = 0; p < participants; p++)
      members.push({
        key: `r${i}p${p}`,
        role: "participant",
        name: `Participant ${i}.${p}`,
        email: `r${i}p${p}.${tag}@bench.test`,
      });
    let f = 0;
    let p = 0;
    for (const m of members) {
      const role = m.role === "facilitator" ? "facilitator" : "participant";
      people.push({ email: m.email, role, room: i, slot: role === "facilitator" ? f++ : p++ });
    }
    specs.push({
      programId: `bp-${tag}`,
      programName: "Bench program",
      zone: "America/Los_Angeles",
      cohortId,
      cohortName: `Bench room ${i}`,
      capacity: Math.max(10, participants),
      password: BENCH_PASSWORD,
      liveSession: { id: sessionId, title: `Bench session ${i}` },
      people: [admin, ...members],
    });
  };
  for (let i = 0; i < mainRooms; i++) add("main", 10);
  add("burst", burstSize);
  return { rooms, people, specs };
}

/** Seed through the domain code on an in-process app over the same store (as the test harness does). */
export async function seedStores(stores: Stores, specs: ProgramSpec[], concurrency = 6): Promise<void> {
  const app = createApp({ stores, timers: false, staticDir: null });
  try {
    const [first, ...rest] = specs;
    // The first room creates the shared admin; the others then find it by email.
    if (first) await seedProgram(app.services, first);
    let next = 0;
    const worker = async () => {
      for (let guard = 0; guard < rest.length && next < rest.length; guard++) {
        const spec = rest[next++];
        if (spec) await seedProgram(app.services, spec);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rest.length) }, worker));
  } finally {
    await app.close();
  }
}

export async function seedRedis(url: string, prefix: string, specs: ProgramSpec[]): Promise<void> {
  const stores = await createRedisStores({ url, prefix });
  try {
    await seedStores(stores, specs);
  } finally {
    await stores.close();
  }
}

/** The embedded journal is single-process: seed it here, close it, and only then start the server on it. */
export async function seedEmbedded(dataDir: string, specs: ProgramSpec[]): Promise<void> {
  const stores = await createEmbeddedStores({ dataDir });
  try {
    await seedStores(stores, specs);
  } finally {
    await stores.close();
  }
}

import { z } from "zod";

/** [AC1] The three roles. A person has one role in Holdspace. */
export const Role = z.enum(["admin", "facilitator", "participant"]);
export type Role = z.infer<typeof Role>;

/** Who is acting or viewing. Always built on the server from the session, never from a payload. */
export interface Viewer {
  userId: string;
  role: Role;
}

/** Who may see an event of a stream. */
export type Audience = { kind: "all" } | { kind: "staff" } | { kind: "participant"; userId: string };

export const ALL: Audience = { kind: "all" };
export const STAFF: Audience = { kind: "staff" };
export function onlyParticipant(userId: string): Audience {
  return { kind: "participant", userId };
}

export function isStaff(viewer: Viewer): boolean {
  return viewer.role === "admin" || viewer.role === "facilitator";
}

/** [AC2][AC3] Staff see everything of their streams; a participant sees shared events and their own. */
export function canSee(audience: Audience, viewer: Viewer): boolean {
  switch (audience.kind) {
    case "all":
      return true;
    case "staff":
      return isStaff(viewer);
    case "participant":
      return isStaff(viewer) || audience.userId === viewer.userId;
  }
}

import type { Me } from "../api.js";
import { MyForms } from "../forms/MyForms.js";
import { usePath } from "../router.js";
import { AdminHome } from "./AdminHome.js";
import { CohortAdmin } from "./CohortAdmin.js";
import { MySchedulePage } from "./MySchedulePage.js";

/** Routes of the admin, schedule and forms screens (issue 3), kept here so router.ts needs one line. */
export type AdminRoute =
  | { name: "join"; token: string }
  | { name: "adminHome"; programId: string | null }
  | { name: "cohort"; cohortId: string }
  | { name: "mySchedule" }
  | { name: "myForms" };

export function matchAdminRoute(path: string): AdminRoute | null {
  const one = (re: RegExp) => {
    const m = re.exec(path);
    return m?.[1] ? decodeURIComponent(m[1]) : null;
  };
  const join = one(/^\/join\/([^/]+)\/?$/);
  if (join) return { name: "join", token: join };
  if (/^\/admin\/?$/.test(path)) return { name: "adminHome", programId: null };
  const program = one(/^\/admin\/program\/([^/]+)\/?$/);
  if (program) return { name: "adminHome", programId: program };
  const cohort = one(/^\/(?:admin\/)?cohort\/([^/]+)\/?$/);
  if (cohort) return { name: "cohort", cohortId: cohort };
  if (/^\/my\/schedule\/?$/.test(path)) return { name: "mySchedule" };
  if (/^\/my\/forms\/?$/.test(path)) return { name: "myForms" };
  return null;
}

export function AdminScreens(props: { me: Me }) {
  const route = matchAdminRoute(usePath());
  const role = props.me.user.role;
  if (!route || route.name === "join") return null;
  switch (route.name) {
    case "adminHome":
      return role === "admin" ? <AdminHome programId={route.programId} /> : <Forbidden />;
    case "cohort":
      return role === "participant" ? <Forbidden /> : <CohortAdmin key={route.cohortId} cohortId={route.cohortId} admin={role === "admin"} />;
    case "mySchedule":
      return <MySchedulePage participant={role === "participant"} cohortIds={props.me.cohorts.map((c) => c.id)} />;
    case "myForms":
      return role === "participant" ? <MyForms me={props.me} /> : <Forbidden />;
  }
}

function Forbidden() {
  return <main className="page"><p>This page is not part of your role.</p></main>;
}

import { lazy, Suspense, type ReactNode } from "react";
import { Route, Router, Switch, type Parser } from "wouter";
import type { Role } from "../../shared/domain/roles.js";
import type { Me } from "./api.js";
import { Invite } from "./screens/Invite.js";
import { Home } from "./screens/Home.js";
import { SessionRoom } from "./room/SessionRoom.js";
import { Loading, NotFound, SignedIn, type Auth } from "./Shell.js";

// Screens a participant in a live room never needs load on first use; the circle room carries Yjs.
const CircleRoom = lazy(() => import("./circle/CircleRoom.js").then((m) => ({ default: m.CircleRoom })));
const EnrolPage = lazy(() => import("./forms/EnrolPage.js").then((m) => ({ default: m.EnrolPage })));
const AdminHome = lazy(() => import("./admin/AdminHome.js").then((m) => ({ default: m.AdminHome })));
const CohortAdmin = lazy(() => import("./admin/CohortAdmin.js").then((m) => ({ default: m.CohortAdmin })));
const MySchedulePage = lazy(() => import("./admin/MySchedulePage.js").then((m) => ({ default: m.MySchedulePage })));
const JournalPage = lazy(() => import("./journal/JournalPage.js").then((m) => ({ default: m.JournalPage })));
const OutcomesPage = lazy(() => import("./outcomes/staff/OutcomesPage.js").then((m) => ({ default: m.OutcomesPage })));
const MyForms = lazy(() => import("./forms/MyForms.js").then((m) => ({ default: m.MyForms })));
const MyQuestionnaires = lazy(() =>
  import("./outcomes/MyQuestionnaires.js").then((m) => ({ default: m.MyQuestionnaires })),
);
const QuestionnairePage = lazy(() =>
  import("./outcomes/QuestionnairePage.js").then((m) => ({ default: m.QuestionnairePage })),
);

/**
 * Patterns are literal segments and `:name` parameters (`*` only for the fallback). Our own
 * parser instead of wouter's default (regexparam) because that one ignores case, and `/Admin`
 * has never been an address of ours: the table answers exactly the paths it lists.
 */
const parser: Parser = (route) => {
  const keys: string[] = [];
  const body = route
    .split("/")
    .filter((seg) => seg !== "")
    .map((seg) => {
      if (seg === "*") {
        keys.push("*");
        return "/(.*)";
      }
      if (seg.startsWith(":")) {
        keys.push(seg.slice(1));
        return "/([^/]+)";
      }
      return `/${seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    })
    .join("");
  return { pattern: new RegExp(`^${body}/?$`), keys };
};

const STAFF: readonly Role[] = ["admin", "facilitator"];

export interface RoutesProps {
  auth: Auth;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

/**
 * Every address of the client, in one place. Two kinds of rows:
 * - links a person opens before they have a session (`/invite/:token`, the enrolment link
 *   `/join/:token` that the server's createInvite returns): they sign the person in themselves;
 * - everything else needs a signed-in person: `signedIn` adds the header, staff alert notices
 *   and the section links (not in the live and circle rooms, which fill the screen), and answers
 *   "not part of your role" outside `roles`.
 * The server answers index.html for any path outside /api, so each of these works on a fresh load.
 */
export function Routes(props: RoutesProps) {
  const { auth, refresh, signOut } = props;
  const signedIn = (screen: (me: Me) => ReactNode, opts: { nav?: boolean; roles?: readonly Role[] } = {}) => (
    <SignedIn auth={auth} refresh={refresh} signOut={signOut} nav={opts.nav ?? true} roles={opts.roles ?? null}>
      {screen}
    </SignedIn>
  );
  /** The cohort screen, for both of its spellings below. */
  const cohortScreen = (cohortId: string) =>
    signedIn(
      (me) => (
        <Lazy>
          <CohortAdmin key={cohortId} cohortId={cohortId} admin={me.user.role === "admin"} />
        </Lazy>
      ),
      { roles: STAFF },
    );
  return (
    <Router parser={parser}>
      <Switch>
        <Route path="/invite/:token">{(p) => <Invite token={p.token} onSignedIn={refresh} />}</Route>
        <Route path="/join/:token">
          {(p) => (
            <Lazy>
              <EnrolPage token={p.token} onSignedIn={refresh} />
            </Lazy>
          )}
        </Route>

        <Route path="/">{() => signedIn((me) => <Home me={me} refresh={refresh} />)}</Route>
        <Route path="/session/:sessionId">
          {(p) =>
            signedIn((me) => <SessionRoom key={p.sessionId} sessionId={p.sessionId} me={me.user} />, { nav: false })
          }
        </Route>
        <Route path="/circle/:circleId">
          {(p) =>
            signedIn(
              (me) => (
                <Lazy>
                  <CircleRoom key={p.circleId} circleId={p.circleId} me={me.user} />
                </Lazy>
              ),
              { nav: false },
            )
          }
        </Route>

        <Route path="/admin">
          {() =>
            signedIn(
              () => (
                <Lazy>
                  <AdminHome programId={null} />
                </Lazy>
              ),
              { roles: ["admin"] },
            )
          }
        </Route>
        <Route path="/admin/program/:programId">
          {(p) =>
            signedIn(
              () => (
                <Lazy>
                  <AdminHome programId={p.programId} />
                </Lazy>
              ),
              { roles: ["admin"] },
            )
          }
        </Route>
        {/* Two spellings of one screen: the admin's table links the first, the section links the second. */}
        <Route path="/admin/cohort/:cohortId">{(p) => cohortScreen(p.cohortId)}</Route>
        <Route path="/cohort/:cohortId">{(p) => cohortScreen(p.cohortId)}</Route>
        <Route path="/cohort/:cohortId/outcomes">
          {(p) =>
            signedIn(
              (me) => (
                <Lazy>
                  <OutcomesPage key={p.cohortId} cohortId={p.cohortId} me={me.user} />
                </Lazy>
              ),
              { roles: STAFF },
            )
          }
        </Route>
        <Route path="/my/schedule">
          {() =>
            signedIn((me) => (
              <Lazy>
                <MySchedulePage participant={me.user.role === "participant"} cohortIds={me.cohorts.map((c) => c.id)} />
              </Lazy>
            ))
          }
        </Route>
        <Route path="/journal">
          {() =>
            signedIn(
              (me) => (
                <Lazy>
                  <JournalPage me={me} />
                </Lazy>
              ),
              { roles: ["participant"] },
            )
          }
        </Route>
        <Route path="/my/forms">
          {() =>
            signedIn(
              (me) => (
                <Lazy>
                  <MyForms me={me} />
                </Lazy>
              ),
              { roles: ["participant"] },
            )
          }
        </Route>
        <Route path="/my/questionnaires">
          {() =>
            signedIn(
              (me) => (
                <Lazy>
                  <MyQuestionnaires me={me} />
                </Lazy>
              ),
              { roles: ["participant"] },
            )
          }
        </Route>
        <Route path="/my/questionnaires/:cohortId/:visitId/:instrument">
          {(p) =>
            signedIn(
              (me) => (
                <Lazy>
                  <QuestionnairePage
                    userId={me.user.id}
                    cohortId={p.cohortId}
                    visitId={p.visitId}
                    instrument={p.instrument}
                  />
                </Lazy>
              ),
              { roles: ["participant"] },
            )
          }
        </Route>

        <Route>{() => signedIn(() => <NotFound />)}</Route>
      </Switch>
    </Router>
  );
}

function Lazy(props: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{props.children}</Suspense>;
}

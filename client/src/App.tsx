import { Suspense, lazy, useCallback, useEffect, useRef, useState } from "react";
import { fetchMe, logout, type Me } from "./api.js";
import { setSignedOutHandler, startSocket, stopSocket, useConnection } from "./live/socket.js";
import { linkTo, matchRoute, navigate, usePath } from "./router.js";
import { Home } from "./screens/Home.js";
import { Invite } from "./screens/Invite.js";
import { SignIn } from "./screens/SignIn.js";
import { SessionRoom } from "./room/SessionRoom.js";
import { AdminNav } from "./admin/Nav.js";
import { joinToken } from "./admin/paths.js";

// The admin, schedule and forms screens load on first use: a participant in a live room never needs them.
const AdminScreens = lazy(() => import("./admin/routes.js").then((m) => ({ default: m.AdminScreens })));
// The circle room carries Yjs; load it only for people who open a circle.
const CircleRoom = lazy(() => import("./circle/CircleRoom.js").then((m) => ({ default: m.CircleRoom })));
const EnrolPage = lazy(() => import("./forms/EnrolPage.js").then((m) => ({ default: m.EnrolPage })));
import { AlertNotices } from "./room/AlertNotices.js";

type Auth = { status: "loading" } | { status: "signedOut" } | { status: "signedIn"; me: Me } | { status: "error"; message: string };

export function App() {
  const route = matchRoute(usePath());
  const [auth, setAuth] = useState<Auth>({ status: "loading" });

  // Only the latest /api/me answer counts: an older 401 must not undo a newer sign-in.
  const latest = useRef(0);
  const refresh = useCallback(async (): Promise<void> => {
    const call = ++latest.current;
    const r = await fetchMe();
    if (call !== latest.current) return;
    if (r.ok) {
      setAuth({ status: "signedIn", me: r.data });
      startSocket();
    } else if (r.error.status === 401) {
      stopSocket();
      setAuth({ status: "signedOut" });
    } else {
      setAuth((prev) => (prev.status === "signedIn" ? prev : { status: "error", message: r.error.message }));
    }
  }, []);

  useEffect(() => {
    setSignedOutHandler(() => {
      stopSocket();
      setAuth({ status: "signedOut" });
    });
    // Later checks come from sign-in, the invite page and the socket.
    void refresh();
  }, [refresh]);

  const signOut = async (): Promise<void> => {
    await logout();
    stopSocket();
    setAuth({ status: "signedOut" });
    navigate("/", { replace: true });
  };

  if (route.name === "invite") return <Invite token={route.token} onSignedIn={refresh} />;
  const join = route.name === "admin" ? joinToken(window.location.pathname) : null;
  if (join) return <Suspense fallback={<Loading />}><EnrolPage token={join} onSignedIn={refresh} /></Suspense>;
  if (auth.status === "loading") return <p className="page center muted" role="status">Loading…</p>;
  if (auth.status === "error") {
    return (
      <main className="page center">
        <p role="alert">{auth.message}</p>
        <button type="button" onClick={() => void refresh()}>Try again</button>
      </main>
    );
  }
  if (auth.status === "signedOut") return <SignIn onSignedIn={refresh} />;

  const { me } = auth;
  return (
    <>
      <Header name={me.user.name} role={me.user.role} onSignOut={signOut} />
      {me.user.role !== "participant" && <AlertNotices />}
      {route.name !== "session" && route.name !== "circle" && <AdminNav me={me} />}
      {route.name === "home" && <Home me={me} refresh={refresh} />}
      {route.name === "admin" && <Suspense fallback={<Loading />}><AdminScreens me={me} /></Suspense>}
      {route.name === "session" && <SessionRoom key={route.sessionId} sessionId={route.sessionId} me={me.user} />}
      {route.name === "circle" && <Suspense fallback={<Loading />}><CircleRoom key={route.circleId} circleId={route.circleId} me={me.user} /></Suspense>}
      {route.name === "notFound" && (
        <main className="page">
          <p>There is nothing at this address.</p>
          <a href="/" onClick={linkTo("/")}>Go to your sessions</a>
        </main>
      )}
    </>
  );
}

function Header(props: { name: string; role: string; onSignOut: () => Promise<void> }) {
  const { connected } = useConnection();
  return (
    <header className="topbar">
      <a className="brand" href="/" onClick={linkTo("/")}>Holdspace</a>
      <span className="conn" data-testid="connection-status" data-state={connected ? "connected" : "reconnecting"} role="status">
        {connected ? "Connected" : "Reconnecting…"}
      </span>
      <span className="who" data-testid="whoami">
        {props.name} <span className="muted">({props.role})</span>
      </span>
      <button type="button" className="quiet" data-testid="signout" onClick={() => void props.onSignOut()}>
        Sign out
      </button>
    </header>
  );
}

function Loading() {
  return <p className="page muted" role="status">Loading…</p>;
}

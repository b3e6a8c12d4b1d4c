import type { ReactNode } from "react";
import { Link } from "wouter";
import type { Role } from "../../shared/domain/roles.js";
import type { Me } from "./api.js";
import { AdminNav } from "./admin/Nav.js";
import { LiveRegion } from "./live/LiveRegion.js";
import { useConnection } from "./live/socket.js";
import { AlertNotices } from "./room/AlertNotices.js";
import { SoundControl } from "./room/SoundControl.js";
import { PageHeading } from "./PageHeading.js";
import { NotificationsPrompt } from "./notify/NotificationsPrompt.js";
import { SignOutButton } from "./room/SignOutButton.js";
import { SignIn } from "./screens/SignIn.js";
import "./shell.css";

export type Auth =
  | { status: "loading" }
  | { status: "signedOut" }
  | { status: "signedIn"; me: Me }
  | { status: "error"; message: string };

/**
 * The frame of every screen that needs a signed-in person (routes.tsx): until /api/me answers,
 * a sign-in form or a retry; then the header, staff alert notices wherever they are in the app,
 * the section links when `nav`, and the screen — or a refusal outside `roles`.
 */
export function SignedIn(props: {
  auth: Auth;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
  nav: boolean;
  roles: readonly Role[] | null;
  children: (me: Me) => ReactNode;
}) {
  const { auth, refresh } = props;
  if (auth.status === "loading")
    return (
      <p className="page center muted" role="status">
        Loading…
      </p>
    );
  if (auth.status === "error") {
    return (
      <main className="page center">
        <p role="alert">{auth.message}</p>
        <button type="button" onClick={() => void refresh()}>
          Try again
        </button>
      </main>
    );
  }
  if (auth.status === "signedOut") return <SignIn onSignedIn={refresh} />;

  const { me } = auth;
  const allowed = props.roles === null || props.roles.includes(me.user.role);
  return (
    <>
      <LiveRegion />
      <Header name={me.user.name} role={me.user.role} onSignOut={props.signOut} />
      {me.user.role !== "participant" && <AlertNotices />}
      {me.user.role !== "participant" && <NotificationsPrompt userId={me.user.id} />}
      {props.nav && <AdminNav me={me} />}
      {allowed ? props.children(me) : <Forbidden />}
    </>
  );
}

function Header(props: { name: string; role: string; onSignOut: () => Promise<void> }) {
  const { connected } = useConnection();
  return (
    <header className="topbar">
      <Link className="brand" href="/">
        Holdspace
      </Link>
      <span
        className="conn"
        data-testid="connection-status"
        data-state={connected ? "connected" : "reconnecting"}
        role="status"
      >
        {connected ? "Connected" : "Reconnecting…"}
      </span>
      {props.role !== "participant" && <SoundControl />}
      <span className="who" data-testid="whoami">
        {props.name} <span className="muted">({props.role})</span>
      </span>
      <SignOutButton onSignOut={props.onSignOut} />
    </header>
  );
}

export function Loading() {
  return (
    <p className="page muted" role="status">
      Loading…
    </p>
  );
}

export function NotFound() {
  return (
    <main className="page">
      <PageHeading title="Not found" />
      <p>There is nothing at this address.</p>
      <Link href="/">Go to your sessions</Link>
    </main>
  );
}

function Forbidden() {
  return (
    <main className="page">
      <PageHeading title="Not available" />
      <p>This page is not part of your role.</p>
    </main>
  );
}

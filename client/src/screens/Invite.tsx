import { useEffect, useState } from "react";
import { Link } from "wouter";
import { navigate } from "wouter/use-browser-location";
import { acceptInvite, type ApiResult, type User } from "../api.js";
import { PageHeading } from "../PageHeading.js";

/*
 * An invite token works once. Remember the request per token at module level so that a
 * re-render or re-mount of this page never spends the token a second time.
 */
const accepted = new Map<string, Promise<ApiResult<User>>>();

function acceptOnce(token: string): Promise<ApiResult<User>> {
  let p = accepted.get(token);
  if (!p) {
    p = acceptInvite(token);
    accepted.set(token, p);
  }
  return p;
}

/** /invite/:token — a one-time sign-in link: accept it on load, then go home. */
export function Invite(props: { token: string; onSignedIn: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const { token, onSignedIn } = props;

  useEffect(() => {
    let live = true;
    void acceptOnce(token).then(async (r) => {
      if (!live) return;
      if (!r.ok) {
        setError(
          r.error.code === "INVITE_INVALID"
            ? "This sign-in link has already been used or has expired. Ask your program for a new one, or sign in with your password."
            : r.error.message,
        );
        return;
      }
      await onSignedIn();
      navigate("/", { replace: true });
    });
    return () => {
      live = false;
    };
  }, [token, onSignedIn]);

  return (
    <main className="page narrow center">
      <PageHeading title="Signing in">Holdspace</PageHeading>
      {error ? (
        <>
          <p className="form-error" role="alert" data-testid="invite-error">
            {error}
          </p>
          <Link href="/">Go to sign-in</Link>
        </>
      ) : (
        <p role="status" data-testid="invite-status">
          Signing you in…
        </p>
      )}
    </main>
  );
}

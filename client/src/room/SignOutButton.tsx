import { useState } from "react";
import { useSignOutWarning } from "./live-guard.js";
import "./room.css";

/**
 * The header's "Sign out". During a live session it asks first, with what would be lost and
 * "Stay signed in" as the focused, first choice: one stray tap must not take "I need support" off a
 * participant's phone (issue 11). Outside a live room it signs out at once.
 */
export function SignOutButton(props: { onSignOut: () => Promise<void> }) {
  const warning = useSignOutWarning();
  const [asking, setAsking] = useState(false);
  const button = (
    <button
      type="button"
      className="quiet"
      data-testid="signout"
      aria-expanded={warning !== null ? asking : undefined}
      onClick={() => {
        if (warning === null) void props.onSignOut();
        else setAsking(!asking);
      }}
    >
      Sign out
    </button>
  );
  if (!asking || warning === null) return button;
  return (
    <span className="signout-wrap">
      {button}
      <span
        className="signout-confirm"
        role="alertdialog"
        aria-labelledby="signout-q"
        aria-describedby="signout-why"
        data-testid="signout-confirm"
        onKeyDown={(e) => {
          if (e.key === "Escape") setAsking(false);
        }}
      >
        <strong id="signout-q">Sign out during the live session?</strong>
        <span id="signout-why">{warning}</span>
        <span className="signout-actions">
          <button
            type="button"
            className="primary"
            autoFocus
            onClick={() => {
              setAsking(false);
            }}
            data-testid="signout-cancel"
          >
            Stay signed in
          </button>
          <button type="button" className="danger" onClick={() => void props.onSignOut()} data-testid="signout-anyway">
            Sign out anyway
          </button>
        </span>
      </span>
    </span>
  );
}

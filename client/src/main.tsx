// First: no schema may be built before zod is told not to compile with `new Function` (CSP).
import "./zod-jitless.js";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
// Tokens and base styles first: every feature's own stylesheet (imported by its components) builds on them.
import "./styles/tokens.css";
import "./styles/base.css";
import { App } from "./App.js";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");
// StrictMode mounts every effect twice in development; effects here are written to survive that:
// a room's leave waits a moment and is cancelled by the remount (live/rooms.ts), and a one-time
// invite link is redeemed by one request per token however often its page mounts (Invite.tsx).
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");
// No <StrictMode>: its double-mount would leave and re-join live rooms in development, which the
// server records as "left the room" events [PR5], and would spend one-time invite tokens twice.
createRoot(root).render(<App />);

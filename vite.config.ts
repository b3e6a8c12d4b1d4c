import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The server (port 3000) owns the API and the socket; in dev Vite proxies to it so the
// client stays same-origin and the httpOnly session cookie just works. The server refuses
// pages of other origins (server/http/origin.ts), and Vite's page is one (port 5173): the proxy
// presents the requests as the server's own page, which is what they stand in for.
const server = "http://localhost:3000";
const asServer = { origin: server };

export default defineConfig({
  root: "client",
  plugins: [react()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    // Modules run in the order the source imports them, across chunks: main.tsx's first import
    // (zod-jitless.ts) must run before any shared schema is built, or zod probes `new Function`
    // and the page's CSP reports it (issue 13; tests/e2e/csp.test.ts).
    rolldownOptions: { output: { strictExecutionOrder: true } },
  },
  server: {
    proxy: {
      "/api": { target: server, changeOrigin: false, headers: asServer },
      "/healthz": { target: server, changeOrigin: false },
      "/socket.io": { target: server, ws: true, changeOrigin: false, headers: asServer },
    },
  },
});

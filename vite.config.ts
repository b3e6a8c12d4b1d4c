import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The server (port 3000) owns the API and the socket; in dev Vite proxies to it so the
// client stays same-origin and the httpOnly session cookie just works.
const server = "http://localhost:3000";

export default defineConfig({
  root: "client",
  plugins: [react()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
  },
  server: {
    proxy: {
      "/api": { target: server, changeOrigin: false },
      "/healthz": { target: server, changeOrigin: false },
      "/socket.io": { target: server, ws: true, changeOrigin: false },
    },
  },
});

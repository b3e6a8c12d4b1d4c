import { useCallback, useEffect, useRef, useState } from "react";
import { navigate } from "wouter/use-browser-location";
import { fetchMe, logout } from "./api.js";
import { setSignedOutHandler, startSocket, stopSocket } from "./live/socket.js";
import { forgetPush } from "./notify/push.js";
import { Routes } from "./routes.js";
import type { Auth } from "./Shell.js";

/** Who is signed in (from /api/me), kept for the whole tab; the route table decides what to show. */
export function App() {
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

  const signOut = useCallback(async (): Promise<void> => {
    await forgetPush();
    await logout();
    stopSocket();
    setAuth({ status: "signedOut" });
    navigate("/", { replace: true });
  }, []);

  return <Routes auth={auth} refresh={refresh} signOut={signOut} />;
}

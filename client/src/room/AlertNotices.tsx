import { useEffect, useState } from "react";
import { Link } from "wouter";
import type { AlertNotice } from "../../../shared/protocol/live.js";
import { getSocket } from "../live/socket.js";
import { clock } from "../time.js";
import { ALERT_LABEL } from "./labels.js";
import { beep, enableSound, useSoundEnabled } from "./sound.js";
import "./alerts.css";

/** The reason a notice arrived, in words: escalation tier, or how long it has waited. */
function why(n: AlertNotice): string {
  if (n.reminder > 0) return `Still no response after ${n.reminder + 1} min: `;
  if (n.tier > 0) return `Escalated (${n.tier === 1 ? "15 s" : "60 s"} without a response): `;
  return "";
}

/**
 * [LIVE3][LIVE6] Escalations and ratio alerts pushed to this staff person wherever they are in
 * the app (program admins included). The session screen shows the detail; this says where to go.
 */
export function AlertNotices() {
  const [notices, setNotices] = useState<AlertNotice[]>([]);
  const sound = useSoundEnabled();
  useEffect(() => {
    const socket = getSocket();
    const onNotice = (n: AlertNotice): void => {
      beep(n.tier > 0 ? 1100 : 990);
      setNotices((prev) => [n, ...prev.filter((p) => p.alertId !== n.alertId)].slice(0, 5));
    };
    socket.on("alert:notice", onNotice);
    return () => {
      socket.off("alert:notice", onNotice);
    };
  }, []);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="alert" data-testid="alert-notices">
      {notices.map((n) => (
        <p key={n.alertId} className="notice" data-testid={`notice-${n.alertId}`} data-tier={n.tier}>
          <span aria-hidden="true">⚠ </span>
          {why(n)}
          {ALERT_LABEL[n.kind]} · raised {clock(n.raisedAt)} ·{" "}
          <Link href={`/session/${encodeURIComponent(n.sessionId)}`}>Open the session</Link>
          <button
            type="button"
            className="quiet"
            onClick={() => {
              setNotices((prev) => prev.filter((p) => p.alertId !== n.alertId));
            }}
          >
            Dismiss
          </button>
        </p>
      ))}
      {!sound && (
        <button type="button" className="sound-off urgent" onClick={enableSound} data-testid="notices-enable-sound">
          Alert sound is off — turn it on
        </button>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from "react";
import { shareRemainingMs, type CircleState } from "../../../shared/domain/circle.js";
import { formatRemaining } from "../../../shared/domain/circle-time.js";
import { circleNow } from "./serverClock.js";
import "./circle.css";

/** A soft two-note chime, quiet: a cue, never an alarm. Best effort (a browser may block audio). */
function chime(): void {
  try {
    const ctx = new AudioContext();
    for (const [i, f] of [528, 396].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.5);
      gain.gain.exponentialRampToValueAtTime(0.08, ctx.currentTime + i * 0.5 + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.5 + 1.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.5);
      osc.stop(ctx.currentTime + i * 0.5 + 1.3);
    }
  } catch {
    // No audio: the visual cue remains.
  }
}

/**
 * [CIR3] The share timer: counts down from the server's start instant on the server's clock
 * (corrected for this device's offset), so every screen shows the same time. At zero it glows
 * softly and chimes once; it never cuts anyone off.
 */
export function ShareTimer(props: { state: CircleState }) {
  const { state } = props;
  const [now, setNow] = useState(circleNow);
  const chimedFor = useRef<string | null>(null);
  useEffect(() => {
    // 100 ms keeps a screen's own repaint lag well inside the half second screens may differ by [CIR3].
    const t = setInterval(() => {
      setNow(circleNow());
    }, 100);
    return () => {
      clearInterval(t);
    };
  }, []);
  const raw = shareRemainingMs(state, now);
  // A few ms of clock error must not show 5:01 of a 5:00 share.
  const remaining = raw === null ? null : Math.min(raw, state.shareSeconds * 1000);
  const over = remaining !== null && remaining <= 0;
  const shareKey = `${state.holder ?? ""}@${state.holderSince ?? ""}`;
  useEffect(() => {
    if (over && chimedFor.current !== shareKey) {
      chimedFor.current = shareKey;
      chime();
    }
  }, [over, shareKey]);
  if (remaining === null)
    return (
      <p className="timer muted" data-testid="share-timer" data-state="idle">
        No share in progress
      </p>
    );
  return (
    <p
      className={`timer${over ? " timer-over" : ""}`}
      data-testid="share-timer"
      data-state={over ? "overtime" : "running"}
      data-remaining-ms={Math.round(remaining)}
      aria-live="off"
    >
      <span className="timer-label">{over ? "Time is up — take the time you need to finish" : "Share time left"}</span>
      <span className="timer-value">{formatRemaining(remaining)}</span>
    </p>
  );
}

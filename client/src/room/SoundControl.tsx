import { disableSound, enableSound, useAnythingWaiting, useSoundState } from "./sound.js";
import "./alerts.css";

/**
 * [LIVE6] The one place staff turn the alert sound on or off (in the header, on every staff
 * screen). After a reload with sound chosen the browser may still want a click first: then this is
 * the one prompt, urgent while an alert waits.
 */
export function SoundControl() {
  const state = useSoundState();
  const urgent = useAnythingWaiting();
  if (state === "on")
    return (
      <span className="sound-control" data-testid="sound-state" data-state="on">
        Alert sound on
        <button type="button" className="quiet small" onClick={disableSound}>
          Turn off
        </button>
      </span>
    );
  return (
    <button
      type="button"
      className={urgent ? "sound-off urgent" : "sound-off"}
      onClick={enableSound}
      data-testid="enable-sound"
      data-state={state}
    >
      {state === "blocked" ? "Click to allow the alert sound" : "Alert sound is off — turn it on"}
    </button>
  );
}

import { useAnnouncement } from "./announce.js";
import "./live-region.css";

/**
 * The live region `announce()` speaks through, rendered once in the Shell and present from the
 * first paint (a region added together with its text is not read). Visually hidden: what it says
 * is on screen already. An alternating no-break space makes a repeated sentence a change.
 */
export function LiveRegion() {
  const polite = useAnnouncement("polite");
  const assertive = useAnnouncement("assertive");
  return (
    <div className="visually-hidden" data-testid="live-region">
      <div aria-live="polite" aria-atomic="true" data-testid="live-polite">
        {polite.text}
        {polite.n % 2 === 1 ? "\u00a0" : ""}
      </div>
      <div aria-live="assertive" aria-atomic="true" data-testid="live-assertive">
        {assertive.text}
        {assertive.n % 2 === 1 ? "\u00a0" : ""}
      </div>
    </div>
  );
}

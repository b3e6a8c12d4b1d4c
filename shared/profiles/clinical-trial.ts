import { oregon2025 } from "./oregon-2025.js";
import { RuleProfile } from "./schema.js";

/**
 * A trial protocol sets its own group size, ratio, durations and screening (as program
 * overrides); until it does, the Oregon numbers apply.
 */
export const clinicalTrial: RuleProfile = RuleProfile.parse({
  ...oregon2025,
  id: "clinical-trial",
  name: "Clinical trial (protocol-defined)",
  source: "The trial protocol; Oregon 2025 numbers where the protocol is silent",
});

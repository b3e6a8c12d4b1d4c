import type { Services } from "../../services.js";
import type { HandlerTable } from "../handler.js";
import { sessionHandlers } from "./session.js";
import { liveHandlers } from "./live.js";
import { circleHandlers } from "./circle.js";
import { circleNotesHandlers } from "./circle-notes.js";
import { outcomeHandlers } from "./outcome.js";

/**
 * Every command the gateway answers, one module per feature. The type makes a command in
 * shared/protocol without a handler here a compile error.
 */
export function handlers(s: Services): HandlerTable {
  return {
    ...sessionHandlers(s),
    ...liveHandlers(s),
    ...circleHandlers(s),
    ...circleNotesHandlers(s),
    ...outcomeHandlers(s),
  };
}

import type { Users } from "./auth/users.js";
import type { Clock } from "./clock.js";
import type { Directory } from "./domain/directory.js";
import type { LiveListing } from "./domain/live-listing.js";
import type { StreamService } from "./domain/stream-service.js";
import type { IoServer } from "./gateway/fanout.js";
import type { Logger } from "./logger.js";
import type { PresenceService } from "./presence/service.js";
import type { LogStore, Stores } from "./stores/types.js";

/** What handlers and routes are given: the one place dependencies meet is createApp. */
export interface Services {
  nodeId: string;
  clock: Clock;
  log: LogStore;
  stores: Stores;
  users: Users;
  streams: StreamService;
  directory: Directory;
  presence: PresenceService;
  /** Sessions on the list the periodic checks walk; remembers, per app, which it already listed. */
  listing: LiveListing;
  io: IoServer;
  logger: Logger;
}

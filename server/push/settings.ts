import type { Config } from "../config.js";
import type { PushSettings } from "./alert-push.js";
import { DEFAULT_PUSH_HOSTS } from "./endpoint-rule.js";

/** Web Push settings from the environment (server/config.ts): off unless all three VAPID values are set. */
export function pushSettings(config: Config): PushSettings {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = config;
  const hosts = config.PUSH_ENDPOINT_HOSTS?.split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  return {
    vapid:
      publicKey !== undefined && privateKey !== undefined && subject !== undefined
        ? { publicKey, privateKey, subject }
        : null,
    rule: {
      hosts: hosts !== undefined && hosts.length > 0 ? hosts : DEFAULT_PUSH_HOSTS,
      allowLocal: config.PUSH_ALLOW_LOCAL_ENDPOINTS === "1",
    },
  };
}

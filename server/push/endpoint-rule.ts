/**
 * Where the server may send a push [SSRF]. A subscription's endpoint is chosen by whoever posts
 * it, and the server then makes requests to it from inside the network — so an endpoint naming an
 * internal host (Redis, a metadata service, an admin port) must never be called. The rule:
 *
 * - `https:` only, on the default port, with a DNS host name (no IP literal, no user:password@);
 * - the host is one of the browsers' push services (or a sub-domain of one): Chrome/Edge/Opera
 *   (FCM), Firefox (Mozilla autopush), Safari (Apple), legacy Edge (WNS). A list rather than a
 *   "not private" check, because a public name can resolve to a private address (DNS rebinding)
 *   and the list's names are run by those companies;
 * - tests (and only with `PUSH_ALLOW_LOCAL_ENDPOINTS=1`) may use `http://127.0.0.1:<port>/…`.
 *
 * Checked when a subscription is registered and again before every send (a stored endpoint from
 * before a configuration change). The sender never follows redirects (sender.ts), so a push
 * service cannot bounce the request somewhere else either.
 */
export const DEFAULT_PUSH_HOSTS = [
  "fcm.googleapis.com",
  "android.googleapis.com",
  "push.services.mozilla.com",
  "push.apple.com",
  "notify.windows.com",
] as const;

export interface EndpointRule {
  /** Host names (and their sub-domains) a push may go to. */
  hosts: readonly string[];
  /** Also admit `http://127.0.0.1:<port>` — the local test push service. */
  allowLocal: boolean;
}

export const DEFAULT_ENDPOINT_RULE: EndpointRule = { hosts: DEFAULT_PUSH_HOSTS, allowLocal: false };

const onList = (host: string, hosts: readonly string[]): boolean =>
  hosts.some((h) => host === h || host.endsWith(`.${h}`));

export function endpointAllowed(endpoint: string, rule: EndpointRule): boolean {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    return false;
  }
  if (u.username !== "" || u.password !== "") return false;
  if (rule.allowLocal && u.protocol === "http:" && u.hostname === "127.0.0.1") return true;
  if (u.protocol !== "https:" || u.port !== "") return false;
  // URL keeps IPv6 literals in brackets and IPv4 literals as dotted numbers; neither is a push service.
  if (u.hostname.startsWith("[") || /^[\d.]+$/.test(u.hostname)) return false;
  return onList(u.hostname.toLowerCase(), rule.hosts);
}

/** Paths the admin, schedule and forms screens answer (see routes.tsx); no imports, so router.ts stays cycle-free. */
export function isAdminPath(path: string): boolean {
  return /^\/(join\/[^/]+|admin(\/program\/[^/]+)?|(admin\/)?cohort\/[^/]+|my\/(schedule|forms))\/?$/.test(path);
}

/** The token of an enrolment link (/join/:token), if this is one. */
export function joinToken(path: string): string | null {
  const m = /^\/join\/([^/]+)\/?$/.exec(path);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

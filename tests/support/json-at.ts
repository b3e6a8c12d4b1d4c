/**
 * The value at `path` in a parsed JSON body, or undefined where there is none. `Response.json()`
 * is `any`; this reads it as `unknown`, and the test checks what it finds there.
 */
export function jsonAt(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    const next: unknown = typeof at === "object" && at !== null ? Reflect.get(at, key) : undefined;
    at = next;
  }
  return at;
}

/** What the bench's modules share: its voice on stderr, a sleep, an error's first line. */
export const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const message = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).split("\n")[0]?.slice(0, 300) ?? "";

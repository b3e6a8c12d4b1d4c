import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Data dirs open in this process. */
const openHere = new Set<string>();

/**
 * The embedded store is single-process: two writers on one journal would hand out the same seq.
 * Claim the data dir with a pid file; a pid file left by a process that is gone (a crash) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  if (openHere.has(dir)) throw new Error(`data dir ${dir} is already open in this process`);
  const file = join(dir, "LOCK");
  const holder = readPid(file);
  if (holder !== null && holder !== process.pid && isAlive(holder)) {
    throw new Error(`data dir ${dir} is in use by process ${holder}`);
  }
  writeFileSync(file, `${process.pid}\n`);
  openHere.add(dir);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    openHere.delete(dir);
    rmSync(file, { force: true });
  };
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return err instanceof Error && "code" in err && err.code === "EPERM";
  }
}

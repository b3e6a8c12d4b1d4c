/**
 * Last-resort cleanup: every OS process the chaos run starts (server nodes, the daemonized
 * redis-server) is registered here by pid, and SIGKILLed when this process exits for any reason
 * the orderly cleanup did not cover (a crash, a test runner killing its worker).
 */
const pids = new Set<number>();
let hooked = false;

function killAll(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  pids.clear();
}

export function track(pid: number | undefined): void {
  if (pid === undefined) return;
  pids.add(pid);
  if (!hooked) {
    hooked = true;
    process.once("exit", killAll);
  }
}

export function untrack(pid: number | undefined): void {
  if (pid !== undefined) pids.delete(pid);
}

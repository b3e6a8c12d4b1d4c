import { createInterface } from "node:readline";
import { startNodeProcess, type NodeProcess } from "../support/node-process.js";
import { track, untrack } from "./reaper.js";
import { Tally } from "./util.js";

export interface LiveNode {
  slot: number;
  /** NODE_ID of this incarnation (`A.1`, then `A.2` after the first restart…). */
  id: string;
  url: string;
}

const SLOT_NAMES = "ABCDEFGHIJ";

/**
 * N real server processes (`node --import tsx server/main.ts`) on one Redis and one prefix, as
 * production runs behind a load balancer. A slot is killed with SIGKILL and started again on a
 * new port under a new node id, like a process manager would.
 */
export class Cluster {
  private readonly procs: (NodeProcess | null)[];
  private readonly incarnations: number[];
  /** `level msg` of every error/warn line the nodes logged (REC3: log lines carry no clinical text). */
  readonly logLines = new Tally();

  private constructor(
    size: number,
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {
    this.procs = Array.from({ length: size }, () => null);
    this.incarnations = Array.from({ length: size }, () => 0);
  }

  static async start(size: number, redisUrl: string, prefix: string): Promise<Cluster> {
    const c = new Cluster(size, redisUrl, prefix);
    try {
      await Promise.all(c.procs.map((_, slot) => c.startSlot(slot)));
    } catch (err) {
      await c.stopAll();
      throw err;
    }
    return c;
  }

  get size(): number {
    return this.procs.length;
  }

  live(): LiveNode[] {
    const out: LiveNode[] = [];
    this.procs.forEach((p, slot) => {
      if (p) out.push({ slot, id: p.nodeId, url: p.url });
    });
    return out;
  }

  /** A live node, not `avoid` when another one is up. */
  pick(avoid: string | null): LiveNode | null {
    const live = this.live();
    const others = live.filter((n) => n.id !== avoid);
    const from = others.length ? others : live;
    return from[Math.floor(Math.random() * from.length)] ?? null;
  }

  async startSlot(slot: number): Promise<LiveNode> {
    if (this.procs[slot]) throw new Error(`slot ${slot} is running`);
    const n = (this.incarnations[slot] ?? 0) + 1;
    this.incarnations[slot] = n;
    const nodeId = `${SLOT_NAMES[slot] ?? String(slot)}.${n}`;
    const proc = await startNodeProcess({ redisUrl: this.redisUrl, prefix: this.prefix, nodeId });
    track(proc.child.pid);
    proc.child.once("exit", () => untrack(proc.child.pid));
    if (proc.child.stderr) {
      const lines = createInterface({ input: proc.child.stderr });
      lines.on("line", (line) => this.countLine(line));
    }
    this.procs[slot] = proc;
    return { slot, id: nodeId, url: proc.url };
  }

  /** SIGKILL the slot's process; resolves once it is gone. */
  async kill9(slot: number): Promise<string> {
    const proc = this.procs[slot];
    if (!proc) throw new Error(`slot ${slot} is not running`);
    this.procs[slot] = null;
    await proc.kill9();
    return proc.nodeId;
  }

  async stopAll(): Promise<void> {
    const running = this.procs.map((p, slot) => ({ p, slot }));
    await Promise.all(
      running.map(async ({ p, slot }) => {
        if (!p) return;
        this.procs[slot] = null;
        const forced = setTimeout(() => p.child.kill("SIGKILL"), 8000);
        await p.stop();
        clearTimeout(forced);
      }),
    );
  }

  private countLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      // Not a logger line (e.g. a store's one-line connection warning): keep only its head.
      this.logLines.add(`raw ${line.trim().slice(0, 60)}`);
      return;
    }
    if (typeof parsed !== "object" || parsed === null) return;
    const level = "level" in parsed && typeof parsed.level === "string" ? parsed.level : "?";
    const msg = "msg" in parsed && typeof parsed.msg === "string" ? parsed.msg : "?";
    const kind = "error" in parsed && typeof parsed.error === "string" ? ` (${parsed.error})` : "";
    if (level === "error" || level === "warn") this.logLines.add(`${level} ${msg}${kind}`);
  }
}

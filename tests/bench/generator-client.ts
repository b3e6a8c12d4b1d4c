import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { z } from "zod";
import type { Cleanup } from "./processes.js";
import { Reply, type Request } from "./protocol.js";

/** The load generator process and its request/reply channel. */
export class Generator {
  private n = 0;
  private readonly waiters = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (raw: unknown) => {
      const r = Reply.safeParse(raw);
      if (!r.success) return;
      const w = this.waiters.get(r.data.n);
      this.waiters.delete(r.data.n);
      w?.resolve(r.data);
    });
    child.once("exit", (code) => {
      for (const w of this.waiters.values()) w.reject(new Error(`the load generator exited (${code})`));
      this.waiters.clear();
    });
  }

  static async start(cleanup: Cleanup): Promise<Generator> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "tests", "bench", "generator.ts")], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env,
    });
    const g = new Generator(child);
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    };
    cleanup.add(stop);
    await g.wait(0, 30_000);
    return g;
  }

  private wait(n: number, ms: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(n);
        reject(new Error(`the load generator did not answer request ${n} within ${ms} ms`));
      }, ms);
      this.waiters.set(n, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  async ask<S extends z.ZodType>(request: Request, schema: S, ms: number): Promise<z.output<S>> {
    const n = ++this.n;
    const reply = this.wait(n, ms);
    this.child.send({ n, request });
    const r = await reply;
    if (!r.ok) throw new Error(`load generator, ${request.type}: ${r.error ?? "failed"}`);
    return schema.parse(r.result);
  }
}

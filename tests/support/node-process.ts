import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";

export interface NodeProcess {
  url: string;
  nodeId: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown hooks, no goodbyes — a crash. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

// `node --import tsx` keeps it one process: the tsx CLI would fork a child that a SIGKILL of the parent leaves running.
const ARGS = ["--import", "tsx", join(process.cwd(), "server", "main.ts")];

/** A real server process (`server/main.ts`) on port 0 against Redis, as production runs it. */
export async function startNodeProcess(env: {
  redisUrl: string;
  prefix: string;
  nodeId: string;
}): Promise<NodeProcess> {
  const child = spawn(process.execPath, ARGS, {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: env.prefix,
      NODE_ID: env.nodeId,
      DEMO: "0",
      STATIC_DIR: "/nonexistent",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${env.nodeId} did not start: ${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`node ${env.nodeId} exited ${code}: ${stderr}`)));
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === "object" && parsed !== null && "port" in parsed && typeof parsed.port === "number")
        resolve(parsed.port);
      else reject(new Error(`unexpected first line: ${line}`));
    });
  }).catch((err: unknown) => {
    // A node that did not come up is not left running.
    child.kill("SIGKILL");
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    nodeId: env.nodeId,
    child,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

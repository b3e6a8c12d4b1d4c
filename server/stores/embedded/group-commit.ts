import { fdatasync, ftruncate, write } from "node:fs";

/** Makes what was written to `fd` durable. Injectable so a test can hold or fail it. */
export type SyncFn = (fd: number) => Promise<void>;

/** fs.fdatasync on libuv's thread pool: the event loop goes on serving while the disk works. */
export const fdatasyncOffLoop: SyncFn = (fd) =>
  new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/** A write or sync of the journal failed: what is on disk past the last durable byte is unknown. */
export class JournalFailedError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `journal ${path} failed to write (${cause instanceof Error ? cause.message : String(cause)}); it refuses further writes until reopened`,
      { cause },
    );
    this.name = "JournalFailedError";
  }
}

export interface GroupCommitStats {
  /** Appends accepted. */
  appends: number;
  /** Syncs started: with group commit, far fewer than appends under load. */
  syncs: number;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Group commit [LOG3]. Appends queue their bytes (in call order, so the file's order is the call
 * order); one flush writes all of them with one write and one sync, off the event loop, and only
 * then resolves them. Appends made while a flush is in flight form the next group — so under
 * load a sync covers many appends, and when idle an append waits for just its own.
 */
export class GroupCommit {
  private queued: Buffer[] = [];
  private waiters: Waiter[] = [];
  /** The flush loop while it runs (it never rejects). */
  private running: Promise<void> | null = null;
  private failed: JournalFailedError | null = null;
  private counts: GroupCommitStats = { appends: 0, syncs: 0 };

  /** `size`: the file's durable length, where a failed group is cut back to. */
  constructor(
    private readonly path: string,
    private readonly fd: number,
    private size: number,
    private readonly sync: SyncFn,
  ) {}

  get failure(): JournalFailedError | null {
    return this.failed;
  }

  stats(): GroupCommitStats {
    return { ...this.counts };
  }

  /** Resolves once the sync covering `bytes` succeeded; rejects if it (or an earlier group) failed. */
  append(bytes: Buffer): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    this.counts.appends += 1;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.queued.push(bytes);
    // Start on a microtask, not now: appends made in the same turn of the event loop (a burst of
    // commands handled together) then share the first flush instead of waiting for the second.
    this.running ??= Promise.resolve().then(() => this.drain());
    return done;
  }

  /** Resolves when nothing is queued or in flight (close waits for this before closing the fd). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0 && this.failed === null) await this.flush();
    } finally {
      this.running = null;
    }
  }

  private async flush(): Promise<void> {
    const chunks = this.queued;
    const waiters = this.waiters;
    this.queued = [];
    this.waiters = [];
    const bytes = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
    try {
      await writeAll(this.fd, bytes);
      this.counts.syncs += 1;
      await this.sync(this.fd);
    } catch (err) {
      this.failed = new JournalFailedError(this.path, err);
      // Everything queued behind this group is refused too: its bytes would follow a hole.
      const refused = [...waiters, ...this.waiters];
      this.queued = [];
      this.waiters = [];
      // Cut the group's bytes off, so a reopen in this process sees only what was durable; if
      // that fails too, a restart's torn-tail check or the record checks deal with what is left.
      await truncate(this.fd, this.size).catch(() => undefined);
      for (const w of refused) w.reject(this.failed);
      return;
    }
    this.size += bytes.length;
    for (const w of waiters) w.resolve();
  }
}

/** fs.write until every byte is written (a write may be partial); the fd is O_APPEND, so no position. */
function writeAll(fd: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (off: number): void => {
      write(fd, bytes, off, bytes.length - off, null, (err, n) => {
        if (err) reject(err);
        else if (off + n >= bytes.length) resolve();
        else from(off + n);
      });
    };
    from(0);
  });
}

function truncate(fd: number, size: number): Promise<void> {
  return new Promise((resolve, reject) => ftruncate(fd, size, (err) => (err ? reject(err) : resolve())));
}

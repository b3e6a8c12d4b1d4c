import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import {
  fdatasyncOffLoop,
  GroupCommit,
  JournalFailedError,
  type GroupCommitStats,
  type SyncFn,
} from "./group-commit.js";

export { JournalFailedError, type GroupCommitStats, type SyncFn };

const NEWLINE = 0x0a;

/** Thrown when a journal holds a damaged line that is not at its end (not a torn last write). */
export class JournalCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
  ) {
    super(`journal ${path} is damaged at line ${line}`);
    this.name = "JournalCorruptError";
  }
}

export interface JournalOptions {
  /** How a group of appends is made durable; fdatasync on the thread pool unless a test holds or fails it. */
  sync?: SyncFn;
}

/**
 * An append-only file of JSON lines. `append` resolves only after the fdatasync covering its line
 * succeeded [LOG3]; appends are committed in groups (group-commit.ts), so a burst shares one sync
 * and the event loop never waits for the disk. After a failed write or sync the journal refuses
 * every further append (`failure`): what is on disk is unknown until it is reopened.
 * On open, a torn tail (a crash mid-write: a last line without its newline, or damaged lines at
 * the very end) is dropped and cut off the file, so the next append starts on a clean line.
 */
export class Journal {
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly writer: GroupCommit,
  ) {}

  /** Open (creating when missing) and return the journal with every complete record in it. */
  static open(path: string, options: JournalOptions = {}): { journal: Journal; records: unknown[] } {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "a+");
    try {
      const created = fstatSync(fd).size === 0;
      const { records, goodBytes } = parse(path, readFileSync(fd));
      if (goodBytes !== fstatSync(fd).size) {
        ftruncateSync(fd, goodBytes);
        fsyncSync(fd);
      }
      if (created) syncDir(dirname(path));
      return {
        journal: new Journal(path, fd, new GroupCommit(path, fd, goodBytes, options.sync ?? fdatasyncOffLoop)),
        records,
      };
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Replace the whole file with `records` atomically (write aside, fsync, rename, fsync dir). */
  static rewrite(path: string, records: readonly unknown[]): void {
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      const body = records.map((r) => `${JSON.stringify(r)}\n`).join("");
      writeAll(fd, Buffer.from(body, "utf8"));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    syncDir(dirname(path));
  }

  /**
   * Queue one record; resolves once it is durable. It is serialised now, so lines are in the
   * order of the calls. Rejects when the journal is closed or failed, or when its group fails.
   */
  append(record: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.path} is closed`));
    return this.writer.append(Buffer.from(`${JSON.stringify(record)}\n`, "utf8"));
  }

  /** Set once a write or sync failed; from then on every append is refused. */
  get failure(): JournalFailedError | null {
    return this.writer.failure;
  }

  stats(): GroupCommitStats {
    return this.writer.stats();
  }

  /** Refuse new appends, wait for those queued or in flight to settle, then close the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.idle();
    closeSync(this.fd);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Split into JSON lines. Damaged lines are tolerated only as a tail; anything before is an error. */
function parse(path: string, buf: Buffer): { records: unknown[]; goodBytes: number } {
  const records: unknown[] = [];
  let goodBytes = 0;
  let firstBad: number | null = null;
  let start = 0;
  let line = 0;
  for (;;) {
    const end = buf.indexOf(NEWLINE, start);
    if (end < 0) break; // no newline: a torn last write
    line += 1;
    const text = buf.toString("utf8", start, end);
    const value = text.trim() === "" ? undefined : tryJson(text);
    if (value === undefined) {
      firstBad ??= line;
    } else {
      if (firstBad !== null) throw new JournalCorruptError(path, firstBad);
      records.push(value);
      goodBytes = end + 1;
    }
    start = end + 1;
  }
  return { records, goodBytes };
}

function tryJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value === null ? undefined : value;
  } catch {
    return undefined;
  }
}

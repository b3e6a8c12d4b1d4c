import { closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

const NEWLINE = 0x0a;

/** Thrown when a journal holds a damaged line that is not at its end (not a torn last write). */
export class JournalCorruptError extends Error {
  constructor(readonly path: string, readonly line: number) {
    super(`journal ${path} is damaged at line ${line}`);
    this.name = "JournalCorruptError";
  }
}

/**
 * An append-only file of JSON lines. `append` returns only after the line is fsynced [LOG3].
 * On open, a torn tail (a crash mid-write: a last line without its newline, or damaged lines at
 * the very end) is dropped and cut off the file, so the next append starts on a clean line.
 */
export class Journal {
  private fd: number | null;
  private size: number;
  /** Set when a write or fsync failed: what is on disk is unknown, so refuse further writes. */
  private failed: Error | null = null;

  private constructor(readonly path: string, fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** Open (creating when missing) and return the journal with every complete record in it. */
  static open(path: string): { journal: Journal; records: unknown[] } {
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
      return { journal: new Journal(path, fd, goodBytes), records };
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

  /** Write one record and fsync it. Throws (and leaves the file as it was) when that fails. */
  append(record: unknown): void {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    if (this.failed) throw this.failed;
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    try {
      writeAll(this.fd, bytes);
      fdatasyncSync(this.fd);
      this.size += bytes.length;
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // the journal stays refused; a restart re-reads what is really on disk
      }
      throw this.failed;
    }
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
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

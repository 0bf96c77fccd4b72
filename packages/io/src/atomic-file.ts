/**
 * Atomic output: bytes go to a temporary file in the target's directory (same filesystem, so the
 * final rename is atomic) and only `commit()` renames it over the target. An error, an `abort()`
 * or a process exit before `commit()` leaves the target untouched (absent if it did not exist).
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, write as fsWrite, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { argumentError, toCoded } from './errors.js';

/** Temp files still open in this process, removed on exit so an interrupted run leaves no litter. */
const pending = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of pending) {
      try {
        unlinkSync(p);
      } catch {
        /* already gone */
      }
    }
  });
}

function writeAt(fd: number, bytes: Uint8Array, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fsWrite(fd, bytes, 0, bytes.length, position, (err, written) => (err ? reject(err) : resolve(written)));
  });
}

/** A temporary file that becomes `target` on {@link AtomicFile.commit}. */
export class AtomicFile {
  private fd: number | undefined;
  private size = 0;
  /**
   * Settles once every asynchronous write started so far has. {@link AtomicFile.abort} closes
   * the descriptor only then: closing it under a write in flight failed that write with EBADF
   * (an unhandled rejection when its caller had already given up on it), and a descriptor number
   * reused by another open could even have received the bytes.
   */
  private inflight: Promise<void> = Promise.resolve();
  private constructor(readonly target: string, readonly tempPath: string, fd: number) {
    this.fd = fd;
  }

  /** Create the temp file next to `target`. Filesystem failures are `CLOSTERA_IO`. */
  static create(target: string): AtomicFile {
    const tempPath = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fd = openSync(tempPath, 'wx');
      installExitHook();
      pending.add(tempPath);
      return new AtomicFile(target, tempPath, fd);
    } catch (err) {
      throw toCoded(err, `cannot create a temporary file for ${target}`);
    }
  }

  /** Bytes appended so far. */
  get length(): number {
    return this.size;
  }

  private handle(): number {
    if (this.fd === undefined) throw argumentError(`${this.target}: writer is already closed`);
    return this.fd;
  }

  /** Append bytes. */
  async append(bytes: Uint8Array): Promise<void> {
    await this.writeAt(bytes, this.size);
  }

  /** Write bytes at an absolute position (used to patch a header once the row count is known). */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    const fd = this.handle();
    const write = (async () => {
      let done = 0;
      while (done < bytes.length) done += await writeAt(fd, bytes.subarray(done), position + done);
    })();
    this.inflight = Promise.all([this.inflight, write.catch(() => undefined)]).then(() => undefined);
    try {
      await write;
    } catch (err) {
      throw toCoded(err, `write failed on ${this.tempPath}`);
    }
    this.size = Math.max(this.size, position + bytes.length);
  }

  /** Synchronous append, for encoders (hyparquet-writer) whose buffer hooks are synchronous. */
  appendSync(bytes: Uint8Array): void {
    const fd = this.handle();
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, this.size + done);
    } catch (err) {
      throw toCoded(err, `write failed on ${this.tempPath}`);
    }
    this.size += bytes.length;
  }

  /** Flush to disk and rename over the target. */
  commit(): void {
    const fd = this.handle();
    try {
      fsyncSync(fd);
      closeSync(fd);
      this.fd = undefined;
      renameSync(this.tempPath, this.target);
      pending.delete(this.tempPath);
    } catch (err) {
      this.abort();
      throw toCoded(err, `cannot move ${this.tempPath} to ${this.target}`);
    }
  }

  /**
   * Drop the temp file; the target is left as it was. Idempotent. The descriptor closes once the
   * writes in flight have settled (see `inflight`); the file is unlinked at once.
   */
  abort(): void {
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      void this.inflight.then(() => {
        try {
          closeSync(fd);
        } catch {
          /* already closed */
        }
      });
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      /* never created or already renamed */
    }
    pending.delete(this.tempPath);
  }
}

/**
 * Output files of a run, all or nothing: each is first written under a hidden temporary name next
 * to its target, and only when every one is complete are they renamed into place (synchronously,
 * so no signal handler runs in between). A cancelled or failed run removes what it staged; a
 * process exit does too.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { outputFormat, type OutputFormat } from '@clostera/io';
import { ClosteraError, ErrorCode } from '@clostera/kernels';

interface Staged {
  target: string;
  temp: string;
}

/** A set of outputs committed together. */
export class StagedOutputs {
  private readonly staged: Staged[] = [];
  private readonly onExit = (): void => this.discard();

  constructor() {
    process.once('exit', this.onExit);
  }

  /**
   * Checks, before any work, that a target can be written: a known extension when `needsFormat`
   * (`.npy`, `.parquet`) and an existing, writable directory.
   *
   * @throws `CLOSTERA_INVALID_ARGUMENT` for an unknown extension, `CLOSTERA_IO` for a missing or read-only directory.
   */
  static check(target: string, needsFormat: boolean): void {
    if (needsFormat) outputFormat(target);
    const dir = dirname(resolve(target));
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      accessSync(dir, constants.W_OK);
    } catch (error) {
      throw new ClosteraError(ErrorCode.Io, `cannot write ${target}: ${dir} is not a writable directory`, { cause: error });
    }
  }

  /**
   * Writes one output through `write(tempPath, format)`; it becomes `target` on {@link commit}.
   * `format` is the target's container (the temporary name has no meaningful extension).
   */
  async stage(target: string, write: (tempPath: string, format: OutputFormat | undefined) => Promise<void>, needsFormat = true): Promise<void> {
    const abs = resolve(target);
    const temp = join(dirname(abs), `.${basename(abs)}.clostera-${process.pid}-${randomBytes(4).toString('hex')}.partial`);
    this.staged.push({ target: abs, temp });
    await write(temp, needsFormat ? outputFormat(abs) : undefined);
  }

  /** Renames every staged file into place. */
  commit(): void {
    for (const s of this.staged) renameSync(s.temp, s.target);
    this.staged.length = 0;
    process.off('exit', this.onExit);
  }

  /** Removes every staged file (idempotent). */
  discard(): void {
    for (const s of this.staged) rmSync(s.temp, { force: true });
    this.staged.length = 0;
    process.off('exit', this.onExit);
  }
}

/**
 * Random-access byte providers under the fixed-stride readers (.npy, raw, .fvecs...).
 * A file is read with positional reads into caller buffers, so nothing larger than one chunk is
 * ever allocated; memory inputs and memory maps also expose zero-copy windows.
 */
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { formatError, toCoded, argumentError } from './errors.js';

/** Positional byte access to a file, a buffer or a mapping. */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Fill `into` with the bytes at `[position, position + into.length)`; short data is `CLOSTERA_FORMAT`. */
  read(position: number, into: Uint8Array): Promise<void>;
  /** Zero-copy window when the bytes are already addressable (memory, mmap). */
  view?(position: number, length: number): Uint8Array;
  /**
   * Tell the provider a window from {@link ByteSource.view} is no longer needed, so a mapping
   * can drop those pages from resident memory (they stay in the OS page cache).
   */
  release?(position: number, length: number): void;
  /** Release the handle or mapping. Idempotent. */
  close(): Promise<void>;
}

function checkBounds(position: number, length: number, size: number): void {
  if (position < 0 || length < 0 || position + length > size) {
    throw formatError(`read of ${length} bytes at ${position} runs past the end (${size} bytes): file truncated`, {
      expected: position + length,
      actual: size,
    });
  }
}

/** A file read through `FileHandle.read` at explicit positions (no shared file cursor). */
export class FileByteSource implements ByteSource {
  private closed = false;
  private constructor(private readonly handle: FileHandle, readonly size: number, readonly path: string) {}

  /** Open `path` read-only; filesystem failures are `CLOSTERA_IO`. */
  static async open(path: string): Promise<FileByteSource> {
    let handle: FileHandle | undefined;
    try {
      handle = await openFile(path, 'r');
      const st = await handle.stat();
      if (!st.isFile()) throw argumentError(`${path} is not a regular file`);
      return new FileByteSource(handle, st.size, path);
    } catch (err) {
      await handle?.close().catch(() => undefined);
      throw toCoded(err, `cannot open ${path}`);
    }
  }

  async read(position: number, into: Uint8Array): Promise<void> {
    if (this.closed) throw argumentError(`${this.path} is closed`);
    checkBounds(position, into.length, this.size);
    let done = 0;
    while (done < into.length) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.handle.read(into, done, into.length - done, position + done));
      } catch (err) {
        throw toCoded(err, `read failed on ${this.path}`);
      }
      // The file shrank after open: same outcome as a truncated file.
      if (bytesRead === 0) {
        throw formatError(`${this.path} ended early at byte ${position + done}`, {
          expected: position + into.length,
          actual: position + done,
        });
      }
      done += bytesRead;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }
}

/** Bytes already in memory (a Buffer, an ArrayBuffer, a typed array's bytes). */
export class MemoryByteSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  async read(position: number, into: Uint8Array): Promise<void> {
    into.set(this.view(position, into.length));
  }
  view(position: number, length: number): Uint8Array {
    checkBounds(position, length, this.size);
    return this.bytes.subarray(position, position + length);
  }
  async close(): Promise<void> {}
}

/** View any binary input as bytes without copying. */
export function asBytes(data: ArrayBuffer | SharedArrayBuffer | ArrayBufferView): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

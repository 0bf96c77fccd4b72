/**
 * Memory-mapped reading for the fixed-stride formats (.npy, raw, .fvecs/.bvecs/.ivecs).
 *
 * Node has no mmap, so the mapping comes from the native addon of `@clostera/kernels`
 * (`mmapOpen`/`mmapRead`/`mmapClose`, backed by the `clostera-mmap` crate). Each read copies one
 * window of the mapping into the chunk being built and then releases that window's pages
 * (`madvise(MADV_DONTNEED)`), so resident memory stays at about one chunk however large the
 * file. When the addon is missing (no binary for this platform, or an older build without the
 * mmap exports) the source falls back to positional `fs` reads, which have the same bounded
 * memory; `memmapMode` tells which one is in use.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { platformTriple } from '@clostera/kernels';
import { FileByteSource, type ByteSource } from './byte-source.js';
import { argumentError, formatError, toCoded } from './errors.js';

/** How a memmap source is actually being served. */
export type MemmapMode = 'native' | 'positional-read';

/** A byte source opened for memory-mapped reading, with the mode it ended up in. */
export type MappedByteSource = ByteSource & { readonly memmapMode: MemmapMode };

interface MmapBinding {
  mmapOpen(path: string): { handle: number; size: number };
  mmapRead(handle: number, offset: number, target: Uint8Array, release: boolean): void;
  mmapClose(handle: number): void;
}

let binding: MmapBinding | null | undefined;

/** The addon's mmap functions, or null when it cannot be loaded or predates them. */
export function nativeMmap(): MmapBinding | null {
  if (binding !== undefined) return binding;
  binding = null;
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@clostera/kernels/package.json'));
    const triple = platformTriple();
    const candidates = [join(root, `clostera-kernels.${triple}.node`), `@clostera/kernels-${triple}`];
    for (const c of candidates) {
      try {
        const mod = require(c) as Partial<MmapBinding>;
        if (typeof mod.mmapOpen === 'function' && typeof mod.mmapRead === 'function' && typeof mod.mmapClose === 'function') {
          binding = mod as MmapBinding;
          break;
        }
      } catch {
        // try the next candidate
      }
    }
  } catch {
    binding = null;
  }
  return binding;
}

/** A file served through a native read-only mapping. */
class NativeMappedSource implements ByteSource {
  readonly memmapMode = 'native' as const;
  private open = true;
  constructor(private readonly native: MmapBinding, private readonly handle: number, readonly size: number, private readonly path: string) {}

  async read(position: number, into: Uint8Array): Promise<void> {
    if (!this.open) throw argumentError(`${this.path} is closed`);
    if (position < 0 || position + into.length > this.size) {
      throw formatError(`read of ${into.length} bytes at ${position} runs past the end (${this.size} bytes): file truncated`, {
        expected: position + into.length,
        actual: this.size,
      });
    }
    try {
      // Copy the window, then drop its pages: the point of the mapping is bounded RSS.
      this.native.mmapRead(this.handle, position, into, true);
    } catch (err) {
      throw toCoded(err, `mmap read failed on ${this.path}`);
    }
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.native.mmapClose(this.handle);
  }
}

/**
 * Open `path` for mapped reading: a native mapping when the addon provides one, else positional
 * reads. Set `CLOSTERA_IO_MMAP=off` to force the positional path (for comparisons).
 */
export async function openMappedBytes(path: string): Promise<MappedByteSource> {
  // The binding takes paths of at most 256 UTF-8 bytes; longer ones use the positional path.
  const native = process.env.CLOSTERA_IO_MMAP === 'off' || Buffer.byteLength(path) > 256 ? null : nativeMmap();
  if (native) {
    let opened: { handle: number; size: number };
    try {
      opened = native.mmapOpen(path);
    } catch (err) {
      throw toCoded(err, `cannot map ${path}`);
    }
    return new NativeMappedSource(native, opened.handle, opened.size, path);
  }
  const file = await FileByteSource.open(path);
  return Object.assign(file, { memmapMode: 'positional-read' as const });
}

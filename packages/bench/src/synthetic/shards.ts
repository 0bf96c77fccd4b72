/**
 * Streams a synthetic dataset to disk as raw float32 shards, for N up to 10^8 in bounded memory.
 *
 * Layout of the output directory:
 * - `x-00000.f32`, `x-00001.f32`, ...: row-major little-endian float32 blocks of `shardRows` rows;
 * - `x-00000.json`, ...: a sidecar per shard (`n`, `d`, `dtype`, `byte_order`, `labels`) so each
 *   shard opens directly with `@clostera/io`'s raw reader or as a `file:` benchmark dataset;
 * - `labels-00000.u32`, ...: little-endian uint32 ground-truth labels;
 * - `manifest.json`: the spec, the shape and the list of shards, written last (atomically) so a
 *   directory with a manifest is always complete.
 *
 * @module
 */
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument, ioError } from '../errors.js';
import { DEFAULT_CHUNK_BYTES, syntheticChunks, syntheticModel, type SyntheticSpec } from './generate.js';

/** Options of {@link writeShards}. */
export interface ShardOptions {
  /** Rows per shard file (default 1,000,000). */
  shardRows?: number;
  /** Bytes of values generated per block; bounds memory (default 16 MiB). */
  chunkBytes?: number;
  /** Called after each block with the rows written so far. */
  onProgress?: (rowsDone: number, rows: number) => void;
}

/** One shard listed in the manifest. */
export interface ShardEntry {
  /** Values file, relative to the directory. */
  x: string;
  /** Labels file, relative to the directory. */
  labels: string;
  /** Index of the shard's first row in the whole dataset. */
  start: number;
  /** Rows in the shard. */
  rows: number;
}

/** Contents of `manifest.json`. */
export interface ShardManifest {
  /** Format tag and version. */
  format: 'clostera-bench-shards/1';
  /** The spec the rows came from (regenerating it gives the same bytes). */
  spec: SyntheticSpec;
  /** Rows in all shards. */
  n: number;
  /** Components per row. */
  d: number;
  /** Ground-truth classes. */
  k: number;
  /** Element type of the values files. */
  dtype: 'float32';
  /** Element type of the label files. */
  labelsDtype: 'uint32';
  /** Byte order of every file. */
  byteOrder: 'little';
  /** The shards, in row order. */
  shards: ShardEntry[];
}

const DEFAULT_SHARD_ROWS = 1_000_000;

function shardName(prefix: string, index: number, ext: string): string {
  return `${prefix}-${String(index).padStart(5, '0')}.${ext}`;
}

/** Little-endian bytes of a typed array (a view when the machine is little-endian, as all supported ones are). */
function bytesOf(a: Float32Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Writes the dataset of `spec` into `dir` (created if needed) and returns the manifest.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for a bad spec or shard size,
 *   `CLOSTERA_IO` when a file cannot be written.
 */
export async function writeShards(spec: SyntheticSpec, dir: string, options: ShardOptions = {}): Promise<ShardManifest> {
  const shardRows = options.shardRows ?? DEFAULT_SHARD_ROWS;
  if (!Number.isSafeInteger(shardRows) || shardRows < 1) throw invalidArgument('shardRows must be a positive integer', { actual: shardRows });
  const model = syntheticModel(spec);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  try {
    await mkdir(dir, { recursive: true });
    const shards: ShardEntry[] = [];
    let current: { entry: ShardEntry; xFile: Awaited<ReturnType<typeof open>>; lFile: Awaited<ReturnType<typeof open>> } | undefined;
    const finish = async (): Promise<void> => {
      if (current === undefined) return;
      await current.xFile.close();
      await current.lFile.close();
      const { entry } = current;
      const sidecar = { n: entry.rows, d: spec.d, dtype: 'float32', byte_order: 'little', labels: entry.labels, labels_dtype: 'uint32', n_classes: spec.k };
      await writeFile(join(dir, entry.x.replace(/\.f32$/, '.json')), JSON.stringify(sidecar, null, 1) + '\n');
      current = undefined;
    };
    for (const chunk of syntheticChunks(spec, chunkBytes)) {
      // A block may straddle a shard boundary: write it in as many pieces as needed.
      for (let offset = 0; offset < chunk.rows; ) {
        if (current === undefined) {
          const index = shards.length;
          const entry: ShardEntry = { x: shardName('x', index, 'f32'), labels: shardName('labels', index, 'u32'), start: chunk.start + offset, rows: 0 };
          shards.push(entry);
          current = { entry, xFile: await open(join(dir, entry.x), 'w'), lFile: await open(join(dir, entry.labels), 'w') };
        }
        const take = Math.min(chunk.rows - offset, shardRows - current.entry.rows);
        await current.xFile.write(bytesOf(chunk.x.subarray(offset * spec.d, (offset + take) * spec.d)));
        await current.lFile.write(bytesOf(chunk.labels.subarray(offset, offset + take)));
        current.entry.rows += take;
        offset += take;
        if (current.entry.rows >= shardRows) await finish();
      }
      options.onProgress?.(chunk.start + chunk.rows, spec.n);
    }
    await finish();
    const manifest: ShardManifest = {
      format: 'clostera-bench-shards/1',
      spec,
      n: spec.n,
      d: model.d,
      k: model.k,
      dtype: 'float32',
      labelsDtype: 'uint32',
      byteOrder: 'little',
      shards,
    };
    const tmp = join(dir, 'manifest.json.tmp');
    await writeFile(tmp, JSON.stringify(manifest, null, 1) + '\n');
    await rename(tmp, join(dir, 'manifest.json'));
    return manifest;
  } catch (error) {
    if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('CLOSTERA_')) throw error;
    throw ioError(`cannot write shards to ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

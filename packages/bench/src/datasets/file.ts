/**
 * Any matrix file the user names, read through `@clostera/io` (npy, raw with a JSON sidecar,
 * fvecs/bvecs, Parquet, Arrow), with optional ground-truth labels.
 *
 * `@clostera/io` is imported dynamically so the rest of the benchmark works while that package is
 * absent or unbuilt; a `file:` dataset then fails with a message that says so.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ClosteraError, ErrorCode, formatError, ioError } from '../errors.js';
import type { Dataset } from './types.js';

/** The part of `@clostera/io` this module uses (typed locally so the build does not need it). */
export interface IoModule {
  /** Opens a matrix file, detecting its format. */
  open(path: string, options?: { d?: number; n?: number; validate?: boolean }): Promise<IoSource>;
}

/** The part of an `@clostera/io` vector source this module uses. */
export interface IoSource {
  /** Rows. */
  readonly n: number;
  /** Components per row. */
  readonly d: number;
  /** Consecutive row blocks as float32. */
  chunks(options?: { maxBytes?: number }): AsyncIterable<{ start: number; rows: number; data: Float32Array }>;
  /** Releases the file. */
  close(): Promise<void>;
}

/** Options of {@link loadFile}. */
export interface FileDatasetOptions {
  /** Labels file: raw `.u8/.u16/.u32/.i32/.i64` or `.npy`. Default: the `labels` entry of a JSON sidecar. */
  labels?: string;
  /** Components per row, for raw files without a sidecar. */
  d?: number;
  /** Keep only the first `n` rows. */
  n?: number;
}

/** Imports `@clostera/io`, or throws one clear error saying it is not available. */
export async function importIo(): Promise<IoModule> {
  const name = '@clostera/io';
  try {
    return (await import(name)) as IoModule;
  } catch (error) {
    throw new ClosteraError(
      ErrorCode.Unsupported,
      `file datasets need @clostera/io, which is not available here (${(error as Error).message}); build it with 'npm run build'`,
      { cause: error },
    );
  }
}

interface Sidecar {
  labels?: string;
  labels_dtype?: string;
  name?: string;
}

async function readSidecar(path: string): Promise<Sidecar> {
  const json = path.replace(/\.[^./\\]+$/, '') + '.json';
  if (json === path || !existsSync(json)) return {};
  try {
    return JSON.parse(await readFile(json, 'utf8')) as Sidecar;
  } catch (error) {
    throw formatError(`sidecar ${json} is not valid JSON`, { cause: error });
  }
}

/** Element type of a labels file from its sidecar entry or its extension. */
function labelsDtype(path: string, declared: string | undefined): string {
  if (declared !== undefined) return declared;
  const ext = extname(path).toLowerCase();
  const byExt: Record<string, string> = { '.u8': 'uint8', '.u16': 'uint16', '.u32': 'uint32', '.i32': 'int32', '.i64': 'int64', '.npy': 'npy' };
  return byExt[ext] ?? 'uint32';
}

/**
 * Reads ground-truth labels as non-negative integers.
 *
 * @throws {@link ClosteraError} `CLOSTERA_IO`, `CLOSTERA_FORMAT` (negative, fractional or an unknown dtype).
 */
export async function readLabels(path: string, dtype?: string): Promise<Uint32Array> {
  const type = labelsDtype(path, dtype);
  let values: ArrayLike<number | bigint>;
  if (type === 'npy') {
    const io = await importIo();
    const src = await io.open(path, {});
    const out: number[] = [];
    for await (const chunk of src.chunks()) for (const v of chunk.data) out.push(v);
    await src.close();
    values = out;
  } else {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw ioError(`cannot read labels ${path}: ${(error as Error).message}`, { cause: error });
    }
    // Copy into a fresh, aligned ArrayBuffer: Buffers may sit at any offset of a shared pool.
    const buf = new Uint8Array(bytes).buffer;
    const ctor = { uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, int32: Int32Array, int64: BigInt64Array }[type];
    if (ctor === undefined) throw formatError(`labels ${path}: unsupported dtype '${type}'`, { expected: 'uint8|uint16|uint32|int32|int64|npy', actual: type });
    values = new ctor(buf);
  }
  const labels = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]!);
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw formatError(`labels ${path}: row ${i} has label ${v}; labels must be non-negative integers`, { row: i, actual: v });
    labels[i] = v;
  }
  return labels;
}

/**
 * Loads a matrix file (and its labels) into memory through `@clostera/io`.
 *
 * @throws {@link ClosteraError} `CLOSTERA_UNSUPPORTED` when `@clostera/io` is unavailable; its
 *   own codes for unreadable files; `CLOSTERA_DIMENSION_MISMATCH` when labels and rows disagree.
 */
export async function loadFile(path: string, id: string, options: FileDatasetOptions = {}): Promise<Dataset> {
  const io = await importIo();
  const abs = resolve(path);
  const source = await io.open(abs, { ...(options.d === undefined ? {} : { d: options.d }), validate: true });
  const n = Math.min(source.n, options.n ?? source.n);
  const x = new Float32Array(n * source.d);
  try {
    for await (const chunk of source.chunks()) {
      if (chunk.start >= n) break;
      const rows = Math.min(chunk.rows, n - chunk.start);
      x.set(chunk.data.subarray(0, rows * source.d), chunk.start * source.d);
    }
  } finally {
    await source.close();
  }
  const sidecar = await readSidecar(abs);
  const labelsPath = options.labels ?? (sidecar.labels === undefined ? undefined : join(dirname(abs), sidecar.labels));
  let labels: Uint32Array | undefined;
  if (labelsPath !== undefined) {
    const all = await readLabels(labelsPath, options.labels === undefined ? sidecar.labels_dtype : undefined);
    if (all.length < n) {
      throw new ClosteraError(ErrorCode.DimensionMismatch, `labels ${labelsPath} has ${all.length} rows for ${n} vectors`, { expected: n, actual: all.length });
    }
    labels = all.slice(0, n);
  }
  const classes = labels === undefined ? undefined : new Set(labels).size;
  return {
    id,
    title: sidecar.name ?? basename(abs).replace(/\.[^.]+$/, ''),
    n,
    d: source.d,
    x,
    ...(labels === undefined ? {} : { labels, classes }),
    source: abs + (labelsPath === undefined ? '' : ` (labels ${labelsPath})`),
  };
}

/**
 * What a {@link Clusterer} accepts as data, and how each kind is opened: a `Float32Array` is used
 * in place; paths, other typed arrays, bytes and Arrow tables go through `@clostera/io`'s `open`;
 * a `VectorSource` is read as given (and left open: its owner closes it).
 *
 * @module
 */
import { open, type OpenedSource, type OpenInput, type OpenOptions, type VectorSource } from '@clostera/io';
import { invalidArgument } from './errors.js';

/**
 * Data to cluster: a row-major typed array (with `d` in the options), a file path or URL (any
 * format `@clostera/io` reads: .npy, Parquet, Arrow, .fvecs, raw), bytes, an Arrow table, or an
 * open `VectorSource`.
 */
export type ClusterInput = OpenInput | VectorSource;

/** How to read a {@link ClusterInput}: `@clostera/io`'s open options (`d` for typed arrays, `column` for Parquet/Arrow, `memmap`, ...). */
export type InputOptions = OpenOptions;

/** An input ready to read: either the rows in memory, or a source to stream. */
export interface OpenedInput {
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** The rows themselves when they are already a `Float32Array` in memory. */
  matrix?: Float32Array;
  /** The source to stream when they are not. */
  source?: VectorSource;
  /** What the data is, for messages (`'memory'`, `'npy'`, `'parquet'`, ...). */
  format: string;
  /** Closes what this module opened (a caller's own source stays open). */
  close(): Promise<void>;
}

/** True for anything shaped like a `@clostera/io` `VectorSource`. */
export function isVectorSource(x: unknown): x is VectorSource {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o['n'] === 'number' && typeof o['d'] === 'number' && typeof o['chunks'] === 'function' && typeof o['rows'] === 'function';
}

/** Opens an input. A `Float32Array` needs `options.d` and is not copied. */
export async function openInput(input: ClusterInput, options: InputOptions = {}): Promise<OpenedInput> {
  if (input instanceof Float32Array) {
    const d = options.d;
    if (d === undefined || !Number.isSafeInteger(d) || d < 1) {
      throw invalidArgument('a typed array input needs its row dimension: pass { d } with the array', 'positive integer d', d);
    }
    if (input.length % d !== 0) {
      throw invalidArgument(`the array has ${input.length} values, not a multiple of d = ${d}`, `multiple of ${d}`, input.length);
    }
    return { n: input.length / d, d, matrix: input, format: 'memory', close: async () => {} };
  }
  if (isVectorSource(input)) {
    return { n: input.n, d: input.d, source: input, format: input.format ?? 'source', close: async () => {} };
  }
  const source: OpenedSource = await open(input, options);
  return { n: source.n, d: source.d, source, format: source.detection.format, close: () => source.close() };
}

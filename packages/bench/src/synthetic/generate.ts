/**
 * Deterministic generation of synthetic datasets, in memory or as a stream of row blocks.
 *
 * @module
 */
import { invalidArgument } from '../errors.js';
import { Rng } from '../random/rng.js';
import { family } from './catalog.js';
import type { RowModel } from './family.js';

/** What to generate: a family, a shape and a seed. Same spec, same bytes. */
export interface SyntheticSpec {
  /** Family name (one of `FAMILIES`). */
  family: string;
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** Ground-truth classes. */
  k: number;
  /** Seed of both the model parameters and the rows. */
  seed: number;
}

/** A block of consecutive generated rows. */
export interface SyntheticChunk {
  /** Index of the first row. */
  start: number;
  /** Rows in this block. */
  rows: number;
  /** Row-major `rows x d` values (a view of a reused buffer: consume it before the next block). */
  x: Float32Array;
  /** Ground-truth label of each row (also a reused view). */
  labels: Uint32Array;
}

/** A generated dataset held in memory. */
export interface SyntheticData {
  /** Row-major `n x d` values. */
  x: Float32Array;
  /** Ground-truth label of each row, in `[0, k)`. */
  labels: Uint32Array;
  /** The model the rows came from (label probabilities etc.). */
  model: RowModel;
}

/** Stream numbers of the two independent random sequences. */
const PARAMETER_STREAM = 1;
const ROW_STREAM = 2;

/** Default block size when streaming: 16 MiB of float32 values. */
export const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Checks a spec and builds its model.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for an unknown family, a non-integer
 *   or non-positive shape, or `d` below the family's minimum.
 */
export function syntheticModel(spec: SyntheticSpec): RowModel {
  const fam = family(spec.family);
  for (const key of ['n', 'd', 'k'] as const) {
    const v = spec[key];
    if (!Number.isSafeInteger(v) || v < (key === 'n' ? 0 : 1)) {
      throw invalidArgument(`synthetic ${key} must be a ${key === 'n' ? 'non-negative' : 'positive'} integer`, { actual: v });
    }
  }
  if (!Number.isSafeInteger(spec.seed)) throw invalidArgument('synthetic seed must be an integer', { actual: spec.seed });
  if (spec.d < fam.minD) throw invalidArgument(`family '${fam.name}' needs d >= ${fam.minD}`, { expected: `>= ${fam.minD}`, actual: spec.d });
  return fam.build(spec.d, spec.k, new Rng(spec.seed, PARAMETER_STREAM));
}

/**
 * Yields the dataset in consecutive blocks of at most `chunkBytes` of values, reusing two buffers,
 * so memory stays bounded whatever `n` is. The rows do not depend on the block size.
 */
export function* syntheticChunks(spec: SyntheticSpec, chunkBytes = DEFAULT_CHUNK_BYTES): Generator<SyntheticChunk> {
  const model = syntheticModel(spec);
  const { d } = model;
  const blockRows = Math.max(1, Math.floor(chunkBytes / (4 * d)));
  const rng = new Rng(spec.seed, ROW_STREAM);
  const x = new Float32Array(Math.min(blockRows, Math.max(spec.n, 1)) * d);
  const labels = new Uint32Array(x.length / d);
  for (let start = 0; start < spec.n; start += blockRows) {
    const rows = Math.min(blockRows, spec.n - start);
    for (let i = 0; i < rows; i++) labels[i] = model.sample(rng, x, i * d);
    yield { start, rows, x: x.subarray(0, rows * d), labels: labels.subarray(0, rows) };
  }
}

/** Generates the whole dataset in memory (`n * d * 4` bytes plus the labels). */
export function generate(spec: SyntheticSpec): SyntheticData {
  const model = syntheticModel(spec);
  const x = new Float32Array(spec.n * spec.d);
  const labels = new Uint32Array(spec.n);
  for (const chunk of syntheticChunks(spec)) {
    x.set(chunk.x, chunk.start * spec.d);
    labels.set(chunk.labels, chunk.start);
  }
  return { x, labels, model };
}

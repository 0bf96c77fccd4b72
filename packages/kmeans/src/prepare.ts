/**
 * Getting the data ready once per fit: shape checks and the seeded training subsample (validation
 * and unit rows under cosine are native passes, see `kernel-steps.ts`).
 *
 * @module
 * @internal
 */
import { ClosteraError, ErrorCode } from '@clostera/kernels';
import type { Rng } from './random.js';

/** Checks `x` is a Float32Array holding whole rows of `d` and returns the row count. */
export function rowsOf(x: unknown, d: unknown, what = 'data'): number {
  if (!(x instanceof Float32Array)) {
    throw new ClosteraError(ErrorCode.InvalidType, `${what} must be a Float32Array`, {
      expected: 'Float32Array',
      actual: Object.prototype.toString.call(x).slice(8, -1),
    });
  }
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
    throw new ClosteraError(ErrorCode.InvalidArgument, 'd must be an integer >= 1', { expected: '>= 1', actual: d });
  }
  if (x.length % d !== 0) {
    throw new ClosteraError(ErrorCode.DimensionMismatch, `${what} length ${x.length} is not a multiple of d = ${d}`, {
      expected: `a multiple of ${d}`,
      actual: x.length,
    });
  }
  return x.length / d;
}

/** The training rows: all of them, or a seeded sample (kept in row order). */
export interface TrainingSet {
  x: Float32Array;
  n: number;
  weights: Float32Array | undefined;
  /** True when a sample stands in for the data. */
  sampled: boolean;
}

/**
 * The rows of a sample of `size` rows as FAISS draws its training sample (a seeded draw, kept in
 * row order), or `undefined` when `size` covers every row.
 */
export function sampleIds(n: number, size: number, rng: Rng): Uint32Array | undefined {
  if (!(n > size)) return undefined;
  return rng.distinct(n, Math.floor(size)).sort();
}

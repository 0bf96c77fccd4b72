import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { Accumulation, AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray, rowCount } from '../validate.js';

/** Optional per-row weights. */
export interface WeightsOption {
  /** One non-negative weight per row; omitted means every row weighs 1. */
  weights?: Float32Array;
}

/** Options of {@link accumulate}. */
export interface AccumulateOptions extends PassOptions, WeightsOption {}

/** Options of {@link accumulateAsync}. */
export interface AccumulateAsyncOptions extends AsyncPassOptions, WeightsOption {}

function checkArgs(x: unknown, d: unknown, labels: unknown, k: unknown, weights: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('labels', labels, 'Uint32Array');
  checkNumber('k', k);
  checkOptionalFloat32('options.weights', weights);
}

/**
 * Per-cluster weighted sums of the rows of `x` (`n x d`) grouped by `labels`, in float64, for a
 * centroid update: the new centroid of cluster `j` is `sums[j*d .. (j+1)*d] / weightSums[j]`.
 * Bit-identical at any thread count.
 *
 * @param labels - cluster of each row, each `< k`.
 * @param k - number of clusters (at least 1).
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` (k = 0, a label `>= k`, with `row`),
 *   `CLOSTERA_DIMENSION_MISMATCH` (labels or weights of the wrong length), `CLOSTERA_NON_FINITE`.
 */
export function accumulate(
  x: Float32Array,
  d: number,
  labels: Uint32Array,
  k: number,
  options?: AccumulateOptions
): Accumulation {
  return runSync(options, () => {
    checkArgs(x, d, labels, k, options?.weights);
    return (o) => native().accumulate(x, labels, options?.weights, d, k, o, undefined, false);
  });
}

/**
 * {@link accumulate} off the JS thread, with cancellation and progress.
 * Do not mutate `x`, `labels` or the weights until the promise settles.
 */
export function accumulateAsync(
  x: Float32Array,
  d: number,
  labels: Uint32Array,
  k: number,
  options?: AccumulateAsyncOptions
): Promise<Accumulation> {
  return runAsync(options, () => {
    checkArgs(x, d, labels, k, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().accumulate(x, labels, options?.weights, d, k, o, control, true),
    };
  });
}

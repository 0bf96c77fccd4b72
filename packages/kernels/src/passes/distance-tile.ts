import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, Metric, PassOptions } from '../types.js';
import { rowCount } from '../validate.js';
import { checkPairArgs } from './pair-checks.js';

/**
 * Every row of `x` (`n x d`) against every centroid of `c` (`k x d`).
 *
 * @returns row-major `n x k` values: squared distances for `'l2'`, inner products for `'ip'`,
 *   cosine similarities for `'cos'`.
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT`,
 *   `CLOSTERA_DIMENSION_MISMATCH`, `CLOSTERA_NON_FINITE` / `CLOSTERA_ZERO_NORM` (with `row`),
 *   `CLOSTERA_OUT_OF_MEMORY` when `n x k` cannot be allocated.
 */
export function distanceTile(
  x: Float32Array,
  c: Float32Array,
  d: number,
  metric: Metric,
  options?: PassOptions
): Float32Array {
  return runSync(options, () => {
    checkPairArgs(x, c, d, metric);
    return (o) => native().distanceTile(x, c, d, metric, o, undefined, false);
  });
}

/**
 * {@link distanceTile} off the JS thread, with cancellation and progress.
 * Do not mutate `x` or `c` until the promise settles.
 */
export function distanceTileAsync(
  x: Float32Array,
  c: Float32Array,
  d: number,
  metric: Metric,
  options?: AsyncPassOptions
): Promise<Float32Array> {
  return runAsync(options, () => {
    checkPairArgs(x, c, d, metric);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().distanceTile(x, c, d, metric, o, control, true),
    };
  });
}

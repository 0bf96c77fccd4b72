import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, Assignment, Metric, PassOptions } from '../types.js';
import { rowCount } from '../validate.js';
import { checkPairArgs } from './pair-checks.js';

/**
 * Nearest centroid of every row of `x` (`n x d`) among the centroids `c` (`k x d`); ties go to
 * the lowest centroid index.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (d = 0, k = 0,
 *   unknown metric), `CLOSTERA_DIMENSION_MISMATCH`, `CLOSTERA_NON_FINITE` / `CLOSTERA_ZERO_NORM`
 *   (with `row`), `CLOSTERA_UNSUPPORTED_SIMD`.
 */
export function assign(x: Float32Array, c: Float32Array, d: number, metric: Metric, options?: PassOptions): Assignment {
  return runSync(options, () => {
    checkPairArgs(x, c, d, metric);
    return (o) => native().assign(x, c, d, metric, o, undefined, false);
  });
}

/**
 * {@link assign} off the JS thread, with cancellation and progress.
 * Do not mutate `x` or `c` until the promise settles.
 */
export function assignAsync(
  x: Float32Array,
  c: Float32Array,
  d: number,
  metric: Metric,
  options?: AsyncPassOptions
): Promise<Assignment> {
  return runAsync(options, () => {
    checkPairArgs(x, c, d, metric);
    return { rows: rowCount(x.length, d), start: (o, control) => native().assign(x, c, d, metric, o, control, true) };
  });
}

import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, Metric, PassOptions, TopLResult } from '../types.js';
import { checkNumber, rowCount } from '../validate.js';
import { checkPairArgs } from './pair-checks.js';

/** Largest `l` {@link topL} accepts. */
export const MAX_L = 32;

function checkArgs(x: unknown, c: unknown, d: unknown, metric: unknown, l: unknown): void {
  checkPairArgs(x, c, d, metric);
  checkNumber('l', l);
}

/**
 * The `l` nearest centroids of every row of `x` (`n x d`) among `c` (`k x d`), nearest first,
 * ties to the lowest index.
 *
 * @param l - list length, `1 <= l <= min(k, 32)`.
 * @returns row-major `n x l` labels and values.
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` when `l` is 0, above 32 or above `k`;
 *   otherwise as {@link assign}.
 */
export function topL(
  x: Float32Array,
  c: Float32Array,
  d: number,
  metric: Metric,
  l: number,
  options?: PassOptions
): TopLResult {
  return runSync(options, () => {
    checkArgs(x, c, d, metric, l);
    return (o) => native().topL(x, c, d, metric, l, o, undefined, false);
  });
}

/**
 * {@link topL} off the JS thread, with cancellation and progress.
 * Do not mutate `x` or `c` until the promise settles.
 */
export function topLAsync(
  x: Float32Array,
  c: Float32Array,
  d: number,
  metric: Metric,
  l: number,
  options?: AsyncPassOptions
): Promise<TopLResult> {
  return runAsync(options, () => {
    checkArgs(x, c, d, metric, l);
    return { rows: rowCount(x.length, d), start: (o, control) => native().topL(x, c, d, metric, l, o, control, true) };
  });
}

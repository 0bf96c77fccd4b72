import { ClosteraError, ErrorCode } from '../errors.js';
import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, Metric, PassOptions } from '../types.js';
import { checkOptionalFloat32, rowCount } from '../validate.js';
import type { WeightsOption } from './accumulate.js';
import type { AssignmentWithSums } from './assign-sums.js';
import { checkPairArgs } from './pair-checks.js';

/** What {@link assignTop2Sums} returns. */
export interface AssignmentTop2Sums extends AssignmentWithSums {
  /**
   * Each row's runner-up value: squared distance (l2) or cosine (cos) to its second-nearest
   * centroid; `+Infinity` (l2) or `-Infinity` (cos) when there is a single centroid.
   */
  second: Float32Array;
}

/** Options of {@link assignTop2Sums}. */
export interface AssignTop2SumsOptions extends PassOptions, WeightsOption {}

/** Options of {@link assignTop2SumsAsync}. */
export interface AssignTop2SumsAsyncOptions extends AsyncPassOptions, WeightsOption {}

type NativeResult = { labels: Uint32Array; values: Float32Array; second: Float32Array; sums: Float64Array; weightSums: Float64Array; counts: Uint32Array };

function shape(r: NativeResult): AssignmentTop2Sums {
  return { labels: r.labels, values: r.values, second: r.second, sums: { sums: r.sums, weightSums: r.weightSums, counts: r.counts } };
}

function checkArgs(x: Float32Array, c: Float32Array, d: number, metric: Metric, weights: unknown): void {
  checkPairArgs(x, c, d, metric);
  if (metric === 'ip') {
    throw new ClosteraError(ErrorCode.InvalidArgument, 'assignTop2Sums supports the l2 and cos metrics', { expected: 'l2 | cos', actual: metric });
  }
  checkOptionalFloat32('options.weights', weights);
}

/**
 * The final assignment of a fit that trained on a subsample, prepared for one refinement step,
 * in one read of the rows: the nearest centroid of every row (as {@link assign}), the runner-up
 * value, and the weighted per-cluster sums of the rows (l2) or of the unit rows (cos: each row
 * counts `w / |x|`), summed in fixed partitions so they are identical at any thread count. With
 * the runner-up, moving the centroids to those sums' means leaves most labels provably
 * unchanged (triangle inequality), without reading the rows again.
 *
 * @throws {@link ClosteraError} as {@link assign} and {@link accumulate}; `CLOSTERA_INVALID_ARGUMENT`
 *   for the `ip` metric.
 */
export function assignTop2Sums(x: Float32Array, c: Float32Array, d: number, metric: Metric, options?: AssignTop2SumsOptions): AssignmentTop2Sums {
  return runSync(options, () => {
    checkArgs(x, c, d, metric, options?.weights);
    return (o) => shape(native().assignTop2Sums(x, c, d, metric, options?.weights, o, undefined, false));
  });
}

/**
 * {@link assignTop2Sums} off the JS thread, with cancellation and progress.
 * Do not mutate `x`, `c` or the weights until the promise settles.
 */
export function assignTop2SumsAsync(
  x: Float32Array,
  c: Float32Array,
  d: number,
  metric: Metric,
  options?: AssignTop2SumsAsyncOptions,
): Promise<AssignmentTop2Sums> {
  return runAsync(options, () => {
    checkArgs(x, c, d, metric, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: async (o, control) => shape(await native().assignTop2Sums(x, c, d, metric, options?.weights, o, control, true)),
    };
  });
}

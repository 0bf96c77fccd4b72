import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { Accumulation, AsyncPassOptions, Assignment, PassOptions } from '../types.js';
import { checkOptionalFloat32, rowCount } from '../validate.js';
import type { WeightsOption } from './accumulate.js';
import { checkPairArgs } from './pair-checks.js';

/** What {@link assignSums} returns: the assignment and the per-cluster sums of its labels. */
export interface AssignmentWithSums extends Assignment {
  /** What {@link accumulate} would return for these labels (summed in fixed partitions). */
  sums: Accumulation;
}

/** Options of {@link assignSums}. */
export interface AssignSumsOptions extends PassOptions, WeightsOption {}

/** Options of {@link assignSumsAsync}. */
export interface AssignSumsAsyncOptions extends AsyncPassOptions, WeightsOption {}

type NativeResult = Assignment & { sums: Float64Array; weightSums: Float64Array; counts: Uint32Array };

function shape(r: NativeResult): AssignmentWithSums {
  return { labels: r.labels, values: r.values, sums: { sums: r.sums, weightSums: r.weightSums, counts: r.counts } };
}

/**
 * A plain Lloyd iteration's native work in one read of the rows: the nearest centroid of every
 * row of `x` (l2, as {@link assign}) and the weighted per-cluster sums of those labels (as
 * {@link accumulate}, summed in fixed partitions so they are identical at any thread count).
 *
 * @throws {@link ClosteraError} as {@link assign} and {@link accumulate} (weights of the wrong
 *   length, negative or non-finite weights with their `row`).
 */
export function assignSums(x: Float32Array, c: Float32Array, d: number, options?: AssignSumsOptions): AssignmentWithSums {
  return runSync(options, () => {
    checkPairArgs(x, c, d, 'l2');
    checkOptionalFloat32('options.weights', options?.weights);
    return (o) => shape(native().assignSums(x, c, d, options?.weights, o, undefined, false));
  });
}

/**
 * {@link assignSums} off the JS thread, with cancellation and progress.
 * Do not mutate `x`, `c` or the weights until the promise settles.
 */
export function assignSumsAsync(x: Float32Array, c: Float32Array, d: number, options?: AssignSumsAsyncOptions): Promise<AssignmentWithSums> {
  return runAsync(options, () => {
    checkPairArgs(x, c, d, 'l2');
    checkOptionalFloat32('options.weights', options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: async (o, control) => shape(await native().assignSums(x, c, d, options?.weights, o, control, true)),
    };
  });
}

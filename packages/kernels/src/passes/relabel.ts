import { ClosteraError, ErrorCode } from '../errors.js';
import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { Accumulation, AsyncPassOptions, Assignment, Metric, PassOptions } from '../types.js';
import { checkOptionalFloat32, checkTypedArray } from '../validate.js';
import type { WeightsOption } from './accumulate.js';
import { checkPairArgs } from './pair-checks.js';

/** What {@link relabel} returns. */
export interface Relabelling extends Assignment {
  /**
   * The weighted per-cluster sums of the relabelled rows by their **old** labels (of the unit
   * rows under cos), summed in fixed partitions so they are identical at any thread count.
   */
  oldSums: Accumulation;
}

/** Options of {@link relabel}. */
export interface RelabelOptions extends PassOptions, WeightsOption {}

/** Options of {@link relabelAsync}. */
export interface RelabelAsyncOptions extends AsyncPassOptions, WeightsOption {}

type NativeResult = Assignment & { sums: Float64Array; weightSums: Float64Array; counts: Uint32Array };

function shape(r: NativeResult): Relabelling {
  return { labels: r.labels, values: r.values, oldSums: { sums: r.sums, weightSums: r.weightSums, counts: r.counts } };
}

function checkArgs(x: Float32Array, d: number, ids: Uint32Array, c: Float32Array, metric: Metric, oldLabels: Uint32Array, weights: unknown): void {
  checkPairArgs(x, c, d, metric);
  checkTypedArray('ids', ids, 'Uint32Array');
  checkTypedArray('oldLabels', oldLabels, 'Uint32Array');
  checkOptionalFloat32('options.weights', weights);
  if (metric === 'ip') {
    throw new ClosteraError(ErrorCode.InvalidArgument, 'relabel supports the l2 and cos metrics', { expected: 'l2 | cos', actual: metric });
  }
}

/**
 * The second half of a refinement step: data rows `ids` of `x` assigned to centroids `c` (labels
 * and values exactly as {@link assign} gives those rows, l2 or cos), and the weighted sums of
 * those rows grouped by `oldLabels` (one per id, the labels they had before the centroids
 * moved). The rows are not validated again: the pass that first labelled them did that.
 * `options.weights` are per data row.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` (an id past the last row or an old
 *   label `>= k`, with its position as `row`; the `ip` metric), `CLOSTERA_DIMENSION_MISMATCH`
 *   (`oldLabels` not one per id, centroids of another dimension), as {@link assign} otherwise.
 */
export function relabel(x: Float32Array, d: number, ids: Uint32Array, c: Float32Array, metric: Metric, oldLabels: Uint32Array, options?: RelabelOptions): Relabelling {
  return runSync(options, () => {
    checkArgs(x, d, ids, c, metric, oldLabels, options?.weights);
    return (o) => shape(native().relabel(x, d, ids, c, metric, oldLabels, options?.weights, o, undefined, false));
  });
}

/** {@link relabel} off the JS thread, with cancellation and progress (rows are the ids). */
export function relabelAsync(
  x: Float32Array,
  d: number,
  ids: Uint32Array,
  c: Float32Array,
  metric: Metric,
  oldLabels: Uint32Array,
  options?: RelabelAsyncOptions,
): Promise<Relabelling> {
  return runAsync(options, () => {
    checkArgs(x, d, ids, c, metric, oldLabels, options?.weights);
    return {
      rows: ids.length,
      start: async (o, control) => shape(await native().relabel(x, d, ids, c, metric, oldLabels, options?.weights, o, control, true)),
    };
  });
}

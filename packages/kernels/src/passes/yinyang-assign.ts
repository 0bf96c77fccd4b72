import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray, rowCount } from '../validate.js';
import type { Accumulation } from '../types.js';
import type { BoundedAssignAsyncOptions, BoundedAssignOptions, BoundedStepStats } from './bounded-assign.js';

/** Options of {@link yinyangAssign}. */
export interface YinyangOptions extends BoundedAssignOptions {
  /**
   * Also return the per-cluster sums of the new assignment (as {@link accumulate} would), computed
   * while each row is in cache: the centroid update then needs no second pass over the data.
   */
  withSums?: boolean;
}

/** Options of {@link yinyangAssignAsync}. */
export interface YinyangAsyncOptions extends BoundedAssignAsyncOptions {
  /** See {@link YinyangOptions.withSums}. */
  withSums?: boolean;
}

/** What one Yinyang step did, with the fused cluster sums when asked for. */
export interface YinyangStepResult extends BoundedStepStats {
  /** Present with `withSums`. */
  sums?: Accumulation;
}

function shape(r: { changed: number; recomputed: number; objective: number; distances: number; sums?: Float64Array; weightSums?: Float64Array; counts?: Uint32Array }): YinyangStepResult {
  const out: YinyangStepResult = { changed: r.changed, recomputed: r.recomputed, objective: r.objective, distances: r.distances };
  if (r.sums !== undefined) out.sums = { sums: r.sums, weightSums: r.weightSums!, counts: r.counts! };
  return out;
}

/** A fixed split of the k centroids into `t` groups for {@link yinyangAssign}. */
export interface CentroidGroups {
  /** Group of each centroid, each `< t` (length k). */
  groupOf: Uint32Array;
  /** Number of groups. */
  t: number;
}

/** Per-row state of a Yinyang run, owned by the caller and updated in place. */
export interface YinyangState {
  /** Current cluster of each row (n). */
  labels: Uint32Array;
  /** Row-major `n x t` lower bounds on each row's distance to the other members of each group. */
  lower: Float32Array;
  /** Output: squared distance of each row to its new centroid (n). */
  values: Float32Array;
}

function checkArgs(x: unknown, c: unknown, d: unknown, groups: CentroidGroups, state: YinyangState, drift: unknown, weights: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkTypedArray('c', c, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('groups.groupOf', groups?.groupOf, 'Uint32Array');
  checkNumber('groups.t', groups?.t);
  checkTypedArray('state.labels', state?.labels, 'Uint32Array');
  checkTypedArray('state.lower', state?.lower, 'Float32Array');
  checkTypedArray('state.values', state?.values, 'Float32Array');
  if (drift !== null) checkTypedArray('drift', drift, 'Float32Array');
  checkOptionalFloat32('options.weights', weights);
}

/**
 * One exact Lloyd assignment step (squared l2) with Yinyang group bounds: each row keeps one
 * lower bound per centroid group; after the centroids move by `drift`, a row whose exact
 * distance to its own centroid is below every group bound keeps its label without any other
 * distance, and otherwise only the groups whose bound it fails are opened. Updates `state`
 * **in place**; `drift = null` is the first step (every row computed, bounds initialised).
 *
 * @throws {@link ClosteraError} as {@link assign}; `CLOSTERA_INVALID_ARGUMENT` for a label `>= k`,
 *   a group `>= t`, or state arrays of the wrong length.
 */
export function yinyangAssign(
  x: Float32Array,
  c: Float32Array,
  d: number,
  groups: CentroidGroups,
  state: YinyangState,
  drift: Float32Array | null,
  options?: YinyangOptions,
): YinyangStepResult {
  return runSync(options, () => {
    checkArgs(x, c, d, groups, state, drift, options?.weights);
    return (o) =>
      shape(native().yinyangAssign(x, c, groups.groupOf, state.labels, state.lower, state.values, drift ?? undefined, options?.weights, d, groups.t, options?.withSums === true, o, undefined, false));
  });
}

/** {@link yinyangAssign} off the JS thread. `state` is written while it runs; touch no argument until the promise settles. */
export function yinyangAssignAsync(
  x: Float32Array,
  c: Float32Array,
  d: number,
  groups: CentroidGroups,
  state: YinyangState,
  drift: Float32Array | null,
  options?: YinyangAsyncOptions,
): Promise<YinyangStepResult> {
  return runAsync(options, () => {
    checkArgs(x, c, d, groups, state, drift, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: async (o, control) =>
        shape(await native().yinyangAssign(x, c, groups.groupOf, state.labels, state.lower, state.values, drift ?? undefined, options?.weights, d, groups.t, options?.withSums === true, o, control, true)),
    };
  });
}

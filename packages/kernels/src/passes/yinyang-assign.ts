import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray, rowCount } from '../validate.js';
import type { BoundedAssignAsyncOptions, BoundedAssignOptions, BoundedStepStats } from './bounded-assign.js';

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
  options?: BoundedAssignOptions,
): BoundedStepStats {
  return runSync(options, () => {
    checkArgs(x, c, d, groups, state, drift, options?.weights);
    return (o) =>
      native().yinyangAssign(x, c, groups.groupOf, state.labels, state.lower, state.values, drift ?? undefined, options?.weights, d, groups.t, o, undefined, false);
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
  options?: BoundedAssignAsyncOptions,
): Promise<BoundedStepStats> {
  return runAsync(options, () => {
    checkArgs(x, c, d, groups, state, drift, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) =>
        native().yinyangAssign(x, c, groups.groupOf, state.labels, state.lower, state.values, drift ?? undefined, options?.weights, d, groups.t, o, control, true),
    };
  });
}

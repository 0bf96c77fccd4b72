import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray, rowCount } from '../validate.js';
import type { WeightsOption } from './accumulate.js';

/**
 * Per-row state of a pruned Lloyd run, owned by the caller and updated in place by
 * {@link boundedAssign}: one entry per row.
 */
export interface BoundedState {
  /** Current cluster of each row (read, then overwritten with the new assignment). */
  labels: Uint32Array;
  /** Lower bound on each row's Euclidean distance to its second-nearest centroid. */
  lower: Float32Array;
  /** Output: squared distance of each row to its new centroid. */
  values: Float32Array;
}

/** How the centroids moved since the previous step. */
export interface CentroidMotion {
  /** Euclidean distance each centroid moved (length k). */
  drift: Float32Array;
  /** Half the distance from each centroid to its nearest other centroid (length k); zeros disable that test. */
  halfSep: Float32Array;
}

/** What one bounded step did. */
export interface BoundedStepStats {
  /** Rows whose label changed. */
  changed: number;
  /** Rows the bounds could not settle, recomputed against every centroid. */
  recomputed: number;
  /** Weighted sum of the squared distances in `values`. */
  objective: number;
  /** Row-centroid distances computed (the one exact distance per settled row included). */
  distances: number;
}

/** Options of {@link boundedAssign}. */
export interface BoundedAssignOptions extends PassOptions, WeightsOption {}

/** Options of {@link boundedAssignAsync}. */
export interface BoundedAssignAsyncOptions extends AsyncPassOptions, WeightsOption {}

function checkArgs(x: unknown, c: unknown, d: unknown, state: BoundedState, motion: CentroidMotion | null, weights: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkTypedArray('c', c, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('state.labels', state?.labels, 'Uint32Array');
  checkTypedArray('state.lower', state?.lower, 'Float32Array');
  checkTypedArray('state.values', state?.values, 'Float32Array');
  if (motion !== null) {
    checkTypedArray('motion.drift', motion?.drift, 'Float32Array');
    checkTypedArray('motion.halfSep', motion?.halfSep, 'Float32Array');
  }
  checkOptionalFloat32('options.weights', weights);
}

/**
 * One exact, pruned Lloyd assignment step (squared l2). A row keeps its label without being
 * compared with the other centroids when Hamerly's bounds prove no other centroid can be nearer
 * (its exact distance to its own centroid, O(d), against `lower` and `halfSep`); the other rows
 * go through the fused kernel and get exactly the label {@link assign} would give. Updates
 * `state` **in place**. With `motion = null` every row is recomputed (the first step).
 *
 * @throws {@link ClosteraError} as {@link assign}; `CLOSTERA_INVALID_ARGUMENT` for a label `>= k` or
 *   state/motion arrays of the wrong length.
 */
export function boundedAssign(
  x: Float32Array,
  c: Float32Array,
  d: number,
  state: BoundedState,
  motion: CentroidMotion | null,
  options?: BoundedAssignOptions,
): BoundedStepStats {
  return runSync(options, () => {
    checkArgs(x, c, d, state, motion, options?.weights);
    return (o) =>
      native().boundedAssign(x, c, state.labels, state.lower, state.values, motion?.drift, motion?.halfSep, options?.weights, d, o, undefined, false);
  });
}

/** {@link boundedAssign} off the JS thread. `state` is written while it runs; touch no argument until the promise settles. */
export function boundedAssignAsync(
  x: Float32Array,
  c: Float32Array,
  d: number,
  state: BoundedState,
  motion: CentroidMotion | null,
  options?: BoundedAssignAsyncOptions,
): Promise<BoundedStepStats> {
  return runAsync(options, () => {
    checkArgs(x, c, d, state, motion, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) =>
        native().boundedAssign(x, c, state.labels, state.lower, state.values, motion?.drift, motion?.halfSep, options?.weights, d, o, control, true),
    };
  });
}

import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, Metric, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkString, checkTypedArray, rowCount } from '../validate.js';
import type { WeightsOption } from './accumulate.js';

/** Options of {@link kmeansppUpdate} and {@link kmeansppPotential}. */
export interface KmeansppOptions extends PassOptions, WeightsOption {}

/** Options of {@link kmeansppUpdateAsync} and {@link kmeansppPotentialAsync}. */
export interface KmeansppAsyncOptions extends AsyncPassOptions, WeightsOption {}

function checkArgs(
  x: unknown,
  d: unknown,
  centers: unknown,
  centersName: string,
  minDist: unknown,
  metric: unknown,
  weights: unknown
): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray(centersName, centers, 'Float32Array');
  checkTypedArray('minDist', minDist, 'Float32Array');
  checkString('metric', metric);
  checkOptionalFloat32('options.weights', weights);
}

/**
 * One k-means++ seeding step: lowers `minDist[i]` to the distance from row `i` of `x` to the new
 * `center` where that is smaller, **in place** (the only pass that writes a caller's array), and
 * returns the new weighted total of `minDist`.
 *
 * @param center - the new centre, `d` values.
 * @param minDist - one entry per row (start with `Infinity`); must not share memory with `x`,
 *   `center` or the weights.
 * @param metric - `'l2'` (squared distance) or `'cos'` (cosine distance).
 * @throws {@link ClosteraError} as {@link assign}; `CLOSTERA_INVALID_ARGUMENT` for `'ip'`, when
 *   `center` is not one row, when `minDist` has the wrong length or shares memory with an input.
 */
export function kmeansppUpdate(
  x: Float32Array,
  d: number,
  center: Float32Array,
  minDist: Float32Array,
  metric: Metric,
  options?: KmeansppOptions
): number {
  return runSync(options, () => {
    checkArgs(x, d, center, 'center', minDist, metric, options?.weights);
    return (o) => native().kmeansppUpdate(x, center, minDist, options?.weights, d, metric, o, undefined, false);
  });
}

/**
 * {@link kmeansppUpdate} off the JS thread, with cancellation and progress. `minDist` is written
 * while the pass runs (and partly updated if it is cancelled); do not touch any argument until
 * the promise settles.
 */
export function kmeansppUpdateAsync(
  x: Float32Array,
  d: number,
  center: Float32Array,
  minDist: Float32Array,
  metric: Metric,
  options?: KmeansppAsyncOptions
): Promise<number> {
  return runAsync(options, () => {
    checkArgs(x, d, center, 'center', minDist, metric, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().kmeansppUpdate(x, center, minDist, options?.weights, d, metric, o, control, true),
    };
  });
}

/**
 * For each candidate centre (row of `candidates`, `m x d`), the weighted total `minDist` would
 * have if that candidate were added; `minDist` is not changed. Used to pick the best of several
 * sampled candidates (greedy k-means++).
 *
 * @returns `m` totals (float64).
 */
export function kmeansppPotential(
  x: Float32Array,
  d: number,
  candidates: Float32Array,
  minDist: Float32Array,
  metric: Metric,
  options?: KmeansppOptions
): Float64Array {
  return runSync(options, () => {
    checkArgs(x, d, candidates, 'candidates', minDist, metric, options?.weights);
    return (o) => native().kmeansppPotential(x, candidates, minDist, options?.weights, d, metric, o, undefined, false);
  });
}

/**
 * {@link kmeansppPotential} off the JS thread, with cancellation and progress.
 * Do not mutate any argument until the promise settles.
 */
export function kmeansppPotentialAsync(
  x: Float32Array,
  d: number,
  candidates: Float32Array,
  minDist: Float32Array,
  metric: Metric,
  options?: KmeansppAsyncOptions
): Promise<Float64Array> {
  return runAsync(options, () => {
    checkArgs(x, d, candidates, 'candidates', minDist, metric, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) =>
        native().kmeansppPotential(x, candidates, minDist, options?.weights, d, metric, o, control, true),
    };
  });
}

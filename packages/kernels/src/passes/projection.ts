import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkTypedArray, rowCount } from '../validate.js';

/** What {@link projectRows} returns. */
export interface RowProjections {
  /** `n x m`: `projections[i * m + j]` is row `i` dotted with basis row `j`. */
  projections: Float32Array;
  /** `n` squared row norms. */
  norms: Float32Array;
  /**
   * A bound on the largest eigenvalue of `basis basis^T` (so `|basis v|^2 <= gain |v|^2`; about
   * 1 for orthonormal rows): what a seeding projection scales its bound by.
   */
  gain: number;
}

function checkProject(x: unknown, d: unknown, basis: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('basis', basis, 'Float32Array');
}

/**
 * Projects the rows of the `n x d` matrix `x` onto the `m` rows of `basis` (`m x d`), and
 * takes their squared norms in the same pass: what a {@link SeedProjection} holds.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (an empty
 *   basis), `CLOSTERA_DIMENSION_MISMATCH`, `CLOSTERA_NON_FINITE` (with `row`).
 */
export function projectRows(x: Float32Array, d: number, basis: Float32Array, options?: PassOptions): RowProjections {
  return runSync(options, () => {
    checkProject(x, d, basis);
    return (o) => native().projectRows(x, basis, d, o, undefined, false);
  });
}

/** {@link projectRows} off the JS thread, with cancellation and progress. */
export function projectRowsAsync(x: Float32Array, d: number, basis: Float32Array, options?: AsyncPassOptions): Promise<RowProjections> {
  return runAsync(options, () => {
    checkProject(x, d, basis);
    return { rows: rowCount(x.length, d), start: (o, control) => native().projectRows(x, basis, d, o, control, true) };
  });
}

function checkSums(x: unknown, d: unknown, y: unknown, m: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('y', y, 'Float32Array');
  checkNumber('m', m);
}

/**
 * The `m x d` product `x^T y`: `out[j * d + c] = sum_i y[i * m + j] * x[i * d + c]`, the sums of
 * the rows of `x` (`n x d`) weighted by each column of `y` (`n x m`), accumulated in f64 over
 * fixed partitions (identical at any thread count). One step of a subspace iteration.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (m = 0),
 *   `CLOSTERA_DIMENSION_MISMATCH` (y not n x m), `CLOSTERA_NON_FINITE` (with `row`).
 */
export function weightedRowSums(x: Float32Array, d: number, y: Float32Array, m: number, options?: PassOptions): Float64Array {
  return runSync(options, () => {
    checkSums(x, d, y, m);
    return (o) => native().weightedRowSums(x, y, d, m, o, undefined, false);
  });
}

/** {@link weightedRowSums} off the JS thread, with cancellation and progress. */
export function weightedRowSumsAsync(x: Float32Array, d: number, y: Float32Array, m: number, options?: AsyncPassOptions): Promise<Float64Array> {
  return runAsync(options, () => {
    checkSums(x, d, y, m);
    return { rows: rowCount(x.length, d), start: (o, control) => native().weightedRowSums(x, y, d, m, o, control, true) };
  });
}

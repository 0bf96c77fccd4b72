import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, OutOption, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray, rowCount } from '../validate.js';

/** What {@link normalizeRows} returns. */
export interface UnitRows {
  /** The rows scaled to unit Euclidean norm (a fresh `n x d` array, or `options.out`; the input is untouched). */
  rows: Float32Array;
  /** The Euclidean norm each row had. */
  norms: Float32Array;
}

/** Options of {@link normalizeRows}. */
export interface NormalizeRowsOptions extends PassOptions, OutOption {}

/** Options of {@link normalizeRowsAsync}. */
export interface NormalizeRowsAsyncOptions extends AsyncPassOptions, OutOption {}

function checkArgs(x: unknown, d: unknown, out: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkOptionalFloat32('options.out', out);
}

/**
 * Unit-norm copies of the rows of the row-major `n x d` matrix `x`, in one pass that validates,
 * measures (in float64) and scales each row while it is in cache: what spherical k-means and
 * cosine search need.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (d = 0),
 *   `CLOSTERA_DIMENSION_MISMATCH` (length not a multiple of d), `CLOSTERA_NON_FINITE` (with `row`),
 *   `CLOSTERA_ZERO_NORM` (with the lowest all-zero `row`, even with `validate: false`: it has no
 *   direction).
 */
export function normalizeRows(x: Float32Array, d: number, options?: NormalizeRowsOptions): UnitRows {
  return runSync(options, () => {
    const out = options?.out;
    checkArgs(x, d, out);
    return (o) => native().normalizeRows(x, d, o, undefined, false, out);
  });
}

/**
 * {@link normalizeRows} off the JS thread, with cancellation and progress.
 * Do not touch `x` or `options.out` until the promise settles.
 */
export function normalizeRowsAsync(x: Float32Array, d: number, options?: NormalizeRowsAsyncOptions): Promise<UnitRows> {
  return runAsync(options, () => {
    const out = options?.out;
    checkArgs(x, d, out);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().normalizeRows(x, d, o, control, true, out),
    };
  });
}

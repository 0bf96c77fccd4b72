import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkOptionalBoolean, checkTypedArray, rowCount } from '../validate.js';

/** Options of {@link rowNorms}. */
export interface RowNormsOptions extends PassOptions {
  /** Return squared norms (skips the square root). Defaults to `false`. */
  squared?: boolean;
}

/** Options of {@link rowNormsAsync}. */
export interface RowNormsAsyncOptions extends AsyncPassOptions {
  /** Return squared norms (skips the square root). Defaults to `false`. */
  squared?: boolean;
}

function checkArgs(x: unknown, d: unknown, squared: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkOptionalBoolean('options.squared', squared);
}

/**
 * Euclidean norm of each row of the row-major `n x d` matrix `x`.
 *
 * @returns `n` norms (squared when `options.squared`).
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (d = 0),
 *   `CLOSTERA_DIMENSION_MISMATCH` (length not a multiple of d), `CLOSTERA_NON_FINITE` (with `row`).
 */
export function rowNorms(x: Float32Array, d: number, options?: RowNormsOptions): Float32Array {
  return runSync(options, () => {
    checkArgs(x, d, options?.squared);
    return (o) => native().rowNorms(x, d, options?.squared ?? false, o, undefined, false);
  });
}

/**
 * {@link rowNorms} off the JS thread, with cancellation and progress.
 * Do not mutate `x` until the promise settles.
 */
export function rowNormsAsync(x: Float32Array, d: number, options?: RowNormsAsyncOptions): Promise<Float32Array> {
  return runAsync(options, () => {
    checkArgs(x, d, options?.squared);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().rowNorms(x, d, options?.squared ?? false, o, control, true),
    };
  });
}

import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkTypedArray, rowCount } from '../validate.js';

/**
 * A bf16 copy of `n` rows of dimension `d`, as {@link bf16Rows} returns it: what
 * `SeedState.bf16` screens k-means++ candidates with.
 */
export interface Bf16RowCopy {
  /** `n x ceil(d / 2)` pairs: element `2j` of a row in the low 16 bits, `2j + 1` in the high. */
  pairs: Uint32Array;
  /** Per row, the Euclidean norm of its rounding error. */
  errNorms: Float32Array;
  /** Per row, its squared norm in f32. */
  sqnorms: Float32Array;
}

function check(x: unknown, d: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
}

/**
 * Rounds the rows of the `n x d` matrix `x` to bf16 (nearest, ties to even, subnormals to
 * zero), with each row's rounding-error norm and squared norm. Runs on any CPU; only the
 * `avx512bf16` level uses the copy (see `SeedState.bf16`).
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_DIMENSION_MISMATCH`,
 *   `CLOSTERA_NON_FINITE` (with `row`).
 */
export function bf16Rows(x: Float32Array, d: number, options?: PassOptions): Bf16RowCopy {
  return runSync(options, () => {
    check(x, d);
    return (o) => native().bf16Rows(x, d, o, undefined, false);
  });
}

/** {@link bf16Rows} off the JS thread, with cancellation and progress. */
export function bf16RowsAsync(x: Float32Array, d: number, options?: AsyncPassOptions): Promise<Bf16RowCopy> {
  return runAsync(options, () => {
    check(x, d);
    return { rows: rowCount(x.length, d), start: (o, control) => native().bf16Rows(x, d, o, control, true) };
  });
}

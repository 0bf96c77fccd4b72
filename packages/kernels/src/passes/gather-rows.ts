import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, OutOption, PassOptions } from '../types.js';
import { checkNumber, checkOptionalBoolean, checkOptionalFloat32, checkTypedArray } from '../validate.js';

/** What {@link gatherRows} may do besides copying. */
export interface GatherOptions extends OutOption {
  /**
   * Write each row scaled to unit Euclidean norm, with the same bits as
   * {@link normalizeRows} of the copied rows, in one pass (for spherical k-means). A zero row is
   * `CLOSTERA_ZERO_NORM` naming the data row. Default `false`.
   */
  unit?: boolean;
}

/** Options of {@link gatherRows}. */
export interface GatherRowsOptions extends PassOptions, GatherOptions {}

/** Options of {@link gatherRowsAsync}. */
export interface GatherRowsAsyncOptions extends AsyncPassOptions, GatherOptions {}

function checkArgs(x: unknown, d: unknown, ids: unknown, options: GatherOptions | undefined): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('ids', ids, 'Uint32Array');
  checkOptionalFloat32('options.out', options?.out);
  checkOptionalBoolean('options.unit', options?.unit);
}

/**
 * Rows `ids[0]`, `ids[1]`, ... of the row-major `n x d` matrix `x`, copied into a new
 * `ids.length x d` matrix (or into `options.out`), in parallel (e.g. a training sample), each
 * row validated as it is copied (unless `validate: false`) and, with `options.unit`, scaled to
 * unit norm.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (d = 0, an
 *   index past the last row, with its position in `ids` as `row`; `out` sharing memory with an
 *   input), `CLOSTERA_DIMENSION_MISMATCH` (`out` of the wrong length), `CLOSTERA_NON_FINITE` and,
 *   with `unit`, `CLOSTERA_ZERO_NORM` (with the data row).
 */
export function gatherRows(x: Float32Array, d: number, ids: Uint32Array, options?: GatherRowsOptions): Float32Array {
  return runSync(options, () => {
    checkArgs(x, d, ids, options);
    const { out, unit = false } = options ?? {};
    return (o) => native().gatherRows(x, d, ids, o, undefined, false, out, unit);
  });
}

/**
 * {@link gatherRows} off the JS thread, with cancellation and progress.
 * Do not touch `x`, `ids` or `options.out` until the promise settles.
 */
export function gatherRowsAsync(x: Float32Array, d: number, ids: Uint32Array, options?: GatherRowsAsyncOptions): Promise<Float32Array> {
  return runAsync(options, () => {
    checkArgs(x, d, ids, options);
    const { out, unit = false } = options ?? {};
    return { rows: ids.length, start: (o, control) => native().gatherRows(x, d, ids, o, control, true, out, unit) };
  });
}

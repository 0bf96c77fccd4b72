import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, OutOption, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray } from '../validate.js';

/** Options of {@link gatherRows}. */
export interface GatherRowsOptions extends PassOptions, OutOption {}

/** Options of {@link gatherRowsAsync}. */
export interface GatherRowsAsyncOptions extends AsyncPassOptions, OutOption {}

function checkArgs(x: unknown, d: unknown, ids: unknown, out: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('ids', ids, 'Uint32Array');
  checkOptionalFloat32('options.out', out);
}

/**
 * Rows `ids[0]`, `ids[1]`, ... of the row-major `n x d` matrix `x`, copied into a new
 * `ids.length x d` matrix (or into `options.out`), in parallel (e.g. a training sample).
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (d = 0, an
 *   index past the last row, with its position in `ids` as `row`), `CLOSTERA_DIMENSION_MISMATCH`.
 */
export function gatherRows(x: Float32Array, d: number, ids: Uint32Array, options?: GatherRowsOptions): Float32Array {
  return runSync(options, () => {
    const out = options?.out;
    checkArgs(x, d, ids, out);
    return (o) => native().gatherRows(x, d, ids, o, undefined, false, out);
  });
}

/**
 * {@link gatherRows} off the JS thread, with cancellation and progress.
 * Do not touch `x`, `ids` or `options.out` until the promise settles.
 */
export function gatherRowsAsync(x: Float32Array, d: number, ids: Uint32Array, options?: GatherRowsAsyncOptions): Promise<Float32Array> {
  return runAsync(options, () => {
    const out = options?.out;
    checkArgs(x, d, ids, out);
    return { rows: ids.length, start: (o, control) => native().gatherRows(x, d, ids, o, control, true, out) };
  });
}

import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkTypedArray } from '../validate.js';

function checkArgs(x: unknown, d: unknown, ids: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('ids', ids, 'Uint32Array');
}

/**
 * Rows `ids[0]`, `ids[1]`, ... of the row-major `n x d` matrix `x`, copied into a new
 * `ids.length x d` matrix, in parallel (e.g. a training sample).
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_TYPE`, `CLOSTERA_INVALID_ARGUMENT` (d = 0, an
 *   index past the last row, with its position in `ids` as `row`), `CLOSTERA_DIMENSION_MISMATCH`.
 */
export function gatherRows(x: Float32Array, d: number, ids: Uint32Array, options?: PassOptions): Float32Array {
  return runSync(options, () => {
    checkArgs(x, d, ids);
    return (o) => native().gatherRows(x, d, ids, o, undefined, false);
  });
}

/**
 * {@link gatherRows} off the JS thread, with cancellation and progress.
 * Do not mutate `x` or `ids` until the promise settles.
 */
export function gatherRowsAsync(x: Float32Array, d: number, ids: Uint32Array, options?: AsyncPassOptions): Promise<Float32Array> {
  return runAsync(options, () => {
    checkArgs(x, d, ids);
    return { rows: ids.length, start: (o, control) => native().gatherRows(x, d, ids, o, control, true) };
  });
}

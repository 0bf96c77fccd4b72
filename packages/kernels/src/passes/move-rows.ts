import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { Accumulation, AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray } from '../validate.js';
import type { WeightsOption } from './accumulate.js';

/** Rows that change cluster: row `ids[j]` leaves cluster `from[j]` for cluster `to[j]`. */
export interface RowMoves {
  /** Strictly increasing row indices. */
  ids: Uint32Array;
  /** The cluster each row leaves. */
  from: Uint32Array;
  /** The cluster each row joins. */
  to: Uint32Array;
}

/** Options of {@link moveRows}. */
export interface MoveRowsOptions extends PassOptions, WeightsOption {}

/** Options of {@link moveRowsAsync}. */
export interface MoveRowsAsyncOptions extends AsyncPassOptions, WeightsOption {}

function checkArgs(x: unknown, d: unknown, moves: RowMoves, sums: Accumulation, weights: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('moves.ids', moves?.ids, 'Uint32Array');
  checkTypedArray('moves.from', moves?.from, 'Uint32Array');
  checkTypedArray('moves.to', moves?.to, 'Uint32Array');
  checkTypedArray('sums.sums', sums?.sums, 'Float64Array');
  checkTypedArray('sums.weightSums', sums?.weightSums, 'Float64Array');
  checkTypedArray('sums.counts', sums?.counts, 'Uint32Array');
  checkOptionalFloat32('options.weights', weights);
}

/**
 * Updates per-cluster sums **in place** as rows change cluster: each moved row's (weighted)
 * values, weight and count go from its old cluster to its new one. Reads only the moved rows,
 * so late Lloyd iterations, where few labels change, need not sum every row again. Each
 * cluster takes its moves in row order: identical at any thread count, and equal to a fresh
 * {@link accumulate} of the new labels up to float64 rounding.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` (ids not increasing or out of range,
 *   a cluster index >= k, or a cluster left by more rows than it counts: then nothing changes),
 *   `CLOSTERA_DIMENSION_MISMATCH`, `CLOSTERA_INVALID_TYPE`.
 */
export function moveRows(x: Float32Array, d: number, moves: RowMoves, sums: Accumulation, options?: MoveRowsOptions): void {
  runSync(options, () => {
    checkArgs(x, d, moves, sums, options?.weights);
    return (o) => native().moveRows(x, moves.ids, moves.from, moves.to, options?.weights, sums.sums, sums.weightSums, sums.counts, d, o, undefined, false);
  });
}

/** {@link moveRows} off the JS thread. `sums` is written while it runs. */
export function moveRowsAsync(x: Float32Array, d: number, moves: RowMoves, sums: Accumulation, options?: MoveRowsAsyncOptions): Promise<void> {
  return runAsync(options, () => {
    checkArgs(x, d, moves, sums, options?.weights);
    return {
      rows: moves.ids.length,
      start: (o, control) => native().moveRows(x, moves.ids, moves.from, moves.to, options?.weights, sums.sums, sums.weightSums, sums.counts, d, o, control, true),
    };
  });
}

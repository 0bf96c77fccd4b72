/**
 * The `VectorSource` contract every reader implements, and the budget arithmetic they share.
 */
import type { DType } from './dtype.js';
import { argumentError, ioError, ErrorCode } from './errors.js';

/** Formats a source can come from; `open()` reports the one it chose. */
export type SourceFormat =
  | 'npy'
  | 'raw'
  | 'fvecs'
  | 'bvecs'
  | 'ivecs'
  | 'parquet'
  | 'arrow-file'
  | 'arrow-stream'
  | 'arrow-table'
  | 'memory';

/** One block of consecutive rows, row-major float32. */
export interface VectorChunk {
  /** Index of the first row of this chunk in the whole source. */
  readonly start: number;
  /** Number of rows in the chunk (`data.length === rows * d`). */
  readonly rows: number;
  /**
   * Row-major values. The source does not keep a reference after yielding the next chunk, except
   * for zero-copy sources (in-memory arrays, Arrow FixedSizeList<Float32>) where this is a view
   * into the caller's own data: treat it as read-only.
   */
  readonly data: Float32Array;
}

/** Options for {@link VectorSource.chunks}. */
export interface ChunkOptions {
  /**
   * Upper bound on the bytes a chunk (plus its raw read buffer, when a conversion needs one) may
   * take. Default {@link DEFAULT_CHUNK_BYTES}. Must fit at least one row.
   */
  maxBytes?: number;
  /** Check every value is finite; a NaN or ±Infinity throws `CLOSTERA_NON_FINITE` with its row. */
  validate?: boolean;
  /** First row to read (default 0). */
  start?: number;
  /** One past the last row to read (default `n`). */
  end?: number;
}

/**
 * A matrix of `n` vectors of dimension `d`, readable in bounded memory.
 *
 * Sources are streamed: `chunks()` yields consecutive row blocks no larger than the budget, and a
 * source never holds more than one chunk's budget plus a small constant (Parquet additionally
 * holds one decoded row group, see its reader). `close()` releases file handles and mappings.
 */
export interface VectorSource {
  /** Number of rows (vectors). */
  readonly n: number;
  /** Dimension of every vector. */
  readonly d: number;
  /** Element type as stored; chunks are always float32. */
  readonly dtype: DType;
  /** The format this source reads. */
  readonly format: SourceFormat;
  /** Iterate over consecutive row blocks of at most `maxBytes`. */
  chunks(options?: ChunkOptions): AsyncIterable<VectorChunk>;
  /**
   * Gather the given rows (any order, repeats allowed) into one row-major Float32Array of
   * `indices.length * d` values, in the order asked. An index outside `[0, n)` is
   * `CLOSTERA_INVALID_ARGUMENT`.
   */
  rows(indices: ArrayLike<number>, options?: { validate?: boolean }): Promise<Float32Array>;
  /** Release resources. Idempotent; reading after close is `CLOSTERA_INVALID_ARGUMENT`. */
  close(): Promise<void>;
}

/** Default chunk budget: 64 MiB. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;

/**
 * Rows per chunk for a budget: `bytesPerRow` is everything one row costs while in flight (the
 * float32 output plus any raw read buffer). A budget below one row is a caller error rather
 * than a silent overrun, because the bound is the point of the contract.
 */
export function rowsPerChunk(maxBytes: number | undefined, bytesPerRow: number): number {
  const budget = maxBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isFinite(budget) || budget <= 0) {
    throw argumentError('maxBytes must be a positive number', { expected: '> 0', actual: maxBytes });
  }
  const per = Math.max(1, bytesPerRow);
  const rows = Math.floor(budget / per);
  if (rows < 1) {
    throw argumentError(`maxBytes ${budget} is smaller than one row (${per} bytes)`, {
      expected: `>= ${per}`,
      actual: budget,
    });
  }
  return rows;
}

/** Resolve and check a `[start, end)` row range against `n`. */
export function rowRange(n: number, options: ChunkOptions | undefined): [number, number] {
  const start = options?.start ?? 0;
  const end = options?.end ?? n;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end > n || start > end) {
    throw argumentError(`row range [${start}, ${end}) is outside [0, ${n})`, {
      expected: `0 <= start <= end <= ${n}`,
      actual: [start, end],
    });
  }
  return [start, end];
}

/** Check sample indices before any read (and before the output is allocated). */
export function checkIndices(indices: ArrayLike<number>, n: number): void {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw argumentError(`row index ${r} is outside [0, ${n})`, { expected: `0 <= index < ${n}`, actual: r, row: r });
    }
  }
}

/** Throw `CLOSTERA_NON_FINITE` naming the first row of `data` holding a NaN or ±Infinity. */
export function checkFinite(data: Float32Array, d: number, firstRow: number, rowIds?: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      const local = d > 0 ? Math.floor(i / d) : 0;
      const row = rowIds ? rowIds[local]! : firstRow + local;
      throw ioError(ErrorCode.NonFinite, `non-finite value ${v} in row ${row}, column ${i % d}`, {
        row,
        expected: 'finite',
        actual: v,
      });
    }
  }
}

/** Guard used by every source method after `close()`. */
export function assertOpen(closed: boolean, format: string): void {
  if (closed) throw argumentError(`${format} source is closed`);
}

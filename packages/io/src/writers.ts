/**
 * Writers for what a clustering run produces — labels, centroids, PQ codes, distances — to .npy
 * or Parquet, streamed and atomic (see {@link AtomicFile}).
 */
import { extname } from 'node:path';
import { argumentError, ErrorCode, ioError } from './errors.js';
import { createNpyWriter, type MatrixWriter } from './npy-writer.js';
import { createParquetWriter } from './parquet-writer.js';
import type { WritableDType } from './storage.js';

/** Output container. */
export type OutputFormat = 'npy' | 'parquet';

/** Options shared by the writers. */
export interface WriteOptions {
  /** Container; default from the extension (.npy, .parquet/.pq). */
  format?: OutputFormat;
  /** Parquet column name. */
  column?: string;
  /** Parquet rows per row group. */
  rowGroupRows?: number;
}

/** Options of {@link createMatrixWriter}. */
export interface MatrixWriterOptions extends WriteOptions {
  /** Stored element type. */
  dtype: WritableDType;
  /** Components per row; 0 for a 1-D array (one value per row). */
  cols: number;
}

/** Pick the container from the option or the extension. */
export function outputFormat(path: string, format?: OutputFormat): OutputFormat {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw argumentError(`cannot tell the output format of ${path}; use a .npy or .parquet extension or options.format`, {
    expected: '.npy | .parquet',
    actual: ext || '(none)',
  });
}

/** Open a streaming, atomic writer of rows with `cols` components (0: one scalar per row). */
export function createMatrixWriter(path: string, options: MatrixWriterOptions): MatrixWriter {
  const format = outputFormat(path, options.format);
  if (format === 'npy') return createNpyWriter(path, { dtype: options.dtype, rowShape: options.cols === 0 ? [] : [options.cols] });
  const p: Parameters<typeof createParquetWriter>[1] = { dtype: options.dtype, cols: options.cols };
  if (options.column !== undefined) p.column = options.column;
  if (options.rowGroupRows !== undefined) p.rowGroupRows = options.rowGroupRows;
  return createParquetWriter(path, p);
}

async function writeAll(path: string, values: ArrayLike<number>, options: MatrixWriterOptions): Promise<void> {
  const w = createMatrixWriter(path, options);
  // Whatever fails below, the temporary file is removed and the target left as it was.
  try {
    await w.write(values);
    await w.close();
  } catch (err) {
    await w.abort();
    throw err;
  }
}

function checkCols(length: number, cols: number, what: string): void {
  if (!Number.isSafeInteger(cols) || cols <= 0) throw argumentError(`${what}: width must be a positive integer`, { actual: cols });
  if (length % cols !== 0) {
    throw ioError(ErrorCode.DimensionMismatch, `${what}: ${length} values is not a multiple of ${cols}`, { expected: `multiple of ${cols}`, actual: length });
  }
}

/** Write cluster labels (one per row) as uint32 or int32 (the array's own type). */
export async function writeLabels(path: string, labels: Uint32Array | Int32Array, options: WriteOptions = {}): Promise<void> {
  const dtype: WritableDType = labels instanceof Int32Array ? 'int32' : 'uint32';
  return writeAll(path, labels, { column: 'label', ...options, dtype, cols: 0 });
}

/** Write k x d float32 centroids. */
export async function writeCentroids(path: string, centroids: Float32Array, d: number, options: WriteOptions = {}): Promise<void> {
  checkCols(centroids.length, d, 'writeCentroids');
  return writeAll(path, centroids, { column: 'centroid', ...options, dtype: 'float32', cols: d });
}

/** Write n x m product-quantisation codes (uint8 for k <= 256 sub-centroids, else uint16). */
export async function writePqCodes(path: string, codes: Uint8Array | Uint16Array, m: number, options: WriteOptions = {}): Promise<void> {
  checkCols(codes.length, m, 'writePqCodes');
  return writeAll(path, codes, { column: 'code', ...options, dtype: codes instanceof Uint16Array ? 'uint16' : 'uint8', cols: m });
}

/** Write float32 distances: one per row (`cols` omitted or 0), or n x cols (e.g. top-l). */
export async function writeDistances(path: string, distances: Float32Array, cols = 0, options: WriteOptions = {}): Promise<void> {
  if (cols !== 0) checkCols(distances.length, cols, 'writeDistances');
  return writeAll(path, distances, { column: 'distance', ...options, dtype: 'float32', cols });
}

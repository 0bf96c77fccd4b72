/**
 * Streaming, atomic Parquet writer over hyparquet-writer. Rows are buffered up to one row group,
 * encoded, and flushed to a temporary file that is renamed over the target at `close()`.
 */
import type { CompressionCodec, DecodedArray, SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { AtomicFile } from './atomic-file.js';
import { DTYPE_BYTES } from './dtype.js';
import { argumentError, ErrorCode, ioError, toCoded, unsupportedError } from './errors.js';
import type { MatrixWriter } from './npy-writer.js';
import { toTyped, type WritableDType } from './storage.js';

/** Options of {@link createParquetWriter}. */
export interface ParquetWriterOptions {
  /** Stored element type. */
  dtype: WritableDType;
  /** Components per row; 0 writes a plain scalar column (labels), otherwise a LIST column. */
  cols: number;
  /** Column name (default 'value' for scalars, 'vector' for lists). */
  column?: string;
  /** Rows per row group (default: about 64 MiB of values). */
  rowGroupRows?: number;
  /** Compression codec: 'SNAPPY' (default) or 'UNCOMPRESSED'. */
  codec?: CompressionCodec;
}

function leafElement(dtype: WritableDType): Omit<SchemaElement, 'name'> {
  switch (dtype) {
    case 'float32': return { type: 'FLOAT' };
    case 'float64': return { type: 'DOUBLE' };
    case 'int32': return { type: 'INT32' };
    case 'uint32': return { type: 'INT32', converted_type: 'UINT_32' };
    case 'int16': return { type: 'INT32', converted_type: 'INT_16' };
    case 'uint16': return { type: 'INT32', converted_type: 'UINT_16' };
    case 'int8': return { type: 'INT32', converted_type: 'INT_8' };
    case 'uint8': return { type: 'INT32', converted_type: 'UINT_8' };
    default: throw unsupportedError(`parquet writer: unsupported dtype ${String(dtype)}`, { actual: dtype });
  }
}

/** Parquet schema for one scalar or one LIST column. */
function schemaFor(name: string, dtype: WritableDType, cols: number): SchemaElement[] {
  const leaf = leafElement(dtype);
  if (cols === 0) return [{ name: 'schema', num_children: 1 }, { name, repetition_type: 'REQUIRED', ...leaf }];
  return [
    { name: 'schema', num_children: 1 },
    { name, repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', ...leaf },
  ];
}

/** A hyparquet-writer sink that spills to the atomic temp file whenever 1 MiB is buffered. */
function spillingWriter(file: AtomicFile): ByteWriter {
  const w = new ByteWriter();
  const flush = (): void => {
    file.appendSync(new Uint8Array(w.buffer, 0, w.index));
    w.index = 0;
  };
  const grow = w.ensure.bind(w);
  w.ensure = (size: number): void => {
    if (w.index > 1 << 20) flush();
    grow(size);
  };
  w.finish = flush;
  return w;
}

/** Open an atomic streaming Parquet writer at `path`. */
export function createParquetWriter(path: string, options: ParquetWriterOptions): MatrixWriter {
  const { dtype, cols } = options;
  if (!Number.isSafeInteger(cols) || cols < 0) throw argumentError('parquet writer: cols must be a non-negative integer', { actual: cols });
  const name = options.column ?? (cols === 0 ? 'value' : 'vector');
  const rowSize = Math.max(1, cols);
  const groupRows = options.rowGroupRows ?? Math.max(1, Math.min(1_000_000, Math.floor((64 << 20) / (rowSize * DTYPE_BYTES[dtype]))));
  const schema = schemaFor(name, dtype, cols);
  const codec = options.codec ?? 'SNAPPY';
  if (codec !== 'SNAPPY' && codec !== 'UNCOMPRESSED') throw unsupportedError(`parquet writer: codec ${codec} is not offered`, { expected: 'SNAPPY|UNCOMPRESSED', actual: codec });
  const file = AtomicFile.create(path);
  let writer: ParquetWriter;
  try {
    writer = new ParquetWriter({ writer: spillingWriter(file), schema, codec, statistics: false });
  } catch (err) {
    file.abort();
    throw toCoded(err, 'parquet writer', ErrorCode.Internal);
  }
  let pending: ArrayLike<number>[] = [];
  let pendingRows = 0;
  let rows = 0;
  let state: 'open' | 'closed' | 'failed' = 'open';

  const emit = (): void => {
    if (pendingRows === 0) return;
    const flat = toTyped(concat(pending, pendingRows * rowSize), dtype);
    let data: DecodedArray;
    if (cols === 0) {
      // hyparquet-writer takes Float32/Float64/Int32 arrays as they are; other widths go as numbers.
      data = flat instanceof Float32Array || flat instanceof Float64Array || flat instanceof Int32Array ? flat : Array.from(flat);
    } else {
      // The Dremel encoder walks plain arrays only.
      const lists: unknown[] = new Array(pendingRows);
      for (let r = 0; r < pendingRows; r++) lists[r] = Array.from(flat.subarray(r * cols, (r + 1) * cols));
      data = lists;
    }
    writer.write({ columnData: [{ name, data }], rowGroupSize: pendingRows });
    pending = [];
    pendingRows = 0;
  };
  const fail = (err: unknown): never => {
    state = 'failed';
    file.abort();
    throw toCoded(err, `parquet writer for ${path}`, ErrorCode.Internal);
  };

  return {
    async write(values) {
      if (state !== 'open') throw argumentError(`parquet writer for ${path} is ${state}`);
      if (values.length % rowSize !== 0) {
        fail(ioError(ErrorCode.DimensionMismatch, `parquet writer: ${values.length} values is not a whole number of ${rowSize}-value rows`, {
          expected: `multiple of ${rowSize}`,
          actual: values.length,
        }));
      }
      let at = 0;
      const total = values.length / rowSize;
      try {
        while (at < total) {
          const take = Math.min(total - at, groupRows - pendingRows);
          pending.push(sliceOf(values, at * rowSize, (at + take) * rowSize));
          pendingRows += take;
          at += take;
          if (pendingRows === groupRows) emit();
        }
      } catch (err) {
        fail(err);
      }
      rows += total;
    },
    async close() {
      if (state !== 'open') throw argumentError(`parquet writer for ${path} is ${state}`);
      try {
        emit();
        await writer.finish();
        file.commit();
      } catch (err) {
        fail(err);
      }
      state = 'closed';
      return rows;
    },
    async abort() {
      if (state === 'closed') return;
      state = 'failed';
      file.abort();
    },
  };
}

function sliceOf(values: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (ArrayBuffer.isView(values)) return (values as unknown as Float64Array).slice(from, to);
  return Array.prototype.slice.call(values, from, to) as number[];
}

function concat(parts: ArrayLike<number>[], total: number): Float64Array | ArrayLike<number> {
  if (parts.length === 1) return parts[0]!;
  const out = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Arrow through apache-arrow: in-memory Tables and RecordBatches, and IPC files and streams read
 * batch by batch from a file handle (one record batch in memory at a time). FixedSizeList<Float32>
 * columns without nulls are handed out as views of the Arrow buffers, without a copy.
 */
import { open as openFile } from 'node:fs/promises';
import { RecordBatch, RecordBatchReader, Table, tableFromIPC, type Schema } from 'apache-arrow';
import type { DType } from './dtype.js';
import { FileByteSource } from './byte-source.js';
import { validateIpc } from './arrow-footer.js';
import { formatError, toCoded } from './errors.js';
import { copyRows, firstListLength, resolveArrowColumns, zeroCopyRows, type ArrowVectorColumns } from './arrow-columns.js';
import type { ColumnSelection } from './parquet-schema.js';
import {
  assertOpen,
  checkFinite,
  checkIndices,
  rowRange,
  rowsPerChunk,
  type ChunkOptions,
  type SourceFormat,
  type VectorChunk,
  type VectorSource,
} from './source.js';

/** Options of the Arrow readers. */
export interface ArrowOptions extends ColumnSelection {
  /** Check values are finite as they are read. */
  validate?: boolean;
  /** Vector dimension, when a List column has no non-null row to tell it. */
  d?: number;
}

/** Where batches come from: re-iterable, one pass per `chunks()`/`rows()` call. */
interface BatchProvider {
  format: SourceFormat;
  batches(): AsyncIterable<RecordBatch>;
}

function memoryProvider(batches: RecordBatch[], format: SourceFormat): BatchProvider {
  return {
    format,
    async *batches() {
      yield* batches;
    },
  };
}

/** Batches of an IPC file or stream on disk, read through a file handle so only one batch is resident. */
function fileProvider(path: string, format: SourceFormat): BatchProvider {
  return {
    format,
    async *batches() {
      const fh = await openFile(path, 'r').catch((err: unknown) => {
        throw toCoded(err, `arrow: cannot open ${path}`);
      });
      try {
        let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>;
        try {
          reader = await RecordBatchReader.from(fh);
          await reader.open();
        } catch (err) {
          throw toCoded(err, `arrow: ${path} is not a readable Arrow IPC file or stream`);
        }
        const it = (reader as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]();
        for (;;) {
          let step: IteratorResult<RecordBatch>;
          try {
            step = await it.next();
          } catch (err) {
            throw toCoded(err, `arrow: cannot decode a record batch of ${path}`);
          }
          if (step.done) break;
          yield step.value;
        }
      } finally {
        await fh.close().catch(() => undefined);
      }
    },
  };
}

/** A {@link VectorSource} over Arrow record batches. */
export class ArrowSource implements VectorSource {
  readonly dtype: DType;
  readonly format: SourceFormat;
  private closed = false;

  private constructor(
    private readonly provider: BatchProvider,
    readonly columns: ArrowVectorColumns,
    private readonly batchRows: number[],
    readonly n: number,
    readonly d: number,
    private readonly validate: boolean,
  ) {
    this.dtype = columns.dtype;
    this.format = provider.format;
  }

  /** Scan the batches once for the schema, the row counts and (for List columns) the dimension. */
  private static async create(provider: BatchProvider, options: ArrowOptions, schemaHint?: Schema): Promise<ArrowSource> {
    let cols: ArrowVectorColumns | undefined = schemaHint ? resolveArrowColumns(schemaHint, options) : undefined;
    let d = options.d ?? cols?.d;
    const batchRows: number[] = [];
    let n = 0;
    try {
      for await (const batch of provider.batches()) {
        cols ??= resolveArrowColumns(batch.schema, options);
        d ??= cols.d;
        if (d === undefined && cols.kind === 'list') d = firstListLength(batch, cols);
        batchRows.push(batch.numRows);
        n += batch.numRows;
      }
    } catch (err) {
      throw toCoded(err, 'arrow');
    }
    if (!cols) throw formatError('arrow: input has no record batch and no schema');
    if (d !== undefined && (!Number.isSafeInteger(d) || d < 0)) throw formatError(`arrow: vector dimension ${d} is invalid`, { expected: '>= 0', actual: d });
    return new ArrowSource(provider, cols, batchRows, n, d ?? 0, options.validate ?? false);
  }

  /** Wrap an in-memory Table or RecordBatch (no copy). */
  static fromMemory(input: Table | RecordBatch, options: ArrowOptions = {}): Promise<ArrowSource> {
    const batches = input instanceof Table ? input.batches : [input];
    return ArrowSource.create(memoryProvider(batches, 'arrow-table'), options, input.schema);
  }

  /** Read IPC bytes already in memory (file or stream format); batches are views of the bytes. */
  static async fromIpcBytes(bytes: Uint8Array, format: 'arrow-file' | 'arrow-stream', options: ArrowOptions = {}): Promise<ArrowSource> {
    await validateIpc(async (pos, len) => {
      if (pos < 0 || len < 0 || pos + len > bytes.length) throw formatError('arrow: read past the end of the input');
      return bytes.subarray(pos, pos + len);
    }, bytes.length, format);
    let table: Table;
    try {
      table = tableFromIPC(bytes);
    } catch (err) {
      throw toCoded(err, 'arrow: cannot decode IPC bytes');
    }
    return ArrowSource.create(memoryProvider(table.batches, format), options, table.schema);
  }

  /** Stream an IPC file or stream from disk. */
  static async fromPath(path: string, format: 'arrow-file' | 'arrow-stream', options: ArrowOptions = {}): Promise<ArrowSource> {
    // Validated once here; the file is assumed not to change between passes (row counts are re-checked).
    const bytes = await FileByteSource.open(path);
    try {
      await validateIpc(async (pos, len) => {
        const out = new Uint8Array(len);
        await bytes.read(pos, out);
        return out;
      }, bytes.size, format);
    } finally {
      await bytes.close();
    }
    return ArrowSource.create(fileProvider(path, format), options);
  }

  async *chunks(options?: ChunkOptions): AsyncGenerator<VectorChunk> {
    assertOpen(this.closed, this.format);
    const [start, end] = rowRange(this.n, options);
    const validate = options?.validate ?? this.validate;
    const { d } = this;
    const per = rowsPerChunk(options?.maxBytes, d * 4);
    let base = 0;
    let b = 0;
    if (start === end) return;
    for await (const batch of this.provider.batches()) {
      assertOpen(this.closed, this.format);
      const rows = batch.numRows;
      if (rows !== this.batchRows[b++]) throw formatError('arrow: the input changed between passes');
      const lo = Math.max(start, base);
      const hi = Math.min(end, base + rows);
      for (let row = lo; row < hi; row += per) {
        const count = Math.min(per, hi - row);
        let data = zeroCopyRows(batch, this.columns, d, row - base, count);
        if (!data) {
          data = new Float32Array(count * d);
          copyRows(batch, this.columns, d, row - base, count, data, 0, base);
        }
        if (validate) checkFinite(data, d, row);
        yield { start: row, rows: count, data };
      }
      base += rows;
      if (base >= end) break;
    }
  }

  async rows(indices: ArrayLike<number>, options?: { validate?: boolean }): Promise<Float32Array> {
    assertOpen(this.closed, this.format);
    checkIndices(indices, this.n);
    const { d } = this;
    const out = new Float32Array(indices.length * d);
    const order = Array.from({ length: indices.length }, (_, i) => i).sort((a, b) => indices[a]! - indices[b]!);
    let i = 0;
    let base = 0;
    if (order.length > 0) {
      for await (const batch of this.provider.batches()) {
        const end = base + batch.numRows;
        while (i < order.length && indices[order[i]!]! < end) {
          const slot = order[i]!;
          copyRows(batch, this.columns, d, indices[slot]! - base, 1, out, slot, base);
          i++;
        }
        base = end;
        if (i >= order.length) break;
      }
    }
    if (i < order.length) throw formatError('arrow: the input has fewer rows than when it was opened');
    if (options?.validate ?? this.validate) checkFinite(out, d, 0, indices);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Guard for callers passing something that is neither a Table nor a RecordBatch. */
export function isArrowInput(x: unknown): x is Table | RecordBatch {
  return x instanceof Table || x instanceof RecordBatch;
}


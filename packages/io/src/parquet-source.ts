/**
 * Parquet through hyparquet, streamed one row group at a time. hyparquet decodes a column chunk
 * as a whole, so a Parquet source holds one decoded row group (of the selected columns only) on
 * top of the chunk budget; a row group whose declared size exceeds `memoryLimitBytes` is
 * refused with `CLOSTERA_OUT_OF_MEMORY` before it is read.
 */
import type { AsyncBuffer, ColumnData, ColumnMetaData, Compressors, FileMetaData } from 'hyparquet';
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ByteSource } from './byte-source.js';
import type { DType } from './dtype.js';
import { ErrorCode, formatError, ioError, toCoded, unsupportedError } from './errors.js';
import { checkPages, chunkRange } from './parquet-pages.js';
import { decodeListChunk, listColumn } from './parquet-list-decoder.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';
import { resolveParquetColumns, type ColumnSelection, type ParquetVectorColumns } from './parquet-schema.js';
import {
  assertOpen,
  checkFinite,
  checkIndices,
  rowRange,
  rowsPerChunk,
  type ChunkOptions,
  type VectorChunk,
  type VectorSource,
} from './source.js';

/** Options of {@link ParquetSource.open}. */
export interface ParquetOptions extends ColumnSelection {
  /** Largest decoded row group (selected columns) the reader will hold; default 1 GiB. */
  memoryLimitBytes?: number;
  /** Check values are finite as they are read. */
  validate?: boolean;
  /** Vector dimension, when the file cannot tell (a list column whose first row group is all null). */
  d?: number;
}

/** A decoded row group: hyparquet's column pieces, or the list fast path's flat values. */
type GroupData = Map<string, ColumnData[]> | { flat: Float32Array; start: number };

/** Default {@link ParquetOptions.memoryLimitBytes}. */
export const DEFAULT_PARQUET_MEMORY_LIMIT = 1 << 30;

const CODECS = new Set(['UNCOMPRESSED', ...Object.keys(compressors)]);

interface Group {
  start: number;
  rows: number;
  bytes: number;
}

/**
 * hyparquet allocates each page's output from the size its header declares; wrap every
 * decompressor so a lying header is refused before that allocation.
 */
function guardedCompressors(limit: number): Compressors {
  const out: Compressors = {};
  for (const [codec, fn] of Object.entries(compressors) as [keyof Compressors, NonNullable<Compressors[keyof Compressors]>][]) {
    out[codec] = (input: Uint8Array, outputLength: number): Uint8Array => {
      if (!(outputLength >= 0 && outputLength <= limit)) {
        throw ioError(ErrorCode.OutOfMemory, `parquet: a page declares ${outputLength} uncompressed bytes, beyond the memory limit`, { expected: `<= ${limit}`, actual: outputLength });
      }
      return fn(input, outputLength);
    };
  }
  return out;
}

/** hyparquet's AsyncBuffer plus a one-region cache, so the page pre-scan's read is not repeated. */
interface CachedBuffer extends AsyncBuffer {
  /** Bytes at `[start, end)`, read once and kept for the following `slice` calls inside it. */
  prefetch(start: number, end: number): Promise<Uint8Array>;
  /** Forget the cached region. */
  drop(): void;
}

/** An hyparquet AsyncBuffer over a ByteSource that refuses slices beyond the memory limit. */
function asyncBuffer(bytes: ByteSource, limit: number): CachedBuffer {
  let cache: { start: number; data: Uint8Array } | undefined;
  return {
    byteLength: bytes.size,
    async prefetch(start: number, end: number): Promise<Uint8Array> {
      const data = new Uint8Array(await this.slice(start, end));
      cache = { start, data };
      return data;
    },
    drop(): void {
      cache = undefined;
    },
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      if (cache && end !== undefined && start >= cache.start && end <= cache.start + cache.data.length) {
        const from = start - cache.start;
        return cache.data.slice(from, from + (end - start)).buffer;
      }
      const stop = Math.min(end ?? bytes.size, bytes.size);
      const len = Math.max(0, stop - start);
      if (len > limit) {
        throw ioError(ErrorCode.OutOfMemory, `parquet: a read of ${len} bytes exceeds the memory limit`, { expected: `<= ${limit}`, actual: len });
      }
      if (start < 0 || start > bytes.size) throw formatError(`parquet: offset ${start} is outside the ${bytes.size}-byte file`);
      const out = new Uint8Array(len);
      await bytes.read(start, out);
      return out.buffer;
    },
  };
}

/** A {@link VectorSource} over a Parquet file. */
export class ParquetSource implements VectorSource {
  readonly format = 'parquet' as const;
  readonly dtype: DType;
  readonly columns: ParquetVectorColumns;
  private closed = false;
  private readonly compressors: Compressors;

  private constructor(
    private readonly bytes: ByteSource,
    private readonly file: CachedBuffer,
    private readonly metadata: FileMetaData,
    columns: ParquetVectorColumns,
    private readonly groups: Group[],
    readonly n: number,
    readonly d: number,
    private readonly options: ParquetOptions,
  ) {
    this.columns = columns;
    this.dtype = columns.dtype;
    this.compressors = guardedCompressors(options.memoryLimitBytes ?? DEFAULT_PARQUET_MEMORY_LIMIT);
  }

  /** Read the footer, resolve the columns, check codecs and row-group sizes, find `d`. */
  static async open(bytes: ByteSource, options: ParquetOptions = {}): Promise<ParquetSource> {
    const limit = options.memoryLimitBytes ?? DEFAULT_PARQUET_MEMORY_LIMIT;
    const file = asyncBuffer(bytes, limit);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (err) {
      await bytes.close();
      throw toCoded(err, 'parquet: cannot read the footer');
    }
    try {
      const columns = resolveParquetColumns(metadata, options);
      const groups: Group[] = [];
      let start = 0;
      for (const rg of metadata.row_groups) {
        const rows = Number(rg.num_rows);
        let size = 0;
        for (const cc of rg.columns) {
          const md = cc.meta_data;
          if (!md) throw formatError('parquet: column chunk without metadata');
          if (!columns.names.includes(md.path_in_schema[0] ?? '')) continue;
          if (!CODECS.has(md.codec)) {
            throw unsupportedError(`parquet: codec ${md.codec} is not supported`, { expected: [...CODECS].join('|'), actual: md.codec });
          }
          size += Math.max(Number(md.total_uncompressed_size), Number(md.total_compressed_size));
        }
        if (!Number.isSafeInteger(rows) || rows < 0) throw formatError('parquet: row group has an invalid row count', { actual: String(rg.num_rows) });
        if (size > limit) {
          throw ioError(ErrorCode.OutOfMemory, `parquet: row group of ${size} bytes exceeds the ${limit}-byte memory limit (raise memoryLimitBytes or rewrite with smaller row groups)`, {
            row: start,
            expected: `<= ${limit}`,
            actual: size,
          });
        }
        groups.push({ start, rows, bytes: size });
        start += rows;
      }
      if (start !== Number(metadata.num_rows)) {
        throw formatError('parquet: row groups do not add up to the file row count', { expected: String(metadata.num_rows), actual: start });
      }
      const source = new ParquetSource(bytes, file, metadata, columns, groups, start, 0, options);
      const d = columns.kind === 'scalar' ? columns.names.length : (options.d ?? (await source.listDimension()));
      return new ParquetSource(bytes, file, metadata, columns, groups, start, d, options);
    } catch (err) {
      await bytes.close();
      throw toCoded(err, 'parquet');
    }
  }

  /** The list length, from leaf-value counts when every row group agrees, else from the first non-null row. */
  private async listDimension(): Promise<number> {
    for (let g = 0; g < this.groups.length; g++) {
      const group = this.groups[g]!;
      if (group.rows === 0) continue;
      const cc = this.metadata.row_groups[g]!.columns.find((c) => c.meta_data?.path_in_schema[0] === this.columns.names[0]);
      const values = Number(cc?.meta_data?.num_values ?? 0);
      if (values % group.rows === 0 && values > 0) return values / group.rows;
      // Nulls or ragged lists: take the first non-null row and let the per-row check judge the rest.
      const data = await this.readGroup(g, group.start, group.start + group.rows);
      if (!(data instanceof Map)) continue;
      for (const piece of data.get(this.columns.names[0]!) ?? []) {
        const col = piece.columnData as ArrayLike<unknown>;
        for (let r = 0; r < col.length; r++) {
          const row = col[r] as ArrayLike<unknown> | null | undefined;
          if (row != null && typeof row.length === 'number') return row.length;
        }
      }
    }
    return 0;
  }

  /** Pre-scan the page headers of row group `g`'s selected columns (see parquet-pages.ts); returns the chunk bytes. */
  private async checkGroup(g: number): Promise<{ all: Uint8Array; lo: number; chunks: ColumnMetaData[]; ranges: [number, number][] }> {
    const limit = this.options.memoryLimitBytes ?? DEFAULT_PARQUET_MEMORY_LIMIT;
    const rg = this.metadata.row_groups[g]!;
    const chunks = rg.columns.map((c) => c.meta_data!).filter((m) => this.columns.names.includes(m.path_in_schema[0] ?? ''));
    const ranges = chunks.map(chunkRange);
    const lo = Math.min(...ranges.map((r) => r[0]));
    const hi = Math.max(...ranges.map((r) => r[1]));
    if (!(lo >= 0) || !(hi <= this.file.byteLength) || lo > hi) {
      throw formatError(`parquet: row group ${g} points outside the file`, { expected: `<= ${this.file.byteLength}`, actual: [lo, hi] });
    }
    const all = await this.file.prefetch(lo, hi);
    chunks.forEach((meta, i) => {
      const [a, b] = ranges[i]!;
      let path: ReturnType<typeof getSchemaPath>;
      try {
        path = getSchemaPath(this.metadata.schema, meta.path_in_schema);
      } catch (err) {
        throw toCoded(err, 'parquet: column path not in the schema');
      }
      const scan = { maxRep: getMaxRepetitionLevel(path), maxDef: getMaxDefinitionLevel(path), compressors: this.compressors };
      checkPages(all.subarray(a - lo, b - lo), meta, Number(rg.num_rows), limit, meta.path_in_schema.join('.'), scan);
    });
    return { all, lo, chunks, ranges };
  }

  /** Decode rows `[from, to)` of row group `g`, selected columns only. */
  private async readGroup(g: number, from: number, to: number): Promise<GroupData> {
    const out = new Map<string, ColumnData[]>(this.columns.names.map((n) => [n, []]));
    try {
      const { all, lo, chunks, ranges } = await this.checkGroup(g);
      const fast = this.columns.kind === 'list' && this.d > 0 && chunks.length === 1 ? listColumn(this.metadata, chunks[0]!, this.compressors) : undefined;
      if (fast) {
        // Fast path: leaf values straight into one Float32Array for the whole row group.
        const group = this.groups[g]!;
        const bytes = group.rows * this.d * 4;
        const limit = this.options.memoryLimitBytes ?? DEFAULT_PARQUET_MEMORY_LIMIT;
        if (bytes > limit) {
          throw ioError(ErrorCode.OutOfMemory, `parquet: row group ${g} decodes to ${bytes} bytes, beyond the memory limit`, { expected: `<= ${limit}`, actual: bytes });
        }
        const flat = new Float32Array(group.rows * this.d);
        const [a, b] = ranges[0]!;
        decodeListChunk(all.subarray(a - lo, b - lo), fast, group.rows, this.d, group.start, flat);
        return { flat, start: group.start };
      }
      await parquetRead({
        file: this.file,
        metadata: this.metadata,
        columns: this.columns.names,
        rowStart: from,
        rowEnd: to,
        compressors: this.compressors,
        utf8: false,
        onChunk: (c) => out.get(c.columnName)?.push(c),
      });
    } catch (err) {
      throw toCoded(err, `parquet: cannot decode row group ${g}`);
    } finally {
      this.file.drop();
    }
    return out;
  }

  /** Copy rows `[from, from + count)` (absolute) from decoded pieces into `out` at row slot `outRow`. */
  private fill(group: GroupData, from: number, count: number, out: Float32Array, outRow: number): void {
    const { d } = this;
    if (!(group instanceof Map)) {
      const at = (from - group.start) * d;
      out.set(group.flat.subarray(at, at + count * d), outRow * d);
      return;
    }
    const data = group;
    const to = from + count;
    const names = this.columns.names;
    for (let c = 0; c < names.length; c++) {
      let covered = 0;
      for (const piece of data.get(names[c]!)!) {
        const lo = Math.max(from, piece.rowStart);
        const hi = Math.min(to, piece.rowEnd);
        if (lo >= hi) continue;
        covered += hi - lo;
        const col = piece.columnData as ArrayLike<unknown>;
        for (let r = lo; r < hi; r++) {
          const v = col[r - piece.rowStart];
          const base = (outRow + r - from) * d;
          if (this.columns.kind === 'scalar') {
            if (typeof v !== 'number') throw nullError(r, names[c]!, v);
            out[base + c] = v;
          } else {
            copyList(v, r, d, out, base, names[c]!);
          }
        }
      }
      if (covered !== count) {
        throw formatError(`parquet: column ${names[c]} decoded ${covered} of ${count} rows`, { row: from, expected: count, actual: covered });
      }
    }
  }

  async *chunks(options?: ChunkOptions): AsyncGenerator<VectorChunk> {
    assertOpen(this.closed, this.format);
    const [start, end] = rowRange(this.n, options);
    const validate = options?.validate ?? this.options.validate ?? false;
    const per = rowsPerChunk(options?.maxBytes, this.d * 4);
    for (let g = 0; g < this.groups.length; g++) {
      const group = this.groups[g]!;
      const lo = Math.max(start, group.start);
      const hi = Math.min(end, group.start + group.rows);
      if (lo >= hi) continue;
      assertOpen(this.closed, this.format);
      const data = await this.readGroup(g, lo, hi);
      for (let row = lo; row < hi; row += per) {
        const rows = Math.min(per, hi - row);
        let out: Float32Array;
        if (data instanceof Map) {
          out = new Float32Array(rows * this.d);
          this.fill(data, row, rows, out, 0);
        } else {
          // A view of the decoded row group: no second copy.
          const at = (row - data.start) * this.d;
          out = data.flat.subarray(at, at + rows * this.d);
        }
        if (validate) checkFinite(out, this.d, row);
        yield { start: row, rows, data: out };
      }
    }
  }

  async rows(indices: ArrayLike<number>, options?: { validate?: boolean }): Promise<Float32Array> {
    assertOpen(this.closed, this.format);
    checkIndices(indices, this.n);
    const out = new Float32Array(indices.length * this.d);
    const order = Array.from({ length: indices.length }, (_, i) => i).sort((a, b) => indices[a]! - indices[b]!);
    let i = 0;
    for (let g = 0; g < this.groups.length && i < order.length; g++) {
      const group = this.groups[g]!;
      const end = group.start + group.rows;
      let j = i;
      while (j < order.length && indices[order[j]!]! < end) j++;
      if (j === i) continue;
      const lo = indices[order[i]!]!;
      const hi = indices[order[j - 1]!]! + 1;
      const data = await this.readGroup(g, lo, hi);
      for (let k = i; k < j; k++) this.fill(data, indices[order[k]!]!, 1, out, order[k]!);
      i = j;
    }
    if (options?.validate ?? this.options.validate) checkFinite(out, this.d, 0, indices);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.bytes.close();
  }
}

function nullError(row: number, column: string, v: unknown): Error {
  if (v === null || v === undefined) {
    return formatError(`parquet: null in column ${column} at row ${row} (vectors cannot have missing components)`, { row, expected: 'number', actual: 'null' });
  }
  return ioError(ErrorCode.InvalidType, `parquet: non-numeric value in column ${column} at row ${row}`, { row, expected: 'number', actual: typeof v });
}

function copyList(v: unknown, row: number, d: number, out: Float32Array, base: number, column: string): void {
  if (v === null || v === undefined) {
    throw formatError(`parquet: null vector in column ${column} at row ${row}`, { row, expected: `list of ${d}`, actual: 'null' });
  }
  const list = v as ArrayLike<unknown>;
  if (typeof list.length !== 'number') throw nullError(row, column, v);
  if (list.length !== d) {
    throw formatError(`parquet: row ${row} of column ${column} has ${list.length} components, expected ${d} (ragged lists)`, {
      row,
      expected: d,
      actual: list.length,
    });
  }
  for (let j = 0; j < d; j++) {
    const x = list[j];
    if (typeof x !== 'number') throw nullError(row, column, x);
    out[base + j] = x;
  }
}

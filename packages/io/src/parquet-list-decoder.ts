/**
 * Fast path for the common Parquet vector layout: one LIST column (max repetition level 1) of a
 * numeric leaf. hyparquet's generic reader assembles every row into a JS array (1M rows of 128
 * values cost seconds of garbage collection); here the pages are decoded with hyparquet's own
 * page decoders and the leaf values copied straight into one Float32Array per row group, while
 * the repetition and definition levels are checked: every row must have exactly `d` values and
 * none may be null.
 */
import type { ColumnMetaData, Compressors, DecodedArray, FileMetaData, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert, convertWithDictionary, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';
import { formatError, toCoded } from './errors.js';

/** hyparquet's internal column decoder parameters (not re-exported by its index). */
type ColumnDecoder = Parameters<typeof readDataPage>[2];

/** Reads the ULEB128 header of one RLE/bit-packed run; `what` names the levels in the error. */
function readRunHeader(bytes: Uint8Array, at: number, end: number, what: string): { header: number; at: number } {
  let header = 0;
  let shift = 0;
  for (;;) {
    if (at >= end || shift > 28) throw formatError(`parquet: ${what} run past the page`);
    const b = bytes[at++]!;
    header |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return { header, at };
    shift += 7;
  }
}

/**
 * Decode `count` RLE/bit-packed hybrid levels (bit width <= 8) at `at` into `out`; returns the
 * offset after them. Typed output instead of hyparquet's JS arrays: levels are one byte each.
 */
function readLevels(bytes: Uint8Array, at: number, end: number, width: number, count: number, out: Uint8Array): number {
  const mask = (1 << width) - 1;
  let seen = 0;
  while (seen < count) {
    const run = readRunHeader(bytes, at, end, 'levels');
    const header = run.header;
    at = run.at;
    if (header & 1) {
      const n = (header >>> 1) * 8;
      const take = Math.min(n, count - seen);
      for (let i = 0; i < take; i++) {
        const bit = i * width;
        const lo = at + (bit >> 3);
        const word = (bytes[lo] ?? 0) | ((bytes[lo + 1] ?? 0) << 8);
        out[seen + i] = (word >> (bit & 7)) & mask;
      }
      at += (n / 8) * width;
      seen += take;
    } else {
      const n = header >>> 1;
      const v = width > 0 ? bytes[at] ?? 0 : 0;
      at += width > 0 ? 1 : 0;
      const take = Math.min(n, count - seen);
      out.fill(v, seen, seen + take);
      seen += take;
      if (n === 0 && at >= end) throw formatError('parquet: empty level run at the end of a page');
    }
  }
  return at;
}

/** Row bookkeeping carried across pages: current row (-1 before the first) and its length so far. */
interface RowState {
  row: number;
  inRow: number;
}

/**
 * Walk width-1 repetition levels without materialising them, advancing `st`; `closeRow` is
 * called for each completed row. Bit-packed bytes of all ones (8 continuation levels) are
 * consumed whole, which is the common case for long vectors.
 */
function walkRep(bytes: Uint8Array, at: number, end: number, count: number, st: RowState, closeRow: () => void): void {
  let seen = 0;
  while (seen < count) {
    const run = readRunHeader(bytes, at, end, 'repetition levels');
    const header = run.header;
    at = run.at;
    if (header & 1) {
      const n = (header >>> 1) * 8;
      const take = Math.min(n, count - seen);
      if (at + Math.ceil(take / 8) > end) throw formatError('parquet: repetition levels run past the page');
      let i = 0;
      for (let b = at; i < take; b++) {
        const byte = bytes[b]!;
        if (byte === 0xff && i + 8 <= take) {
          st.inRow += 8;
          i += 8;
          continue;
        }
        for (let bit = 0; bit < 8 && i < take; bit++, i++) {
          if ((byte >> bit) & 1) st.inRow++;
          else {
            closeRow();
            st.row++;
            st.inRow = 1;
          }
        }
      }
      at += n / 8;
      seen += take;
    } else {
      const n = header >>> 1;
      const v = bytes[at] ?? 0;
      at += 1;
      const take = Math.min(n, count - seen);
      if (v === 0) {
        for (let j = 0; j < take; j++) {
          closeRow();
          st.row++;
          st.inRow = 1;
        }
      } else st.inRow += take;
      seen += take;
      if (n === 0 && at >= end) throw formatError('parquet: empty level run at the end of a page');
    }
  }
}

/** Position of the first definition level that is not `max` (a null somewhere), or -1. */
function firstNullDef(bytes: Uint8Array, at: number, end: number, width: number, count: number, max: number): number {
  const mask = (1 << width) - 1;
  let seen = 0;
  while (seen < count) {
    const run = readRunHeader(bytes, at, end, 'definition levels');
    const header = run.header;
    at = run.at;
    if (header & 1) {
      const n = (header >>> 1) * 8;
      const take = Math.min(n, count - seen);
      for (let i = 0; i < take; i++) {
        const bit = i * width;
        const lo = at + (bit >> 3);
        const v = (((bytes[lo] ?? 0) | ((bytes[lo + 1] ?? 0) << 8)) >> (bit & 7)) & mask;
        if (v !== max) return seen + i;
      }
      at += (n / 8) * width;
      seen += take;
    } else {
      const n = header >>> 1;
      const v = width > 0 ? bytes[at] ?? 0 : 0;
      at += width > 0 ? 1 : 0;
      if (v !== max && n > 0) return seen;
      seen += Math.min(n, count - seen);
      if (n === 0 && at >= end) throw formatError('parquet: empty level run at the end of a page');
    }
  }
  return -1;
}

function bitWidth(v: number): number {
  return 32 - Math.clz32(v);
}

interface DecodedPage {
  /** Bytes holding the levels, and where the repetition levels start and end. */
  levels: Uint8Array;
  repAt: number;
  repEnd: number;
  defAt: number;
  defEnd: number;
  count: number;
  /** First slot whose definition level shows a null, or -1. */
  firstNull: number;
  /** Undefined when there is a null: the caller reports it with its row. */
  values: ArrayLike<number> | undefined;
}

/** Levels and leaf values of one data page (`raw` as stored; v1 pages are decompressed here). */
function decodePage(col: ListColumn, raw: Uint8Array, header: ReturnType<typeof parquetHeader>, dictionary: DecodedArray | undefined): DecodedPage {
  const { decoder } = col;
  const v2 = header.data_page_header_v2;
  const n = (v2 ?? header.data_page_header)!.num_values;
  const encoding = (v2 ?? header.data_page_header)!.encoding;
  const defWidth = bitWidth(col.maxDef);
  let levels: Uint8Array;
  let page: Uint8Array;
  let repAt: number, repEnd: number, defAt: number, defEnd: number, at: number;
  if (v2) {
    const rl = v2.repetition_levels_byte_length;
    const dl = v2.definition_levels_byte_length;
    levels = raw;
    [repAt, repEnd, defAt, defEnd] = [0, rl, rl, rl + dl];
    const body = raw.subarray(rl + dl);
    page = v2.is_compressed === false ? body : decompressPage(body, header.uncompressed_page_size - rl - dl, decoder.codec, decoder.compressors);
    at = 0;
  } else {
    page = decompressPage(raw, header.uncompressed_page_size, decoder.codec, decoder.compressors);
    levels = page;
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    if (page.length < 4) throw formatError('parquet: truncated levels');
    const rl = view.getUint32(0, true);
    [repAt, repEnd] = [4, Math.min(page.length, 4 + rl)];
    at = 4 + rl;
    [defAt, defEnd] = [at, at];
    if (col.maxDef > 0) {
      if (at + 4 > page.length) throw formatError('parquet: truncated levels');
      const dl = view.getUint32(at, true);
      [defAt, defEnd] = [at + 4, Math.min(page.length, at + 4 + dl)];
      at += 4 + dl;
    }
  }
  const firstNull = col.maxDef > 0 ? firstNullDef(levels, defAt, defEnd, defWidth, n, col.maxDef) : -1;
  const base = { levels, repAt, repEnd, defAt, defEnd, count: n, firstNull };
  if (firstNull >= 0) return { ...base, values: undefined };
  // No nulls: every level slot has a value.
  const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: at };
  let values: ArrayLike<number>;
  if (encoding === 'PLAIN') {
    values = convert(readPlain(reader, decoder.type, n, decoder.element.type_length), decoder) as ArrayLike<number>;
  } else if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
    if (!dictionary) throw formatError('parquet: dictionary-encoded page without a dictionary');
    const width = page[at] ?? 0;
    reader.offset++;
    const idx = new Int32Array(n);
    if (width) readRleBitPackedHybrid(reader, width, idx, page.length - reader.offset);
    const dict = dictionary as ArrayLike<number>;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = idx[i]!;
      if (k < 0 || k >= dict.length) throw formatError(`parquet: dictionary index ${k} outside a ${dict.length}-entry dictionary`);
      out[i] = dict[k]!;
    }
    values = out;
  } else if (v2) {
    // Other encodings (delta, byte-stream-split): hyparquet's generic page readers.
    values = convertWithDictionary(readDataPageV2(raw, header, decoder).dataPage, undefined, encoding, decoder) as ArrayLike<number>;
  } else {
    values = convertWithDictionary(readDataPage(page, header.data_page_header!, decoder).dataPage, undefined, encoding, decoder) as ArrayLike<number>;
  }
  return { ...base, values };
}

/** Everything needed to decode one list column; built once per source. */
export interface ListColumn {
  decoder: ColumnDecoder;
  maxDef: number;
  /** Definition level meaning "a null element" (undefined when elements are required). */
  nullElementDef: number | undefined;
}

/** The decoder for `name` when it is a plain list of numbers (max repetition level 1), else undefined. */
export function listColumn(metadata: FileMetaData, meta: ColumnMetaData, compressors: Compressors): ListColumn | undefined {
  let schemaPath: SchemaTree[];
  try {
    schemaPath = getSchemaPath(metadata.schema, meta.path_in_schema);
  } catch {
    return undefined;
  }
  if (getMaxRepetitionLevel(schemaPath) !== 1) return undefined;
  const leaf = schemaPath[schemaPath.length - 1]!.element;
  if (!leaf.type || !['FLOAT', 'DOUBLE', 'INT32'].includes(leaf.type)) return undefined;
  const maxDef = getMaxDefinitionLevel(schemaPath);
  return {
    decoder: {
      pathInSchema: meta.path_in_schema,
      type: leaf.type,
      element: leaf,
      schemaPath,
      codec: meta.codec,
      parsers: DEFAULT_PARSERS,
      compressors,
      utf8: false,
    },
    maxDef,
    nullElementDef: leaf.repetition_type === 'OPTIONAL' ? maxDef - 1 : undefined,
  };
}

/**
 * Decode a whole column chunk of `rows` rows into `out` (rows x d, row-major). `rowBase` is the
 * absolute index of the group's first row, for error messages.
 */
export function decodeListChunk(chunk: Uint8Array, col: ListColumn, rows: number, d: number, rowBase: number, out: Float32Array): void {
  const { decoder } = col;
  const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  let dictionary: DecodedArray | undefined;
  const st: RowState = { row: -1, inRow: 0 };
  let filled = 0;
  const ragged = (r: number, got: number): never => {
    throw formatError(`parquet: row ${rowBase + r} of column ${decoder.pathInSchema[0]} has ${got} components, expected ${d} (ragged lists)`, {
      row: rowBase + r,
      expected: d,
      actual: got,
    });
  };
  const closeRow = (): void => {
    if (st.row >= 0 && st.inRow !== d) ragged(st.row, st.inRow);
  };
  try {
    while (reader.offset < chunk.length - 1) {
      const header = parquetHeader(reader);
      const bytes = chunk.subarray(reader.offset, reader.offset + header.compressed_page_size);
      reader.offset += header.compressed_page_size;
      if (header.type === 'DICTIONARY_PAGE') {
        const page = decompressPage(bytes, header.uncompressed_page_size, decoder.codec, decoder.compressors);
        const dictReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
        dictionary = convert(readPlain(dictReader, decoder.type, header.dictionary_page_header!.num_values, decoder.element.type_length), decoder);
        continue;
      }
      if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue;
      const page = decodePage(col, bytes, header, dictionary);
      if (page.firstNull >= 0) {
        // Materialise the levels only now, to name the row of the null.
        const rep = new Uint8Array(page.count);
        const def = new Uint8Array(page.count);
        readLevels(page.levels, page.repAt, page.repEnd, 1, page.count, rep);
        readLevels(page.levels, page.defAt, page.defEnd, bitWidth(col.maxDef), page.count, def);
        let r = st.row;
        for (let k = 0; k <= page.firstNull; k++) if (rep[k] === 0) r++;
        const what = def[page.firstNull] === col.nullElementDef ? 'a null component' : 'a null or empty vector';
        throw formatError(`parquet: ${what} in column ${decoder.pathInSchema[0]} at row ${rowBase + r}`, { row: rowBase + r, expected: 'number', actual: 'null' });
      }
      walkRep(page.levels, page.repAt, page.repEnd, page.count, st, closeRow);
      const values = page.values!;
      if (values.length !== page.count || filled + values.length > out.length) {
        throw formatError(`parquet: column ${decoder.pathInSchema[0]} holds more values than ${rows} rows of ${d}`, { row: rowBase + Math.max(0, st.row) });
      }
      out.set(values, filled);
      filled += values.length;
    }
  } catch (err) {
    throw toCoded(err, `parquet: cannot decode column ${decoder.pathInSchema[0]}`);
  }
  closeRow();
  if (st.row + 1 !== rows || filled !== rows * d) {
    throw formatError(`parquet: column ${decoder.pathInSchema[0]} decoded ${st.row + 1} of ${rows} rows`, { row: rowBase, expected: rows, actual: st.row + 1 });
  }
}

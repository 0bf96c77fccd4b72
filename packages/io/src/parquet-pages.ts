/**
 * A pre-scan of a column chunk's page headers before hyparquet decodes it. hyparquet sizes its
 * output from each page header and trusts it: a corrupted `num_values` makes its RLE decoder spin
 * for minutes and allocate far beyond any budget. Checking every header against the column
 * metadata and the memory limit turns a lying page into a fast coded error.
 */
import type { ColumnMetaData, Compressors } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { ErrorCode, formatError, ioError, toCoded } from './errors.js';

/** Bytes hyparquet spends per decoded value (a JS array slot or number), for budget checks. */
export const BYTES_PER_DECODED_VALUE = 8;

/** Byte range `[start, end)` of a column chunk, as hyparquet computes it. */
export function chunkRange(meta: ColumnMetaData): [number, number] {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return [start, start + Number(meta.total_compressed_size)];
}

/** What the level/index scan needs to know about a column. */
export interface PageScan {
  /** Largest repetition level (0: none stored). */
  maxRep: number;
  /** Largest definition level (0: none stored). */
  maxDef: number;
  /** Decompressors (already guarded by the memory limit). */
  compressors: Compressors;
}

function bitWidth(v: number): number {
  return 32 - Math.clz32(v);
}

/**
 * Walk an RLE/bit-packed hybrid run list the way hyparquet will, and refuse runs that claim more
 * values than the page holds: hyparquet's RLE writer does not stop at the end of its output, so
 * one corrupted run header makes it write (and allocate) billions of entries.
 */
function scanRle(view: DataView, start: number, end: number, width: number, values: number, column: string): void {
  let at = start;
  let seen = 0;
  while (seen < values && at < end) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (at >= end) return; // hyparquet runs out of bytes too and throws: a coded error later
      const byte = view.getUint8(at++);
      header |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7;
      if (shift > 35) throw formatError(`parquet: column ${column}: malformed run header`);
    }
    const bitPacked = header & 1;
    const count = bitPacked ? (header >> 1) << 3 : header >>> 1;
    // A bit-packed run consumes its bytes (writers pad the last one freely), so only a zero bit
    // width lets it spin without input; RLE runs are written out in full by hyparquet.
    const phantom = bitPacked ? width === 0 : true;
    if (count < 0 || (phantom && count > values - seen + 7)) {
      throw formatError(`parquet: column ${column}: a run of ${count} values in a page of ${values}`, { expected: `<= ${values - seen}`, actual: count });
    }
    at += bitPacked ? (count / 8) * width : (width + 7) >> 3;
    seen += count;
  }
}

function scanLevels(page: Uint8Array, scan: PageScan, values: number, encoding: string | undefined, column: string, v2?: { rep: number; def: number }): void {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  let at = 0;
  const levels: [number, number | undefined][] = [
    [scan.maxRep, v2?.rep],
    [scan.maxDef, v2?.def],
  ];
  for (const [max, v2len] of levels) {
    if (v2len !== undefined) {
      // v2: both level runs sit uncompressed at the front, lengths in the header.
      // hyparquet reads runs until it has `values` levels, past the stated length if need be.
      if (max) scanRle(view, at, page.length, bitWidth(max), values, column);
      at += v2len;
    } else if (max) {
      // v1: each level run is prefixed by its int32 byte length.
      if (at + 4 > page.length) return;
      const len = view.getUint32(at, true);
      scanRle(view, at + 4, page.length, bitWidth(max), values, column);
      at += 4 + len;
    }
  }
  if ((encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') && at < page.length) {
    scanRle(view, at + 1, page.length, view.getUint8(at), values, column);
  }
}

function decompress(raw: Uint8Array, size: number, codec: string, scan: PageScan): Uint8Array {
  if (codec === 'UNCOMPRESSED') return raw;
  const fn = scan.compressors[codec as keyof Compressors];
  if (!fn) throw formatError(`parquet: no decompressor for ${codec}`);
  try {
    return fn(raw, size);
  } catch (err) {
    throw toCoded(err, `parquet: cannot decompress a ${codec} page`);
  }
}

/**
 * Walk the page headers of one column chunk (`bytes` = the whole chunk) and throw a coded error
 * on any header that disagrees with the chunk metadata or would exceed `limit` once decoded;
 * then scan each data page's level and dictionary-index runs (see {@link scanRle}).
 */
export function checkPages(bytes: Uint8Array, meta: ColumnMetaData, groupRows: number, limit: number, column: string, scan: PageScan): void {
  const total = Number(meta.num_values);
  const fail = (why: string, actual?: unknown): never => {
    throw formatError(`parquet: column ${column}: ${why}`, { actual });
  };
  if (!(total >= 0) || total * BYTES_PER_DECODED_VALUE > limit) {
    throw ioError(ErrorCode.OutOfMemory, `parquet: column ${column} declares ${total} values, beyond the memory limit`, {
      expected: `<= ${Math.floor(limit / BYTES_PER_DECODED_VALUE)}`,
      actual: total,
    });
  }
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let seen = 0;
  let dictionary = false;
  // To the end of the chunk, not just `total` values: hyparquet decodes every page of a nested column.
  while (reader.offset < bytes.length - 1) {
    let h: ReturnType<typeof parquetHeader>;
    try {
      h = parquetHeader(reader);
    } catch (err) {
      throw toCoded(err, `parquet: column ${column}: unreadable page header`);
    }
    const compressed = h.compressed_page_size;
    const uncompressed = h.uncompressed_page_size;
    if (!Number.isSafeInteger(compressed) || compressed < 0 || reader.offset + compressed > bytes.length) return fail('page runs past the column chunk', compressed);
    if (!Number.isSafeInteger(uncompressed) || uncompressed < 0 || uncompressed > limit) {
      throw ioError(ErrorCode.OutOfMemory, `parquet: column ${column}: page of ${uncompressed} bytes beyond the memory limit`, { expected: `<= ${limit}`, actual: uncompressed });
    }
    const dph = h.data_page_header ?? h.data_page_header_v2;
    if (h.type === 'DICTIONARY_PAGE') {
      const n = h.dictionary_page_header?.num_values;
      if (n === undefined || !Number.isSafeInteger(n) || n < 0 || n * BYTES_PER_DECODED_VALUE > limit || n > uncompressed) return fail('dictionary page declares an impossible value count', n);
      dictionary = true;
    } else if (h.type === 'DATA_PAGE' || h.type === 'DATA_PAGE_V2') {
      const n = dph?.num_values;
      if (n === undefined || !Number.isSafeInteger(n) || n < 0 || seen + n > total) return fail(`page declares ${n} values, the chunk has ${total - seen} left`, n);
      seen += n;
      // Dictionary indices without a dictionary: hyparquet would decode them anyway (and with a
      // corrupted bit width of 0, spin through billions of phantom values).
      const enc = dph?.encoding;
      // RLE is a boolean/level encoding; hyparquet would decode numeric RLE values with an unchecked run list.
      if (enc === 'RLE' || enc === 'BIT_PACKED') return fail(`numeric values cannot be ${enc}-encoded`, enc);
      if ((enc === 'RLE_DICTIONARY' || enc === 'PLAIN_DICTIONARY') && !dictionary) return fail('dictionary-encoded page without a dictionary page', enc);
      const v2 = h.data_page_header_v2;
      if (v2) {
        const int = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
        const ok =
          int(v2.num_rows) && v2.num_rows <= groupRows && int(v2.num_nulls) && v2.num_nulls <= n &&
          int(v2.definition_levels_byte_length) && int(v2.repetition_levels_byte_length) &&
          v2.definition_levels_byte_length + v2.repetition_levels_byte_length <= compressed && typeof v2.is_compressed === 'boolean';
        if (!ok) return fail('inconsistent v2 page header');
      }
      const raw = bytes.subarray(reader.offset, reader.offset + compressed);
      const dict = enc === 'RLE_DICTIONARY' || enc === 'PLAIN_DICTIONARY';
      if (h.data_page_header) {
        if (scan.maxRep || scan.maxDef || dict) scanLevels(decompress(raw, uncompressed, meta.codec, scan), scan, n, enc, column);
      } else if (h.data_page_header_v2) {
        const v2h = h.data_page_header_v2;
        const lv = v2h.repetition_levels_byte_length + v2h.definition_levels_byte_length;
        if (scan.maxRep || scan.maxDef) scanLevels(raw, scan, n, undefined, column, { rep: v2h.repetition_levels_byte_length, def: v2h.definition_levels_byte_length });
        if (dict) {
          const body = v2h.is_compressed ? decompress(raw.subarray(lv), uncompressed - lv, meta.codec, scan) : raw.subarray(lv);
          scanLevels(body, { ...scan, maxRep: 0, maxDef: 0 }, n, enc, column);
        }
      }
    }
    reader.offset += compressed;
  }
}


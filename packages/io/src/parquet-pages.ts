/**
 * A pre-scan of a column chunk's page headers before hyparquet decodes it. hyparquet sizes its
 * output from each page header and trusts it: a corrupted `num_values` makes its RLE decoder spin
 * for minutes and allocate far beyond any budget. Checking every header against the column
 * metadata and the memory limit turns a lying page into a fast coded error.
 */
import type { ColumnMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { ErrorCode, formatError, ioError, toCoded } from './errors.js';

/** Bytes hyparquet spends per decoded value (a JS array slot or number), for budget checks. */
export const BYTES_PER_DECODED_VALUE = 8;

/** Byte range `[start, end)` of a column chunk, as hyparquet computes it. */
export function chunkRange(meta: ColumnMetaData): [number, number] {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return [start, start + Number(meta.total_compressed_size)];
}

/**
 * Walk the page headers of one column chunk (`bytes` = the whole chunk) and throw a coded error
 * on any header that disagrees with the chunk metadata or would exceed `limit` once decoded.
 */
export function checkPages(bytes: Uint8Array, meta: ColumnMetaData, groupRows: number, limit: number, column: string): void {
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
  while (reader.offset < bytes.length - 1 && seen < total) {
    let h: ReturnType<typeof parquetHeader>;
    try {
      h = parquetHeader(reader);
    } catch (err) {
      throw toCoded(err, `parquet: column ${column}: unreadable page header`);
    }
    const compressed = h.compressed_page_size;
    const uncompressed = h.uncompressed_page_size;
    if (!(compressed >= 0) || reader.offset + compressed > bytes.length) return fail('page runs past the column chunk', compressed);
    if (!(uncompressed >= 0) || uncompressed > limit) {
      throw ioError(ErrorCode.OutOfMemory, `parquet: column ${column}: page of ${uncompressed} bytes beyond the memory limit`, { expected: `<= ${limit}`, actual: uncompressed });
    }
    const dph = h.data_page_header ?? h.data_page_header_v2;
    if (h.type === 'DICTIONARY_PAGE') {
      const n = h.dictionary_page_header?.num_values;
      if (n === undefined || !(n >= 0) || n * BYTES_PER_DECODED_VALUE > limit || n > uncompressed) return fail('dictionary page declares an impossible value count', n);
    } else if (h.type === 'DATA_PAGE' || h.type === 'DATA_PAGE_V2') {
      const n = dph?.num_values;
      if (n === undefined || !(n >= 0) || seen + n > total) return fail(`page declares ${n} values, the chunk has ${total - seen} left`, n);
      seen += n;
      const v2 = h.data_page_header_v2;
      if (v2) {
        const levels = v2.definition_levels_byte_length + v2.repetition_levels_byte_length;
        if (!(v2.num_rows >= 0) || v2.num_rows > groupRows || !(v2.num_nulls >= 0) || v2.num_nulls > n || !(levels >= 0) || levels > compressed) {
          return fail('inconsistent v2 page header');
        }
      }
    }
    reader.offset += compressed;
  }
}

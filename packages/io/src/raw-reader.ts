/**
 * Raw matrices: headerless row-major bytes whose shape and dtype the caller states (or a JSON
 * sidecar next to the file states, as in `/work/shared/datasets`).
 */
import { readFile } from 'node:fs/promises';
import type { ByteSource } from './byte-source.js';
import { DTYPE_BYTES, parseDType, type ByteOrder, type DType } from './dtype.js';
import { argumentError, formatError } from './errors.js';
import { StridedSource } from './strided-source.js';

/** Shape and element type of a raw matrix. */
export interface RawLayout {
  /** Components per row (required). */
  d: number;
  /** Element type (default float32). */
  dtype?: DType;
  /** Rows; inferred from the file length when omitted. */
  n?: number;
  /** Byte order (default little). */
  byteOrder?: ByteOrder;
  /** Bytes to skip before the first row (default 0). */
  offset?: number;
}

/** Open headerless bytes with an explicit layout. A stated `n` larger than the file is `CLOSTERA_FORMAT`. */
export function openRaw(bytes: ByteSource, layout: RawLayout, validate = false): StridedSource {
  const dtype = parseDType(layout.dtype ?? 'float32');
  const { d } = layout;
  const offset = layout.offset ?? 0;
  if (!Number.isSafeInteger(d) || d <= 0) throw argumentError('raw: d must be a positive integer', { expected: '> 0', actual: d });
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.size) {
    throw argumentError('raw: offset must be within the file', { expected: `0..${bytes.size}`, actual: offset });
  }
  const order = layout.byteOrder ?? 'little';
  if (order !== 'little' && order !== 'big') throw argumentError('raw: byteOrder must be little or big', { actual: order });
  const rowBytes = d * DTYPE_BYTES[dtype];
  const avail = bytes.size - offset;
  let n = layout.n;
  if (n === undefined) {
    if (avail % rowBytes !== 0) {
      throw formatError(`raw: ${avail} bytes is not a whole number of ${d}-wide ${dtype} rows (truncated?)`, {
        expected: `multiple of ${rowBytes}`,
        actual: avail,
      });
    }
    n = avail / rowBytes;
  }
  if (!Number.isSafeInteger(n) || n < 0) throw argumentError('raw: n must be a non-negative integer', { actual: n });
  if (n * rowBytes > avail) {
    throw formatError(`raw: ${n} x ${d} ${dtype} needs ${n * rowBytes} bytes, file has ${avail}`, {
      expected: n * rowBytes,
      actual: avail,
    });
  }
  return new StridedSource(bytes, { format: 'raw', n, d, dtype, order, dataOffset: offset, rowStride: rowBytes, rowPrefix: 0 }, validate);
}

/**
 * Look for `<name>.json` next to `<name>.<ext>` describing `n`, `d`, `dtype` and `byte_order`.
 * Returns undefined when there is none; a sidecar that exists but is unreadable is `CLOSTERA_FORMAT`.
 */
export async function readRawSidecar(path: string): Promise<RawLayout | undefined> {
  const json = path.replace(/\.[^./\\]+$/, '') + '.json';
  if (json === path) return undefined;
  let text: string;
  try {
    text = await readFile(json, 'utf8');
  } catch {
    return undefined;
  }
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw formatError(`raw: sidecar ${json} is not valid JSON`, { cause: err });
  }
  if (typeof meta.d !== 'number') return undefined;
  const layout: RawLayout = { d: meta.d };
  if (typeof meta.n === 'number') layout.n = meta.n;
  if (typeof meta.dtype === 'string') layout.dtype = parseDType(meta.dtype);
  if (meta.byte_order === 'big' || meta.byte_order === 'little') layout.byteOrder = meta.byte_order;
  return layout;
}

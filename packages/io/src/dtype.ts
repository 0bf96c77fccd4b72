/**
 * Element types a vector file may store, and their conversion to float32.
 *
 * Every source hands out float32 rows. Wider or narrower inputs are converted chunk by chunk, at
 * the moment a chunk is produced, so a float64 file never exists as a whole float32 copy:
 * - float64 → float32 rounds to nearest (values beyond float32 range become ±Infinity);
 * - float16 → float32 is exact (a 64 Ki-entry lookup table);
 * - int8/uint8/int16/uint16 → float32 are exact; int32/uint32 → float32 round above 2^24.
 */
import { unsupportedError } from './errors.js';

/** Element type of a stored vector component. */
export type DType = 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';

/** Byte order of multi-byte elements in a file. */
export type ByteOrder = 'little' | 'big';

/** Bytes per element of each {@link DType}. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
};

/** Every supported dtype, for validation messages. */
export const DTYPES: readonly DType[] = Object.keys(DTYPE_BYTES) as DType[];

/** Check a user-supplied dtype name; unknown names are `CLOSTERA_UNSUPPORTED`. */
export function parseDType(name: unknown): DType {
  if (typeof name === 'string' && Object.hasOwn(DTYPE_BYTES, name)) return name as DType;
  throw unsupportedError(`unsupported dtype ${JSON.stringify(name)}`, { expected: DTYPES.join('|'), actual: name });
}

/** Host byte order; every mainstream target is little endian but the big-endian path stays correct. */
export const HOST_ORDER: ByteOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';

let f16Table: Float32Array | undefined;

/** float16 bit pattern → float32 value; built once on first use (256 KiB). */
function float16Table(): Float32Array {
  if (f16Table) return f16Table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac ? NaN : sign * Infinity;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  f16Table = t;
  return t;
}

type View = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

function typedView(dtype: DType, buf: ArrayBufferLike, byteOffset: number, count: number): View {
  switch (dtype) {
    case 'float32': return new Float32Array(buf, byteOffset, count);
    case 'float64': return new Float64Array(buf, byteOffset, count);
    case 'float16': return new Uint16Array(buf, byteOffset, count);
    case 'int8': return new Int8Array(buf, byteOffset, count);
    case 'uint8': return new Uint8Array(buf, byteOffset, count);
    case 'int16': return new Int16Array(buf, byteOffset, count);
    case 'uint16': return new Uint16Array(buf, byteOffset, count);
    case 'int32': return new Int32Array(buf, byteOffset, count);
    case 'uint32': return new Uint32Array(buf, byteOffset, count);
  }
}

function readScalar(dv: DataView, off: number, dtype: DType, le: boolean): number {
  switch (dtype) {
    case 'float32': return dv.getFloat32(off, le);
    case 'float64': return dv.getFloat64(off, le);
    case 'float16': return float16Table()[dv.getUint16(off, le)]!;
    case 'int8': return dv.getInt8(off);
    case 'uint8': return dv.getUint8(off);
    case 'int16': return dv.getInt16(off, le);
    case 'uint16': return dv.getUint16(off, le);
    case 'int32': return dv.getInt32(off, le);
    case 'uint32': return dv.getUint32(off, le);
  }
}

/**
 * Decode `count` elements of `dtype` stored in `bytes` (starting at byte 0) into `out[outOffset..]`.
 * Host-order data goes through a typed view (copying to an aligned scratch only when the bytes
 * are misaligned); foreign-order data goes through a DataView.
 */
export function decodeInto(
  bytes: Uint8Array,
  count: number,
  dtype: DType,
  order: ByteOrder,
  out: Float32Array,
  outOffset: number,
): void {
  const size = DTYPE_BYTES[dtype];
  if (order === HOST_ORDER || size === 1) {
    let buf = bytes.buffer;
    let off = bytes.byteOffset;
    if (off % size !== 0) {
      const copy = bytes.slice(0, count * size);
      buf = copy.buffer;
      off = 0;
    }
    const view = typedView(dtype, buf, off, count);
    if (dtype === 'float16') {
      const t = float16Table();
      for (let i = 0; i < count; i++) out[outOffset + i] = t[view[i]!]!;
    } else {
      out.set(view, outOffset);
    }
    return;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, count * size);
  const le = order === 'little';
  for (let i = 0; i < count; i++) out[outOffset + i] = readScalar(dv, i * size, dtype, le);
}

/** Typed array classes accepted as in-memory matrices, with their dtype. */
export function dtypeOfArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  return undefined;
}

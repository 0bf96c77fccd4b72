/**
 * Encode numbers into the little-endian bytes of a stored dtype (the writers' side of dtype.ts).
 */
import type { DType } from './dtype.js';
import { HOST_ORDER } from './dtype.js';
import { unsupportedError } from './errors.js';

/** Element types the writers produce (float16 output is not offered: nothing in Clostera emits it). */
export type WritableDType = Exclude<DType, 'float16'>;

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

/** A typed array of the given dtype holding `values` (the same object when it already is one). */
export function toTyped(values: ArrayLike<number>, dtype: WritableDType): InstanceType<(typeof CTORS)[WritableDType]> {
  const Ctor = CTORS[dtype];
  if (!Ctor) throw unsupportedError(`unsupported output dtype ${String(dtype)}`, { actual: dtype });
  if (values instanceof Ctor) return values as InstanceType<(typeof CTORS)[WritableDType]>;
  return Ctor.from(values as ArrayLike<number>) as InstanceType<(typeof CTORS)[WritableDType]>;
}

/** Little-endian bytes of `values` stored as `dtype`. */
export function toStorage(values: ArrayLike<number>, dtype: WritableDType): Uint8Array {
  const typed = toTyped(values, dtype);
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (HOST_ORDER === 'little' || typed.BYTES_PER_ELEMENT === 1) return bytes;
  const swapped = bytes.slice();
  const w = typed.BYTES_PER_ELEMENT;
  for (let i = 0; i < swapped.length; i += w) swapped.subarray(i, i + w).reverse();
  return swapped;
}

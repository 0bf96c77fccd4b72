/**
 * Type checks of pass arguments in TypeScript, so a wrong type fails at the call site with a
 * clear `CLOSTERA_INVALID_TYPE`. Value checks (d = 0, length not a multiple of d, L > k, NaN
 * rows...) are left to the Rust kernels, the single source of those rules.
 *
 * @module
 * @internal
 */
import { ClosteraError, ErrorCode } from './errors.js';
import type { AsyncPassOptions, PassOptions } from './types.js';
import type { NativeOptions } from './native.js';

/** Names a value's type the way the native binding does: `Float64Array`, `Array`, `string`... */
export function describeType(value: unknown): string {
  // The common classes first: the tag lookup and slice cost a few microseconds per check, and
  // a k-means++ seeding checks about 30,000 arrays.
  if (value instanceof Float32Array) return 'Float32Array';
  if (value instanceof Uint32Array) return 'Uint32Array';
  if (value instanceof Float64Array) return 'Float64Array';
  if (ArrayBuffer.isView(value)) return Object.prototype.toString.call(value).slice(8, -1);
  if (Array.isArray(value)) return 'Array';
  if (value === null) return 'null';
  return typeof value;
}

function typeError(name: string, expected: string, value: unknown): ClosteraError {
  const actual = describeType(value);
  return new ClosteraError(ErrorCode.InvalidType, `${name} must be ${expected}, got ${actual}`, { expected, actual });
}

type TypedArrayClass = 'Float32Array' | 'Float64Array' | 'Uint32Array';
type TypedArrayOf<C extends TypedArrayClass> = C extends 'Float32Array' ? Float32Array : C extends 'Float64Array' ? Float64Array : Uint32Array;

/** Checks `value` is a typed array of class `expected` (works across realms, unlike `instanceof`). */
export function checkTypedArray<C extends TypedArrayClass>(
  name: string,
  value: unknown,
  expected: C
): asserts value is TypedArrayOf<C> {
  if (!ArrayBuffer.isView(value) || describeType(value) !== expected) throw typeError(name, expected, value);
}

/** Checks `value` is a Float32Array, or absent. */
export function checkOptionalFloat32(name: string, value: unknown): asserts value is Float32Array | undefined {
  if (value !== undefined) checkTypedArray(name, value, 'Float32Array');
}

/** Checks `value` is a number (integer-ness and range are checked natively). */
export function checkNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw typeError(name, 'number', value);
}

/** Checks `value` is a string (the allowed names are checked natively). */
export function checkString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw typeError(name, 'string', value);
}

/** Checks `value` is a boolean, or absent. */
export function checkOptionalBoolean(name: string, value: unknown): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw typeError(name, 'boolean', value);
}

/** Checks an options argument is an object (or absent). */
export function checkOptionsObject(value: unknown): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null))
    throw typeError('options', 'an object', value);
}

/** The native subset of the pass options, type-checked. */
export function nativeOptions(options: PassOptions | undefined): NativeOptions | undefined {
  checkOptionsObject(options);
  if (options === undefined) return undefined;
  const result: NativeOptions = {};
  if (options.threads !== undefined) {
    checkNumber('options.threads', options.threads);
    result.threads = options.threads;
  }
  if (options.simd !== undefined) {
    checkString('options.simd', options.simd);
    result.simd = options.simd;
  }
  if (options.validate !== undefined) {
    checkOptionalBoolean('options.validate', options.validate);
    result.validate = options.validate;
  }
  if (options.bf16 !== undefined) {
    const copy: unknown = options.bf16;
    if (typeof copy !== 'object' || copy === null) throw typeError('options.bf16', 'an object as bf16Rows returns it', copy);
    const { pairs, errNorms, sqnorms } = copy as Record<string, unknown>;
    checkTypedArray('options.bf16.pairs', pairs, 'Uint32Array');
    checkTypedArray('options.bf16.errNorms', errNorms, 'Float32Array');
    checkTypedArray('options.bf16.sqnorms', sqnorms, 'Float32Array');
    result.bf16 = { pairs: pairs as Uint32Array, errNorms: errNorms as Float32Array, sqnorms: sqnorms as Float32Array };
  }
  return result;
}

/** Type-checks the async-only options. */
export function checkAsyncOptions(options: AsyncPassOptions | undefined): void {
  checkOptionsObject(options);
  if (options === undefined) return;
  const { signal, onProgress, progressIntervalMs } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw typeError('options.signal', 'an AbortSignal', signal);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw typeError('options.onProgress', 'a function', onProgress);
  }
  if (progressIntervalMs !== undefined) {
    checkNumber('options.progressIntervalMs', progressIntervalMs);
    if (!(progressIntervalMs > 0)) {
      throw new ClosteraError(ErrorCode.InvalidArgument, 'options.progressIntervalMs must be positive', {
        expected: '> 0',
        actual: progressIntervalMs,
      });
    }
  }
}

/** Rows of an `n x d` matrix of `length` elements, for progress reports (0 when `d` is not usable). */
export function rowCount(length: number, d: number): number {
  return Number.isInteger(d) && d > 0 ? Math.floor(length / d) : 0;
}

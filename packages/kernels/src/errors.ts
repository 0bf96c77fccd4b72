/**
 * Clostera's error type and the stable list of error codes.
 *
 * The codes mirror `ErrorCode::ALL` of the Rust crate `clostera-kernels` (a test checks the two
 * lists are equal, in order). Native errors arrive as plain `Error`s with a `code` property and
 * are rewrapped as {@link ClosteraError} by {@link toClosteraError}.
 *
 * @module
 */

/**
 * Every error code Clostera reports. The string values are stable once released; match on
 * `error.code` rather than on messages.
 */
export const ErrorCode = {
  /** An argument has a value outside its allowed range (k = 0, L > k, a label >= k, ...). */
  InvalidArgument: 'CLOSTERA_INVALID_ARGUMENT',
  /** An argument has the wrong type (for example a Float64Array where a Float32Array is expected). */
  InvalidType: 'CLOSTERA_INVALID_TYPE',
  /** Array lengths or dimensions disagree (data length not a multiple of d, centroids of another d, ...). */
  DimensionMismatch: 'CLOSTERA_DIMENSION_MISMATCH',
  /** A value is NaN or infinite; the offending row is reported. */
  NonFinite: 'CLOSTERA_NON_FINITE',
  /** A row has zero norm where the cosine metric needs a direction; the offending row is reported. */
  ZeroNorm: 'CLOSTERA_ZERO_NORM',
  /** The requested SIMD level is not available on this CPU or build. */
  UnsupportedSimd: 'CLOSTERA_UNSUPPORTED_SIMD',
  /** The work was cancelled through its AbortSignal. */
  Cancelled: 'CLOSTERA_CANCELLED',
  /** A bug inside Clostera (including a caught Rust panic, or a missing native binary); the process keeps running. */
  Internal: 'CLOSTERA_INTERNAL',
  /** A file system operation failed. */
  Io: 'CLOSTERA_IO',
  /** Input bytes are malformed: truncated, wrong magic, a header that disagrees with the file, ragged or null vectors. */
  Format: 'CLOSTERA_FORMAT',
  /** The input is valid but uses a feature Clostera does not support (Fortran order, an unsupported dtype or codec). */
  Unsupported: 'CLOSTERA_UNSUPPORTED',
  /** The work would exceed the memory budget it was given (or an allocation failed). */
  OutOfMemory: 'CLOSTERA_OUT_OF_MEMORY',
} as const;

/** One of the {@link ErrorCode} strings, e.g. `'CLOSTERA_NON_FINITE'`. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Optional details attached to a {@link ClosteraError}. */
export interface ClosteraErrorDetails {
  /** Zero-based row the problem was found in, when it is tied to a row. */
  row?: number;
  /** What was expected (a type name, a range, a size...). */
  expected?: unknown;
  /** What was found instead. */
  actual?: unknown;
  /** The underlying error, when this one translates another. */
  cause?: unknown;
}

/** An error with a stable {@link ErrorCode} and, when known, the offending row and the expected/actual values. */
export class ClosteraError extends Error {
  /** The stable code; match on this rather than on the message. */
  readonly code: ErrorCode;
  /** Zero-based row the problem was found in, when it is tied to a row. */
  readonly row: number | undefined;
  /** What was expected, when reported. */
  readonly expected: unknown;
  /** What was found instead, when reported. */
  readonly actual: unknown;

  /**
   * @param code - the stable error code.
   * @param message - a human-readable explanation.
   * @param details - row, expected / actual values and the underlying cause, when known.
   */
  constructor(code: ErrorCode, message: string, details: ClosteraErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ClosteraError';
    this.code = code;
    this.row = details.row;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

const knownCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** True when `value` is one of the {@link ErrorCode} strings. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/**
 * Converts anything thrown by the native binding into a {@link ClosteraError}.
 *
 * Native errors carry `code`, `row`, `expected` and `actual` properties and are rewrapped with
 * the same values (the original becomes `cause`). A `ClosteraError` is returned unchanged;
 * anything else (which would be a bug) becomes `CLOSTERA_INTERNAL` with the original as `cause`.
 */
export function toClosteraError(error: unknown): ClosteraError {
  if (error instanceof ClosteraError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const message = error instanceof Error ? error.message : String(error);
  if (isErrorCode(fields['code'])) {
    const row = typeof fields['row'] === 'number' ? fields['row'] : undefined;
    return new ClosteraError(fields['code'], message, {
      ...(row === undefined ? {} : { row }),
      ...('expected' in fields ? { expected: fields['expected'] } : {}),
      ...('actual' in fields ? { actual: fields['actual'] } : {}),
      cause: error,
    });
  }
  return new ClosteraError(ErrorCode.Internal, `unexpected native failure: ${message}`, { cause: error });
}

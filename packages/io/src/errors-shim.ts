/**
 * Temporary stand-in for `ClosteraError` / `ErrorCode` from `@clostera/kernels`
 * while that package is being written. Shape-compatible: `code`, `row`, `expected`, `actual`.
 * @internal
 */
export const ErrorCode = {
  InvalidArgument: 'CLOSTERA_INVALID_ARGUMENT',
  InvalidType: 'CLOSTERA_INVALID_TYPE',
  DimensionMismatch: 'CLOSTERA_DIMENSION_MISMATCH',
  NonFinite: 'CLOSTERA_NON_FINITE',
  ZeroNorm: 'CLOSTERA_ZERO_NORM',
  UnsupportedSimd: 'CLOSTERA_UNSUPPORTED_SIMD',
  Cancelled: 'CLOSTERA_CANCELLED',
  Internal: 'CLOSTERA_INTERNAL',
  Io: 'CLOSTERA_IO',
  Format: 'CLOSTERA_FORMAT',
  Unsupported: 'CLOSTERA_UNSUPPORTED',
  OutOfMemory: 'CLOSTERA_OUT_OF_MEMORY',
} as const;

/** @internal */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** @internal */
export class ClosteraError extends Error {
  readonly code: ErrorCode;
  readonly row: number | undefined;
  readonly expected: unknown;
  readonly actual: unknown;
  constructor(
    code: ErrorCode,
    message: string,
    details: { row?: number; expected?: unknown; actual?: unknown; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ClosteraError';
    this.code = code;
    this.row = details.row;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

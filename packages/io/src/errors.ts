/**
 * The one place `@clostera/io` builds errors, so the error class can come from a single import
 * (`@clostera/kernels` owns `ClosteraError` and the canonical code list).
 */
import { ClosteraError, ErrorCode } from '@clostera/kernels';

export { ClosteraError, ErrorCode };

/** Details attached to an I/O error: the offending row and what was expected versus found. */
export interface ErrorDetails {
  /** Zero-based row the problem was found in, when it is tied to a row. */
  row?: number;
  /** What the reader expected (a size, a magic string, a dtype...). */
  expected?: unknown;
  /** What the reader found instead. */
  actual?: unknown;
  /** The underlying error, when one was translated. */
  cause?: unknown;
}

/** Build a coded error. Every throw site in this package goes through here. */
export function ioError(code: ErrorCode, message: string, details: ErrorDetails = {}): ClosteraError {
  return new ClosteraError(code, message, details);
}

/** Malformed, truncated, wrong magic, lying header, ragged rows, nulls inside vectors. */
export function formatError(message: string, details: ErrorDetails = {}): ClosteraError {
  return ioError(ErrorCode.Format, message, details);
}

/** Valid input this package does not handle (Fortran order, a dtype or codec without a decoder). */
export function unsupportedError(message: string, details: ErrorDetails = {}): ClosteraError {
  return ioError(ErrorCode.Unsupported, message, details);
}

/** Bad caller argument (wrong option, index out of range, budget too small for one row). */
export function argumentError(message: string, details: ErrorDetails = {}): ClosteraError {
  return ioError(ErrorCode.InvalidArgument, message, details);
}

/** True when `err` already carries a Clostera code (then it is passed through unchanged). */
export function isCoded(err: unknown): err is ClosteraError {
  if (!(err instanceof Error)) return false;
  const code: unknown = (err as unknown as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('CLOSTERA_');
}

/**
 * Translate an error thrown by the file system or a third-party decoder into a coded one.
 * Node `fs` errors (they carry an errno `code` such as ENOENT) become `CLOSTERA_IO`; anything
 * else thrown while decoding (hyparquet, apache-arrow, RangeError from a bogus length) is a
 * malformed input and becomes `fallback`.
 */
export function toCoded(err: unknown, context: string, fallback: ErrorCode = ErrorCode.Format): ClosteraError {
  if (isCoded(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const sysCode = (err as { code?: unknown } | null)?.code;
  const syscall = (err as { syscall?: unknown } | null)?.syscall;
  if (typeof sysCode === 'string' && /^E[A-Z]+$/.test(sysCode) && typeof syscall === 'string') {
    return ioError(ErrorCode.Io, `${context}: ${message}`, { actual: sysCode, cause: err });
  }
  if (err instanceof RangeError && /allocat|Array buffer|memory/i.test(message)) {
    return ioError(ErrorCode.OutOfMemory, `${context}: ${message}`, { cause: err });
  }
  return ioError(fallback, `${context}: ${message}`, { cause: err });
}

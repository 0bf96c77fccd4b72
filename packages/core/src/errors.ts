/**
 * Error helpers: every failure of this package is a `ClosteraError` with a stable code. The
 * selector throws its own error class with the same code strings (it cannot import the native
 * package); {@link asClosteraError} rewraps those and anything else unexpected.
 *
 * @module
 */
import { ClosteraError, ErrorCode, toClosteraError } from '@clostera/kernels';

/** A `CLOSTERA_INVALID_ARGUMENT` error. */
export function invalidArgument(message: string, expected?: unknown, actual?: unknown): ClosteraError {
  return new ClosteraError(ErrorCode.InvalidArgument, message, { expected, actual });
}

/** The `CLOSTERA_CANCELLED` error every cancelled step of this package throws. */
export function cancelled(what: string): ClosteraError {
  return new ClosteraError(ErrorCode.Cancelled, `${what} was cancelled`);
}

/** Throws {@link cancelled} when `signal` has fired (checked between chunks of work). */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelled(what);
}

/**
 * Any thrown value as a `ClosteraError`: coded errors keep their code (including the selector's
 * and `@clostera/io`'s), a `RangeError` from an allocation becomes `CLOSTERA_OUT_OF_MEMORY`, and
 * anything else is `CLOSTERA_INTERNAL`.
 */
export function asClosteraError(error: unknown): ClosteraError {
  if (error instanceof RangeError && /allocat|array length|buffer/i.test(error.message)) {
    return new ClosteraError(ErrorCode.OutOfMemory, `allocation failed: ${error.message}`, { cause: error });
  }
  return toClosteraError(error);
}

/**
 * Errors of the benchmark package: the project-wide {@link ClosteraError} with the stable codes of
 * `@clostera/kernels`, plus small constructors so call sites stay one line.
 *
 * @module
 */
import { ClosteraError, ErrorCode } from '@clostera/kernels';
import type { ClosteraErrorDetails } from '@clostera/kernels';

export { ClosteraError, ErrorCode };

/** A `CLOSTERA_INVALID_ARGUMENT` error: a value outside its allowed range or an unknown name. */
export function invalidArgument(message: string, details: ClosteraErrorDetails = {}): ClosteraError {
  return new ClosteraError(ErrorCode.InvalidArgument, message, details);
}

/** A `CLOSTERA_FORMAT` error: input bytes that do not follow their declared format. */
export function formatError(message: string, details: ClosteraErrorDetails = {}): ClosteraError {
  return new ClosteraError(ErrorCode.Format, message, details);
}

/** A `CLOSTERA_IO` error: a file or process operation failed. */
export function ioError(message: string, details: ClosteraErrorDetails = {}): ClosteraError {
  return new ClosteraError(ErrorCode.Io, message, details);
}

/** A `CLOSTERA_DIMENSION_MISMATCH` error: array lengths or dimensions disagree. */
export function dimensionMismatch(message: string, details: ClosteraErrorDetails = {}): ClosteraError {
  return new ClosteraError(ErrorCode.DimensionMismatch, message, details);
}

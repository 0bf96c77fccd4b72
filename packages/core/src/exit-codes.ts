/**
 * Exit codes of the `clostera` command, and the mapping from error codes to them.
 *
 * @module
 */
import { ErrorCode, type ClosteraError } from '@clostera/kernels';

/**
 * Exit codes of the `clostera` command (stable):
 *
 * - `0` success;
 * - `1` internal error (a bug: `CLOSTERA_INTERNAL` or anything uncoded);
 * - `2` usage or bad input: unknown option or command, bad value, a file that is not valid
 *   vectors (`CLOSTERA_INVALID_ARGUMENT`, `_INVALID_TYPE`, `_DIMENSION_MISMATCH`, `_NON_FINITE`,
 *   `_ZERO_NORM`, `_FORMAT`, `_UNSUPPORTED`);
 * - `3` environment: a file cannot be read or written, the memory budget is too small, the SIMD
 *   level asked for is missing, an optional package is absent (`CLOSTERA_IO`,
 *   `_OUT_OF_MEMORY`, `_UNSUPPORTED_SIMD`);
 * - `130` cancelled by Ctrl-C (SIGINT), `143` by SIGTERM: nothing was written.
 */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** A bug inside Clostera. */
  internal: 1,
  /** Bad command line or bad input data. */
  usage: 2,
  /** File system, memory budget or missing capability. */
  environment: 3,
  /** Cancelled by SIGINT (128 + 2). */
  interrupted: 130,
  /** Cancelled by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** One of the {@link EXIT_CODES} values. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const USAGE: ReadonlySet<string> = new Set([
  ErrorCode.InvalidArgument,
  ErrorCode.InvalidType,
  ErrorCode.DimensionMismatch,
  ErrorCode.NonFinite,
  ErrorCode.ZeroNorm,
  ErrorCode.Format,
  ErrorCode.Unsupported,
]);
const ENVIRONMENT: ReadonlySet<string> = new Set([ErrorCode.Io, ErrorCode.OutOfMemory, ErrorCode.UnsupportedSimd]);

/** The exit code for an error; `CLOSTERA_CANCELLED` maps to `interrupted` (the CLI uses `terminated` itself for SIGTERM). */
export function exitCodeFor(error: Pick<ClosteraError, 'code'>): ExitCode {
  if (error.code === ErrorCode.Cancelled) return EXIT_CODES.interrupted;
  if (USAGE.has(error.code)) return EXIT_CODES.usage;
  if (ENVIRONMENT.has(error.code)) return EXIT_CODES.environment;
  return EXIT_CODES.internal;
}

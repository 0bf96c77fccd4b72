/**
 * The selector's error. It carries the same stable `code` strings as `ClosteraError` from
 * `@clostera/kernels` (which this package cannot import: that package loads native code), so
 * callers match on `error.code` alike, and `toClosteraError` rewraps it unchanged in meaning.
 *
 * @module
 */

/** The codes the selector reports (a subset of `@clostera/kernels`' `ErrorCode`). */
export type SelectorErrorCode = 'CLOSTERA_INVALID_ARGUMENT' | 'CLOSTERA_FORMAT';

/** An error with a stable `CLOSTERA_*` code, as thrown by every Clostera package. */
export class SelectorError extends Error {
  /** The stable code; match on this rather than on the message. */
  readonly code: SelectorErrorCode;
  /** What was expected, when reported. */
  readonly expected: unknown;
  /** What was found instead, when reported. */
  readonly actual: unknown;

  /**
   * @param code - the stable error code.
   * @param message - a human-readable explanation.
   * @param expected - what was expected.
   * @param actual - what was found.
   */
  constructor(code: SelectorErrorCode, message: string, expected?: unknown, actual?: unknown) {
    super(message);
    this.name = 'ClosteraError';
    this.code = code;
    this.expected = expected;
    this.actual = actual;
  }
}

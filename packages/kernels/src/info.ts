/**
 * What this build and machine offer, and the native error-code list.
 *
 * @module
 */
import { toClosteraError } from './errors.js';
import { native } from './native.js';
import type { ErrorCodeInfo, SimdInfo } from './types.js';

/**
 * The SIMD level passes use by default, every level available, and the default thread count
 * (`CLOSTERA_SIMD` and `CLOSTERA_NUM_THREADS` are honoured).
 *
 * @throws {@link ClosteraError} when an environment override is malformed or unsupported.
 */
export function simdInfo(): SimdInfo {
  try {
    return native().simdInfo() as SimdInfo;
  } catch (error) {
    throw toClosteraError(error);
  }
}

/** Every error code of the native core with a one-sentence description, in a fixed order. */
export function errorCodes(): ErrorCodeInfo[] {
  try {
    return native().errorCodes();
  } catch (error) {
    throw toClosteraError(error);
  }
}

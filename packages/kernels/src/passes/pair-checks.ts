/**
 * Argument checks shared by the passes that compare rows with centroids.
 *
 * @module
 * @internal
 */
import { checkNumber, checkString, checkTypedArray } from '../validate.js';

/** Type-checks `(x, c, d, metric)`; values are checked natively. */
export function checkPairArgs(x: unknown, c: unknown, d: unknown, metric: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkTypedArray('centroids', c, 'Float32Array');
  checkNumber('d', d);
  checkString('metric', metric);
}

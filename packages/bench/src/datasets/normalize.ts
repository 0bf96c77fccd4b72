/**
 * Row normalisation for cosine runs: every contender receives the same unit-norm rows, so the
 * peers without a native cosine mode (scikit-learn, ml-kmeans) cluster the same data as the
 * spherical ones.
 *
 * @module
 */
import { ClosteraError, ErrorCode } from '../errors.js';

/**
 * A copy of the row-major `n x d` matrix `x` with every row scaled to unit Euclidean norm
 * (accumulated in float64).
 *
 * @throws {@link ClosteraError} `CLOSTERA_ZERO_NORM` with the row when a row is all zeros.
 */
export function normalizeRows(x: Float32Array, d: number): Float32Array {
  const out = new Float32Array(x.length);
  const n = x.length / d;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[o + j]! * x[o + j]!;
    if (!(s > 0)) throw new ClosteraError(ErrorCode.ZeroNorm, `row ${i} has zero norm; it has no direction under cos`, { row: i });
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) out[o + j] = x[o + j]! * inv;
  }
  return out;
}

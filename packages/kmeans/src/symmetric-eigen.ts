/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: simple, accurate
 * and plenty fast for the few-dozen-square matrices the engines need (a Rayleigh-Ritz step).
 *
 * @module
 * @internal
 */

/** Eigenvalues (descending) and the matching unit eigenvectors, as rows of an `m x m` matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  /** `vectors[r * m + c]`: component `c` of eigenvector `r`. */
  vectors: Float64Array;
}

/** Eigen-decomposes the symmetric `m x m` matrix `a` (row-major; not modified). */
export function symmetricEigen(a: Float64Array, m: number): SymmetricEigen {
  const s = Float64Array.from(a);
  // v holds the accumulated rotations; its columns become the eigenvectors.
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) {
        const e = s[p * m + q]! * s[p * m + q]!;
        total += e;
        if (p !== q) off += e;
      }
    }
    if (off <= 1e-24 * total || off === 0) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = s[p * m + q]!;
        if (apq === 0) continue;
        const theta = (s[q * m + q]! - s[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const skp = s[k * m + p]!;
          const skq = s[k * m + q]!;
          s[k * m + p] = c * skp - sn * skq;
          s[k * m + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < m; k++) {
          const spk = s[p * m + k]!;
          const sqk = s[q * m + k]!;
          s[p * m + k] = c * spk - sn * sqk;
          s[q * m + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => s[y * m + y]! - s[x * m + x]! || x - y);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((col, r) => {
    values[r] = s[col * m + col]!;
    for (let k = 0; k < m; k++) vectors[r * m + k] = v[k * m + col]!;
  });
  return { values, vectors };
}

/**
 * Plain float64 reference implementations of the passes, written for clarity, not speed. The
 * native results must match them within float32 tolerances.
 */
import type { Metric } from '../../src/index.js';

/** Row `i` of a row-major matrix. */
export function row(m: Float32Array, d: number, i: number): Float32Array {
  return m.subarray(i * d, (i + 1) * d);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] as number) * (b[j] as number);
  return s;
}

/** Euclidean norm in float64. */
export function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

/** The value the passes report for a row/centroid pair. */
export function metricValue(metric: Metric, a: Float32Array, b: Float32Array): number {
  switch (metric) {
    case 'l2': {
      let s = 0;
      for (let j = 0; j < a.length; j++) s += ((a[j] as number) - (b[j] as number)) ** 2;
      return s;
    }
    case 'ip':
      return dot(a, b);
    case 'cos':
      return dot(a, b) / (norm(a) * norm(b));
  }
}

/** True when `a` is nearer than `b` under `metric` (strictly). */
export function nearer(metric: Metric, a: number, b: number): boolean {
  return metric === 'l2' ? a < b : a > b;
}

/** Reference row norms. */
export function refRowNorms(x: Float32Array, d: number, squared: boolean): Float64Array {
  const n = x.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = row(x, d, i);
    out[i] = squared ? dot(r, r) : norm(r);
  }
  return out;
}

/** Reference `n x k` tile. */
export function refTile(x: Float32Array, c: Float32Array, d: number, metric: Metric): Float64Array {
  const n = x.length / d;
  const k = c.length / d;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) out[i * k + j] = metricValue(metric, row(x, d, i), row(c, d, j));
  }
  return out;
}

/** Reference ranking of the centroids of each row: nearest first, ties to the lowest index. */
export function refRanking(tile: Float64Array, n: number, k: number, metric: Metric): Uint32Array[] {
  const lists: Uint32Array[] = [];
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: k }, (_, j) => j);
    const values = tile.subarray(i * k, (i + 1) * k);
    order.sort((a, b) => {
      const va = values[a] as number;
      const vb = values[b] as number;
      if (va === vb) return a - b;
      return nearer(metric, va, vb) ? -1 : 1;
    });
    lists.push(Uint32Array.from(order));
  }
  return lists;
}

/** Reference per-cluster sums. */
export function refAccumulate(
  x: Float32Array,
  d: number,
  labels: Uint32Array,
  k: number,
  weights?: Float32Array
): { sums: Float64Array; weightSums: Float64Array; counts: Uint32Array } {
  const sums = new Float64Array(k * d);
  const weightSums = new Float64Array(k);
  const counts = new Uint32Array(k);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    const w = weights === undefined ? 1 : (weights[i] as number);
    for (let j = 0; j < d; j++) sums[c * d + j] = (sums[c * d + j] as number) + w * (x[i * d + j] as number);
    weightSums[c] = (weightSums[c] as number) + w;
    counts[c] = (counts[c] as number) + 1;
  }
  return { sums, weightSums, counts };
}

/** k-means++ distance: squared Euclidean for l2, `1 - cos` (floored at 0) for cos. */
export function seedingDistance(metric: Metric, a: Float32Array, b: Float32Array): number {
  return metric === 'l2' ? metricValue('l2', a, b) : Math.max(0, 1 - metricValue('cos', a, b));
}

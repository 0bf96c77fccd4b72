/**
 * The contract every synthetic family implements, and helpers the families share.
 *
 * A family turns `(d, k)` and a parameter stream of random numbers into a {@link RowModel}; the
 * model then draws rows one at a time from a separate row stream. Keeping parameters and rows on
 * different streams makes the model independent of `n` and of how rows are chunked, so a shard
 * written in pieces is byte-identical to one generated in a single call.
 *
 * @module
 */
import type { Rng } from '../random/rng.js';

/** Draws rows of one synthetic dataset. */
export interface RowModel {
  /** Components per row. */
  readonly d: number;
  /** Number of ground-truth classes; every label is in `[0, k)`. */
  readonly k: number;
  /**
   * Probability of each label (length `k`, sums to 1): what the label counts of a large sample
   * converge to. Tests compare observed counts with it.
   */
  readonly labelProbabilities: Float64Array;
  /** Writes one row into `out[offset .. offset + d)` and returns its ground-truth label. */
  sample(rng: Rng, out: Float32Array, offset: number): number;
}

/** A named family of synthetic datasets with ground-truth labels. */
export interface Family {
  /** Name used in dataset specs, e.g. `gaussian` in `gaussian:n=10000,d=32,k=16`. */
  readonly name: string;
  /** One sentence on what makes the family hard for k-means. */
  readonly summary: string;
  /** Dimension used when a spec does not give one. */
  readonly defaultD: number;
  /** Smallest dimension the construction supports. */
  readonly minD: number;
  /** The metric under which the ground truth is recoverable (`cos` only for direction-coded data). */
  readonly naturalMetric: 'l2' | 'cos';
  /** Builds the model; all random parameters come from `rng`. */
  build(d: number, k: number, rng: Rng): RowModel;
}

/** Uniform label probabilities. */
export function uniformProbabilities(k: number): Float64Array {
  return new Float64Array(k).fill(1 / k);
}

/** Cumulative sums of `p` (last entry forced to 1 so a draw can never fall off the end). */
export function cumulative(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let j = 0; j < p.length; j++) {
    s += p[j]!;
    cdf[j] = s;
  }
  cdf[p.length - 1] = 1;
  return cdf;
}

/** Draws a label from a cumulative distribution by binary search (O(log k) per row). */
export function drawLabel(rng: Rng, cdf: Float64Array): number {
  const u = rng.uniform();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `k` centres in `d` dimensions drawn from N(0, sep^2 / (2d) I): two centres are then about
 * `sep` apart (the distance concentrates around that in high dimension), measured in units of the
 * unit noise that most families add.
 */
export function gaussianCentres(rng: Rng, k: number, d: number, sep: number): Float64Array {
  const c = new Float64Array(k * d);
  const scale = sep / Math.sqrt(2 * d);
  for (let i = 0; i < c.length; i++) c[i] = rng.normal() * scale;
  return c;
}

/** A model whose label is drawn from `probabilities` and whose row is `centre + noise(label)`. */
export function mixtureModel(
  d: number,
  k: number,
  centres: Float64Array,
  probabilities: Float64Array,
  noise: (rng: Rng, label: number, out: Float32Array, offset: number, centre: Float64Array, centreOffset: number) => void,
): RowModel {
  const cdf = cumulative(probabilities);
  const uniform = probabilities.every((p) => p === probabilities[0]);
  return {
    d,
    k,
    labelProbabilities: probabilities,
    sample(rng, out, offset) {
      // Uniform labels use one integer draw rather than a search: same distribution, fewer calls.
      const label = uniform ? rng.int(k) : drawLabel(rng, cdf);
      noise(rng, label, out, offset, centres, label * d);
      return label;
    },
  };
}

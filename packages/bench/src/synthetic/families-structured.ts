/**
 * Structured families that break k-means' assumptions in other ways: hubs in high dimension, a
 * curved manifold, irrelevant dimensions and direction/magnitude confounding.
 *
 * @module
 */
import { gaussianCentres, mixtureModel, uniformProbabilities, type Family, type RowModel } from './family.js';

/**
 * Hub-inducing clusters: in high dimension (default 256) the centres lie at very different
 * distances from the data mean (radius uniform in [0, 4] noise-units) and the spreads differ 4x.
 * Low-norm centres are close to every row (hubs); k-means tends to grow them into giant clusters
 * and to starve the outer ones.
 */
export const hubs: Family = {
  name: 'hubs',
  summary: 'high-dimensional clusters at varied radii and spreads: near-mean centroids become hubs',
  defaultD: 256,
  minD: 2,
  naturalMetric: 'l2',
  build(d, k, rng) {
    const centres = new Float64Array(k * d);
    const spread = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      rng.unitVector(centres, j * d, d);
      const radius = 4 * rng.uniform();
      for (let i = 0; i < d; i++) centres[j * d + i] = centres[j * d + i]! * radius;
      spread[j] = 0.5 + 1.5 * rng.uniform();
    }
    return mixtureModel(d, k, centres, uniformProbabilities(k), (r, label, out, off, c, co) => {
      const s = spread[label]!;
      for (let i = 0; i < d; i++) out[off + i] = c[co + i]! + s * r.normal();
    });
  },
};

/**
 * A swiss roll lifted to `d` dimensions: the 3-D roll (t cos t, h, t sin t) with t in
 * [1.5 pi, 4.5 pi] and h in [0, 21] is mapped through a random d x 3 matrix and gets small
 * isotropic noise. The label is the position along the roll (k equal-width bins of t), so the
 * truth follows the curved surface, which convex Voronoi cells can only approximate.
 */
export const swissRoll: Family = {
  name: 'swiss-roll',
  summary: 'a swiss roll lifted to d dimensions, labelled by k segments along the roll',
  defaultD: 16,
  minD: 3,
  naturalMetric: 'l2',
  build(d, k, rng): RowModel {
    const lift = new Float64Array(d * 3);
    for (let i = 0; i < lift.length; i++) lift[i] = rng.normal() / Math.sqrt(3);
    const tMin = 1.5 * Math.PI;
    const tSpan = 3 * Math.PI;
    return {
      d,
      k,
      labelProbabilities: uniformProbabilities(k),
      sample(r, out, off) {
        const u = r.uniform();
        const t = tMin + tSpan * u;
        const p0 = t * Math.cos(t);
        const p1 = 21 * r.uniform();
        const p2 = t * Math.sin(t);
        for (let i = 0; i < d; i++) {
          out[off + i] = lift[i * 3]! * p0 + lift[i * 3 + 1]! * p1 + lift[i * 3 + 2]! * p2 + 0.05 * r.normal();
        }
        return Math.min(k - 1, Math.floor(u * k));
      },
    };
  },
};

/** Share of the dimensions that carry the cluster structure in the irrelevant-dimensions family. */
const INFORMATIVE_SHARE = 1 / 8;

/**
 * Irrelevant dimensions: well-separated blobs (8 noise-units apart) in the first ceil(d / 8)
 * coordinates and pure noise of standard deviation 1.5 in the rest, so most of every distance is
 * noise that carries no label information.
 */
export const irrelevant: Family = {
  name: 'irrelevant',
  summary: 'clusters live in d/8 informative coordinates; the other 7/8 are label-free noise',
  defaultD: 64,
  minD: 2,
  naturalMetric: 'l2',
  build(d, k, rng) {
    const informative = Math.max(1, Math.ceil(d * INFORMATIVE_SHARE));
    const inner = gaussianCentres(rng, k, informative, 8);
    const centres = new Float64Array(k * d);
    for (let j = 0; j < k; j++) centres.set(inner.subarray(j * informative, (j + 1) * informative), j * d);
    return mixtureModel(d, k, centres, uniformProbabilities(k), (r, _l, out, off, c, co) => {
      for (let i = 0; i < informative; i++) out[off + i] = c[co + i]! + r.normal();
      for (let i = informative; i < d; i++) out[off + i] = 1.5 * r.normal();
    });
  },
};

/**
 * Direction/magnitude confounding: the label is a direction (random unit vector plus angular
 * noise) and every row is scaled by an independent log-normal magnitude spanning about a decade.
 * Under l2 the magnitude dominates and clusters form by length; under cosine the truth is clear.
 */
export const dirMag: Family = {
  name: 'dir-mag',
  summary: 'labels are directions, magnitudes are log-normal nuisance: l2 clusters by length, cos by label',
  defaultD: 32,
  minD: 2,
  naturalMetric: 'cos',
  build(d, k, rng) {
    const directions = new Float64Array(k * d);
    for (let j = 0; j < k; j++) rng.unitVector(directions, j * d, d);
    // Angular noise: each coordinate N(0, 0.35^2 / d), so the noise vector has norm about 0.35.
    const angular = 0.35 / Math.sqrt(d);
    const v = new Float64Array(d);
    return mixtureModel(d, k, directions, uniformProbabilities(k), (r, _l, out, off, c, co) => {
      let norm = 0;
      for (let i = 0; i < d; i++) {
        const x = c[co + i]! + angular * r.normal();
        v[i] = x;
        norm += x * x;
      }
      const magnitude = Math.exp(0.75 * r.normal()) / Math.sqrt(norm || 1);
      for (let i = 0; i < d; i++) out[off + i] = v[i]! * magnitude;
    });
  },
};


/**
 * Native passes against the float64 reference on small seeded data. (Exhaustive kernel checks
 * against brute force live in the Rust crate; these pin the binding's plumbing and semantics.)
 */
import { describe, expect, it } from 'vitest';

import {
  accumulate,
  assign,
  assignSums,
  assignTop2Sums,
  distanceTile,
  gatherRows,
  gatherRowsAsync,
  kmeansppPotential,
  kmeansppUpdate,
  normalizeRows,
  rowNorms,
  topL,
  type Metric,
} from '../src/index.js';
import { expectClose } from './helpers/assertions.js';
import { randomLabels, randomMatrix, randomWeights } from './helpers/random.js';
import {
  metricValue,
  nearer,
  refAccumulate,
  refRanking,
  refRowNorms,
  refTile,
  row,
  seedingDistance,
} from './helpers/reference.js';

const METRICS: Metric[] = ['l2', 'ip', 'cos'];

/** A data set whose centroid `DUPLICATE` is an exact copy of centroid `ORIGINAL`, to test ties. */
const ORIGINAL = 2;
const DUPLICATE = 9;
const SHAPES = [
  { n: 300, d: 17, k: 13, seed: 1 },
  { n: 1000, d: 64, k: 40, seed: 2 },
];

function dataset({ n, d, k, seed }: (typeof SHAPES)[number]) {
  const x = randomMatrix(n, d, seed);
  const c = randomMatrix(k, d, seed + 100);
  c.copyWithin(DUPLICATE * d, ORIGINAL * d, (ORIGINAL + 1) * d);
  return { x, c, n, d, k };
}

/** Float32 tolerance of one metric value between row `a` and centroid `b`. */
function tolerance(metric: Metric, a: Float32Array, b: Float32Array): number {
  if (metric === 'cos') return 1e-5;
  return 1e-5 * (metricValue('ip', a, a) + metricValue('ip', b, b)) + 1e-6;
}

describe.each(SHAPES)('passes match the float64 reference (n=$n, d=$d, k=$k)', (shape) => {
  const { x, c, n, d, k } = dataset(shape);

  it('rowNorms', () => {
    for (const squared of [false, true]) {
      const expected = refRowNorms(x, d, squared);
      expectClose(rowNorms(x, d, { squared }), expected, (i) => 1e-5 * (expected[i] as number) + 1e-7, 'norm');
    }
  });

  it('normalizeRows: unit rows and their norms', () => {
    const { rows, norms } = normalizeRows(x, d);
    const expected = refRowNorms(x, d, false);
    expectClose(norms, expected, (i) => 1e-6 * (expected[i] as number), 'norm');
    const unit = new Float64Array(n * d).map((_, j) => (x[j] as number) / (expected[Math.floor(j / d)] as number));
    expectClose(rows, unit, () => 1e-6, 'unit row value');
    expectClose(refRowNorms(rows, d, false), new Float64Array(n).fill(1), () => 1e-6, 'unit length');
  });

  it.each(METRICS)('distanceTile (%s)', (metric) => {
    const tile = distanceTile(x, c, d, metric);
    expect(tile.length).toBe(n * k);
    expectClose(tile, refTile(x, c, d, metric), (i) =>
      tolerance(metric, row(x, d, Math.floor(i / k)), row(c, d, i % k))
    );
  });

  it.each(METRICS)('assign (%s): nearest centroid, ties to the lowest index', (metric) => {
    const { labels, values } = assign(x, c, d, metric);
    const tile = refTile(x, c, d, metric);
    for (let i = 0; i < n; i++) {
      const label = labels[i] as number;
      const best = refRanking(tile.subarray(i * k, (i + 1) * k), 1, k, metric)[0]?.[0] as number;
      const tol = tolerance(metric, row(x, d, i), row(c, d, label));
      // Either the reference winner, or a centroid tied with it within float32 rounding.
      expect(Math.abs((tile[i * k + label] as number) - (tile[i * k + best] as number))).toBeLessThanOrEqual(tol);
      expect(label).not.toBe(DUPLICATE);
      expect(Math.abs((values[i] as number) - (tile[i * k + label] as number))).toBeLessThanOrEqual(tol);
    }
  });

  it.each(METRICS)('topL (%s): nearest first, ties to the lowest index', (metric) => {
    const l = 5;
    const { labels, values } = topL(x, c, d, metric, l);
    expect(labels.length).toBe(n * l);
    const tile = refTile(x, c, d, metric);
    const ranking = refRanking(tile, n, k, metric);
    const assigned = assign(x, c, d, metric).labels;
    for (let i = 0; i < n; i++) {
      const list = Array.from(labels.subarray(i * l, (i + 1) * l));
      expect(new Set(list).size).toBe(l);
      expect(list[0]).toBe(assigned[i]);
      const duplicateAt = list.indexOf(DUPLICATE);
      if (duplicateAt >= 0) expect(list.indexOf(ORIGINAL)).toBeGreaterThanOrEqual(0);
      if (duplicateAt >= 0) expect(list.indexOf(ORIGINAL)).toBeLessThan(duplicateAt);
      for (let j = 0; j < l; j++) {
        const label = list[j] as number;
        const tol = tolerance(metric, row(x, d, i), row(c, d, label));
        const refJth = tile[i * k + (ranking[i]?.[j] as number)] as number;
        expect(Math.abs((values[i * l + j] as number) - (tile[i * k + label] as number))).toBeLessThanOrEqual(tol);
        expect(Math.abs((values[i * l + j] as number) - refJth)).toBeLessThanOrEqual(2 * tol);
        if (j > 0) expect(nearer(metric, values[i * l + j] as number, values[i * l + j - 1] as number)).toBe(false);
      }
    }
  });

  it.each([false, true])('accumulate (weighted: %s)', (weighted) => {
    const labels = randomLabels(n, k, shape.seed + 7);
    const weights = weighted ? randomWeights(n, shape.seed + 8) : undefined;
    const result = accumulate(x, d, labels, k, weighted ? { weights } : {});
    const expected = refAccumulate(x, d, labels, k, weights);
    expect(Array.from(result.counts)).toEqual(Array.from(expected.counts));
    expectClose(
      result.weightSums,
      expected.weightSums,
      (j) => 1e-12 * Math.abs(expected.weightSums[j] as number),
      'weightSum'
    );
    expectClose(result.sums, expected.sums, () => 1e-10, 'sum');
  });

  it.each([false, true])('assignSums = assign + accumulate of its labels (weighted: %s)', (weighted) => {
    const weights = weighted ? randomWeights(n, shape.seed + 10) : undefined;
    const fused = assignSums(x, c, d, weighted ? { weights } : {});
    const plain = assign(x, c, d, 'l2');
    expect(Array.from(fused.labels)).toEqual(Array.from(plain.labels));
    expect(Array.from(fused.values)).toEqual(Array.from(plain.values));
    const expected = refAccumulate(x, d, plain.labels, k, weights);
    expect(Array.from(fused.sums.counts)).toEqual(Array.from(expected.counts));
    expectClose(fused.sums.weightSums, expected.weightSums, (j) => 1e-12 * Math.abs(expected.weightSums[j] as number), 'weightSum');
    expectClose(fused.sums.sums, expected.sums, () => 1e-10, 'sum');
  });

  it.each(['l2', 'cos'] as Metric[])('assignTop2Sums (%s): assign, the runner-up value, sums of the (unit) rows', (metric) => {
    const weights = randomWeights(n, shape.seed + 11);
    const r = assignTop2Sums(x, c, d, metric, { weights });
    const plain = assign(x, c, d, metric);
    expect(Array.from(r.labels)).toEqual(Array.from(plain.labels));
    expect(Array.from(r.values)).toEqual(Array.from(plain.values));
    const tile = refTile(x, c, d, metric);
    const ranking = refRanking(tile, n, k, metric);
    expectClose(r.second, Float64Array.from({ length: n }, (_, i) => {
      const runnerUp = Array.from(ranking[i]!).find((j) => j !== r.labels[i])!;
      return tile[i * k + runnerUp]!;
    }), () => 1e-4, 'runner-up');
    // Under cos the sums are of the unit rows.
    const rows = metric === 'cos' ? normalizeRows(x, d).rows : x;
    const expected = refAccumulate(rows, d, plain.labels, k, weights);
    expect(Array.from(r.sums.counts)).toEqual(Array.from(expected.counts));
    expectClose(r.sums.weightSums, expected.weightSums, (j) => 1e-12 * Math.abs(expected.weightSums[j] as number), 'weightSum');
    expectClose(r.sums.sums, expected.sums, () => 1e-5, 'sum');
    expect(() => assignTop2Sums(x, c, d, 'ip')).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
  });

  it.each(['l2', 'cos'] as Metric[])('kmeansppUpdate and kmeansppPotential (%s)', (metric) => {
    const weights = randomWeights(n, shape.seed + 9);
    const minDist = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
    const expectedMin = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    for (const centerIndex of [0, 5, 11]) {
      const center = c.slice(centerIndex * d, (centerIndex + 1) * d);
      const total = kmeansppUpdate(x, d, center, minDist, metric, { weights });
      let expectedTotal = 0;
      for (let i = 0; i < n; i++) {
        expectedMin[i] = Math.min(expectedMin[i] as number, seedingDistance(metric, row(x, d, i), center));
        const tol = tolerance(metric, row(x, d, i), center);
        expect(Math.abs((minDist[i] as number) - (expectedMin[i] as number))).toBeLessThanOrEqual(tol);
        expectedTotal += (weights[i] as number) * (minDist[i] as number);
      }
      expect(Math.abs(total - expectedTotal)).toBeLessThanOrEqual(1e-9 * expectedTotal);
    }
    const candidates = c.slice(0, 6 * d);
    const totals = kmeansppPotential(x, d, candidates, minDist, metric, { weights });
    expect(totals.length).toBe(6);
    for (let j = 0; j < 6; j++) {
      let expected = 0;
      for (let i = 0; i < n; i++) {
        const dist = seedingDistance(metric, row(x, d, i), row(candidates, d, j));
        expected += (weights[i] as number) * Math.min(dist, minDist[i] as number);
      }
      expect(Math.abs((totals[j] as number) - expected)).toBeLessThanOrEqual(1e-5 * expected + 1e-6);
    }
  });
});

describe('gatherRows', () => {
  it('copies the chosen rows, in order, sync and async alike, and names a bad index', async () => {
    const d = 9;
    const x = randomMatrix(700, d, 41);
    const ids = Uint32Array.from({ length: 2500 }, (_, i) => (i * 13 + 5) % 700);
    const rows = gatherRows(x, d, ids);
    expect(rows.length).toBe(ids.length * d);
    for (let i = 0; i < ids.length; i += 97) {
      expect(Array.from(rows.subarray(i * d, (i + 1) * d))).toEqual(Array.from(x.subarray(ids[i]! * d, (ids[i]! + 1) * d)));
    }
    expect(Array.from(await gatherRowsAsync(x, d, ids))).toEqual(Array.from(rows));
    expect(() => gatherRows(x, d, Uint32Array.of(1, 700))).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT', row: 1 }));
    expect(() => gatherRows(x, d, [1, 2] as unknown as Uint32Array)).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_TYPE' }));
  });
});

describe('edge shapes', () => {
  it('zero rows give empty results', () => {
    const c = randomMatrix(3, 4, 5);
    expect(assign(new Float32Array(0), c, 4, 'l2').labels.length).toBe(0);
    expect(rowNorms(new Float32Array(0), 4).length).toBe(0);
    expect(distanceTile(new Float32Array(0), c, 4, 'l2').length).toBe(0);
  });

  it('views into larger buffers (byteOffset) are read at their offset', () => {
    const backing = randomMatrix(20, 4, 6);
    const view = backing.subarray(8, 8 + 10 * 4);
    const c = randomMatrix(3, 4, 7);
    expect(assign(view, c, 4, 'l2')).toEqual(assign(view.slice(), c, 4, 'l2'));
  });
});

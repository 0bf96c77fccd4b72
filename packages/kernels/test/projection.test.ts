/**
 * Projections, the transposed product, and the projected bound of `seedPotential` through the
 * binding: values against float64 references, identical seeding results with and without a
 * projection, and coded errors for inputs that do not fit together.
 */
import { describe, expect, it } from 'vitest';

import {
  ErrorCode,
  projectRows,
  projectRowsAsync,
  seedCommit,
  seedPotential,
  seedPotentialAsync,
  seedUpdate,
  weightedRowSums,
  weightedRowSumsAsync,
  type SeedState,
} from '../src/index.js';
import { expectBitIdentical, expectClose, expectCode } from './helpers/assertions.js';
import { randomMatrix } from './helpers/random.js';

/** `m` orthonormal f32 rows spanning differences of rows of `x` (a data-shaped basis). */
function dataBasis(x: Float32Array, n: number, d: number, m: number): Float32Array {
  const rows: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const a = (j * 131 + 7) % n;
    const b = (j * 977 + (n >> 1)) % n;
    const v = Float64Array.from({ length: d }, (_, c) => x[a * d + c]! - x[b * d + c]!);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of rows) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += v[c]! * u[c]!;
        for (let c = 0; c < d; c++) v[c]! -= dot * u[c]!;
      }
    }
    const norm = Math.hypot(...v);
    rows.push(v.map((value) => value / norm));
  }
  return Float32Array.from(rows.flatMap((r) => Array.from(r)));
}

/** Rows clustered around a few centres, so the bound has structure to prune with. */
function clustered(n: number, d: number, centres: number, seed: number): Float32Array {
  const c = randomMatrix(centres, d, seed).map((v) => v * 6);
  const noise = randomMatrix(n, d, seed + 1);
  return Float32Array.from({ length: n * d }, (_, i) => c[(Math.floor(i / d) % centres) * d + (i % d)]! + noise[i]!);
}

describe('projectRows and weightedRowSums', () => {
  const n = 300;
  const d = 40;
  const m = 6;
  const x = randomMatrix(n, d, 3);
  const basis = dataBasis(x, n, d, m);

  it('projects every row onto every basis row, with squared norms and a gain near 1', async () => {
    const { projections, norms, gain } = projectRows(x, d, basis);
    expect(projections.length).toBe(n * m);
    const wantNorms = new Float64Array(n);
    const wantProjections = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < d; c++) wantNorms[i]! += x[i * d + c]! ** 2;
      for (let j = 0; j < m; j++) {
        for (let c = 0; c < d; c++) wantProjections[i * m + j]! += x[i * d + c]! * basis[j * d + c]!;
      }
    }
    expectClose(norms, wantNorms, (i) => 1e-5 * wantNorms[i]!, 'norms');
    expectClose(projections, wantProjections, () => 1e-4 * Math.sqrt(d), 'projections');
    expect(gain).toBeGreaterThanOrEqual(1 - 1e-4);
    expect(gain).toBeLessThan(1 + 1e-3);
    const async = await projectRowsAsync(x, d, basis);
    expectBitIdentical(async.projections, projections, 'async projections');
  });

  it('sums rows weighted by each column, in float64, the same off the JS thread', async () => {
    const y = randomMatrix(n, m, 4);
    const sums = weightedRowSums(x, d, y, m);
    const want = new Float64Array(m * d);
    for (let j = 0; j < m; j++) for (let c = 0; c < d; c++) for (let i = 0; i < n; i++) want[j * d + c]! += y[i * m + j]! * x[i * d + c]!;
    expectClose(sums, want, (i) => 1e-9 * (1 + Math.abs(want[i]!)), 'sums');
    expectBitIdentical(await weightedRowSumsAsync(x, d, y, m, { threads: 1 }), sums, 'async, one thread');
  });

  it('rejects shapes that do not fit', () => {
    expectCode(() => projectRows(x, d, new Float32Array(d + 1)), ErrorCode.DimensionMismatch);
    expectCode(() => projectRows(x, d, new Float32Array(0)), ErrorCode.InvalidArgument);
    expectCode(() => weightedRowSums(x, d, new Float32Array(n * m - 1), m), ErrorCode.InvalidArgument);
    expectCode(() => projectRows(x, d, new Float32Array(2 * d)), ErrorCode.InvalidArgument);
  });
});

describe('seedPotential with a projection', () => {
  const n = 2000;
  const d = 96;
  const x = clustered(n, d, 12, 7);
  const basis = dataBasis(x, n, d, 16);
  const projected = projectRows(x, d, basis);
  const projection = { basis, rows: projected.projections, rowNorms: projected.norms, gain: projected.gain };

  /** A few greedy steps scored both ways: the same totals and commits, fewer distances. */
  it('gives the totals and commits of the plain pass and computes fewer distances', async () => {
    const trials = 5;
    const plain: SeedState = { minDist: new Float32Array(n), nearest: new Uint32Array(n), rowDists: new Float32Array(n * trials) };
    const withBound: SeedState = { ...plain, minDist: new Float32Array(n), nearest: new Uint32Array(n), rowDists: new Float32Array(n * trials), projection };
    const chosen = [11];
    for (const state of [plain, withBound]) seedUpdate(x, d, x.slice(11 * d, 12 * d), 0, new Float32Array(0), state);
    let [plainComputed, boundComputed] = [0, 0];
    for (let step = 1; step < 14; step++) {
      const picks = Array.from({ length: trials }, (_, t) => (step * 389 + t * 1013 + 5) % n);
      const candidates = Float32Array.from(picks.flatMap((p) => Array.from(x.subarray(p * d, (p + 1) * d))));
      const gaps = Float32Array.from(
        picks.flatMap((p) => chosen.map((q) => Math.sqrt(x.subarray(p * d, (p + 1) * d).reduce((s, v, c) => s + (v - x[q * d + c]!) ** 2, 0)))),
      );
      const a = seedPotential(x, d, candidates, gaps, chosen.length, plain);
      const b = step % 2 === 0 ? await seedPotentialAsync(x, d, candidates, gaps, chosen.length, withBound) : seedPotential(x, d, candidates, gaps, chosen.length, withBound);
      expectBitIdentical(b.totals, a.totals, `totals at step ${step}`);
      plainComputed += a.computed;
      boundComputed += b.computed;
      let best = 0;
      for (let t = 1; t < trials; t++) if (a.totals[t]! < a.totals[best]!) best = t;
      expect(seedCommit(withBound, trials, best, chosen.length)).toBe(seedCommit(plain, trials, best, chosen.length));
      expectBitIdentical(withBound.minDist, plain.minDist, `minDist at step ${step}`);
      expectBitIdentical(withBound.nearest, plain.nearest, `nearest at step ${step}`);
      chosen.push(picks[best]!);
    }
    expect(boundComputed).toBeLessThan(plainComputed);
  });

  it('needs all of its parts, each of the right size', () => {
    const state: SeedState = { minDist: new Float32Array(n).fill(1), nearest: new Uint32Array(n) };
    const candidates = x.slice(0, d);
    const gaps = new Float32Array([1]);
    expectCode(() => seedPotential(x, d, candidates, gaps, 1, { ...state, projection: { ...projection, rows: projection.rows.subarray(1) } }), ErrorCode.InvalidArgument);
    expectCode(() => seedPotential(x, d, candidates, gaps, 1, { ...state, projection: { ...projection, gain: 0 } }), ErrorCode.InvalidArgument);
    expectCode(() => seedPotential(x, d, candidates, gaps, 1, { ...state, projection: { ...projection, basis: new Float32Array(3 * (d + 1)) } }), ErrorCode.DimensionMismatch);
  });
});

/**
 * The bf16 copy of rows and the bf16 screen of `seedPotential` through the binding: the copy
 * decodes to within bf16 rounding with its exact error norms, and screened scoring gives the
 * totals and commits of the plain pass (computing fewer f32 distances where the CPU screens).
 */
import { describe, expect, it } from 'vitest';

import {
  assign,
  bf16Rows,
  bf16RowsAsync,
  ErrorCode,
  rowNorms,
  seedCommit,
  seedPotential,
  seedUpdate,
  simdInfo,
  type SeedState,
  yinyangAssign,
} from '../src/index.js';
import { expectBitIdentical, expectCode } from './helpers/assertions.js';
import { randomMatrix } from './helpers/random.js';

const bf16ToFloat = (h: number): number => new Float32Array(new Uint32Array([h << 16]).buffer)[0]!;

function clustered(n: number, d: number, centres: number, seed: number): Float32Array {
  const c = randomMatrix(centres, d, seed).map((v) => v * 6);
  const noise = randomMatrix(n, d, seed + 1);
  return Float32Array.from({ length: n * d }, (_, i) => c[(Math.floor(i / d) % centres) * d + (i % d)]! + noise[i]!);
}

describe('bf16Rows', () => {
  it('rounds every element to bf16 and reports the exact error and squared norms', async () => {
    const [n, d] = [37, 51];
    const x = randomMatrix(n, d, 4).map((v, i) => (i % 7 === 0 ? v * 1e6 : v));
    const copy = bf16Rows(x, d);
    const dp = Math.ceil(d / 2);
    expect(copy.pairs.length).toBe(n * dp);
    for (let i = 0; i < n; i++) {
      let err = 0;
      for (let j = 0; j < d; j++) {
        const word = copy.pairs[i * dp + (j >> 1)]!;
        const v = bf16ToFloat(j % 2 === 0 ? word & 0xffff : word >>> 16);
        const want = x[i * d + j]!;
        expect(Math.abs(v - want)).toBeLessThanOrEqual(Math.abs(want) * 2 ** -8);
        err += (want - v) ** 2;
      }
      expect(Math.abs(copy.errNorms[i]! - Math.sqrt(err))).toBeLessThanOrEqual(1e-5 * Math.sqrt(err) + 1e-12);
      if (d % 2 === 1) expect(copy.pairs[i * dp + dp - 1]! >>> 16).toBe(0);
    }
    expectBitIdentical(copy.sqnorms, rowNorms(x, d, { squared: true }), 'squared norms');
    const again = await bf16RowsAsync(x, d);
    expectBitIdentical(again.pairs, copy.pairs, 'async pairs');
  });

  it('names the first non-finite row', () => {
    const x = randomMatrix(10, 8, 1);
    x[6 * 8 + 3] = Number.NaN;
    expectCode(() => bf16Rows(x, 8), ErrorCode.NonFinite, { row: 6 });
  });
});

describe('seedPotential with a bf16 copy', () => {
  const [n, d, trials] = [2500, 80, 6];
  const x = clustered(n, d, 15, 9);
  const bf16 = bf16Rows(x, d);

  it('gives the totals and commits of the plain pass', () => {
    const plain: SeedState = { minDist: new Float32Array(n), nearest: new Uint32Array(n), rowDists: new Float32Array(n * trials) };
    const screened: SeedState = { minDist: new Float32Array(n), nearest: new Uint32Array(n), rowDists: new Float32Array(n * trials), bf16 };
    for (const state of [plain, screened]) seedUpdate(x, d, x.slice(3 * d, 4 * d), 0, new Float32Array(0), state);
    const chosen = [3];
    let [plainComputed, screenedComputed] = [0, 0];
    for (let step = 1; step < 12; step++) {
      const picks = Array.from({ length: trials }, (_, t) => (step * 577 + t * 1301 + 2) % n);
      const candidates = Float32Array.from(picks.flatMap((p) => Array.from(x.subarray(p * d, (p + 1) * d))));
      const gaps = Float32Array.from(
        picks.flatMap((p) => chosen.map((q) => Math.sqrt(x.subarray(p * d, (p + 1) * d).reduce((s, v, c) => s + (v - x[q * d + c]!) ** 2, 0)))),
      );
      const a = seedPotential(x, d, candidates, gaps, chosen.length, plain);
      const b = seedPotential(x, d, candidates, gaps, chosen.length, screened);
      expectBitIdentical(b.totals, a.totals, `totals at step ${step}`);
      plainComputed += a.computed;
      screenedComputed += b.computed;
      let best = 0;
      for (let t = 1; t < trials; t++) if (a.totals[t]! < a.totals[best]!) best = t;
      expect(seedCommit(screened, trials, best, chosen.length)).toBe(seedCommit(plain, trials, best, chosen.length));
      expectBitIdentical(screened.minDist, plain.minDist, `minDist at step ${step}`);
      expectBitIdentical(screened.nearest, plain.nearest, `nearest at step ${step}`);
      chosen.push(picks[best]!);
    }
    // Every level with bf16 kernels screens with the copy (avx512amx scores its bf16 rows against f32 candidates).
    if (['avx512bf16', 'avx512amx'].includes(simdInfo().inUse)) expect(screenedComputed).toBeLessThan(plainComputed);
    else expect(screenedComputed).toBe(plainComputed);
  });

  it('needs all three arrays of the copy, each of the right size', () => {
    const state: SeedState = { minDist: new Float32Array(n).fill(1), nearest: new Uint32Array(n) };
    const candidates = x.slice(0, d);
    const gaps = new Float32Array([1]);
    expectCode(() => seedPotential(x, d, candidates, gaps, 1, { ...state, bf16: { ...bf16, pairs: bf16.pairs.subarray(1) } }), ErrorCode.InvalidArgument);
    expectCode(() => seedPotential(x, d, candidates, gaps, 1, { ...state, bf16: { ...bf16, errNorms: bf16.errNorms.subarray(2) } }), ErrorCode.InvalidArgument);
    expectCode(() => seedPotential(x, d, candidates, gaps, 1, { ...state, bf16: { ...bf16, sqnorms: new Uint32Array(n) as unknown as Float32Array } }), ErrorCode.InvalidType);
  });

  it('scores at most 32 candidates per call', () => {
    const state: SeedState = { minDist: new Float32Array(n).fill(1), nearest: new Uint32Array(n) };
    const many = x.slice(0, 33 * d);
    expectCode(() => seedPotential(x, d, many, new Float32Array(33).fill(1), 1, state), ErrorCode.InvalidArgument, { actual: 33 });
    expect(seedPotential(x, d, x.slice(0, 32 * d), new Float32Array(32).fill(1), 1, state).totals).toHaveLength(32);
  });
});

describe('options.bf16 (a bf16 copy of the rows for the screened assignments)', () => {
  const levels = (['avx512bf16', 'avx512amx'] as const).filter((l) => simdInfo().available.includes(l));
  const { n, d, k, t } = { n: 1500, d: 160, k: 48, t: 4 };
  const x = clustered(n, d, 24, 3);
  const c = x.slice(0, k * d);
  const groups = { groupOf: Uint32Array.from({ length: k }, (_, j) => j % t), t };

  it.skipIf(levels.length === 0)('gives the same labels, values and bounds as converting every pass', () => {
    for (const simd of levels) {
      const copy = bf16Rows(x, d, { simd });
      const plain = assign(x, c, d, 'l2', { simd });
      const copied = assign(x, c, d, 'l2', { simd, bf16: copy });
      expect(Array.from(copied.labels)).toEqual(Array.from(plain.labels));
      expectBitIdentical(copied.values, plain.values);
      const steps = (bf16?: typeof copy) => {
        const state = { labels: new Uint32Array(n), lower: new Float32Array(n * t), values: new Float32Array(n) };
        yinyangAssign(x, c, d, groups, state, null, { simd, ...(bf16 ? { bf16 } : {}) });
        return state;
      };
      const [a, b] = [steps(), steps(copy)];
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
      expectBitIdentical(b.lower, a.lower);
      expectBitIdentical(b.values, a.values);
    }
  });

  it('refuses a copy of other rows or one that shares memory with a written array', () => {
    const copy = bf16Rows(x, d);
    const short = { pairs: copy.pairs.subarray(d / 2), errNorms: copy.errNorms.subarray(1), sqnorms: copy.sqnorms.subarray(1) };
    expectCode(() => assign(x, c, d, 'l2', { bf16: short }), ErrorCode.InvalidArgument);
    const state = { labels: new Uint32Array(n), lower: new Float32Array(n * t), values: new Float32Array(n) };
    const aliased = { ...copy, sqnorms: state.values };
    expectCode(() => yinyangAssign(x, c, d, groups, state, null, { bf16: aliased }), ErrorCode.InvalidArgument);
    expectCode(() => assign(x, c, d, 'l2', { bf16: { pairs: copy.errNorms } as never }), ErrorCode.InvalidType);
    expectCode(() => assign(x, c, d, 'l2', { bf16: 7 as never }), ErrorCode.InvalidType);
  });
});

import { describe, expect, it } from 'vitest';

import {
  accumulate,
  accumulateAsync,
  assign,
  assignSums,
  assignAsync,
  ClosteraError,
  distanceTile,
  ErrorCode,
  errorCodes,
  kmeansppPotential,
  kmeansppUpdate,
  normalizeRows,
  rowNorms,
  simdInfo,
  toClosteraError,
  topL,
  type Metric,
  type SimdLevel,
} from '../src/index.js';
import { native } from '../src/native.js';
import { expectCode, expectRejectCode } from './helpers/assertions.js';
import { randomMatrix } from './helpers/random.js';

const d = 4;
const x = randomMatrix(10, d, 1);
const c = randomMatrix(3, d, 2);

describe('error codes', () => {
  it('the TypeScript mirror equals the native list, in order', () => {
    const nativeList = errorCodes();
    expect(Object.values(ErrorCode)).toEqual(nativeList.map((entry) => entry.code));
    for (const entry of nativeList) expect(entry.description.length).toBeGreaterThan(10);
  });

  it('errors are ClosteraErrors carrying the native details', () => {
    const error = expectCode(() => assign(x, new Float32Array(7), d, 'l2'), ErrorCode.DimensionMismatch);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ClosteraError');
    expect(error.expected).toBe('a multiple of 4');
    expect(error.actual).toBe(7);
    expect((error.cause as { code?: string }).code).toBe(ErrorCode.DimensionMismatch);
  });

  it('toClosteraError keeps codes and maps foreign errors to CLOSTERA_INTERNAL', () => {
    const coded = Object.assign(new Error('bad row'), {
      code: 'CLOSTERA_NON_FINITE',
      row: 3,
      expected: 'x',
      actual: 'NaN',
    });
    expect(toClosteraError(coded)).toMatchObject({ code: ErrorCode.NonFinite, row: 3, expected: 'x', actual: 'NaN' });
    expect(toClosteraError(new TypeError('boom')).code).toBe(ErrorCode.Internal);
  });
});

describe('bad inputs get their codes', () => {
  it('data length not a multiple of d: CLOSTERA_DIMENSION_MISMATCH', () => {
    expectCode(() => rowNorms(new Float32Array(10), 3), ErrorCode.DimensionMismatch, { actual: 10 });
    expectCode(() => assign(new Float32Array(10), c, d, 'l2'), ErrorCode.DimensionMismatch);
    expectCode(() => assign(x, new Float32Array(10), d, 'l2'), ErrorCode.DimensionMismatch);
    expectCode(() => accumulate(new Float32Array(9), d, new Uint32Array(2), 2), ErrorCode.DimensionMismatch);
  });

  it('d = 0, negative or fractional d: CLOSTERA_INVALID_ARGUMENT', () => {
    expectCode(() => rowNorms(x, 0), ErrorCode.InvalidArgument, { actual: 0 });
    expectCode(() => assign(x, c, 0, 'l2'), ErrorCode.InvalidArgument);
    expectCode(() => assign(x, c, -4, 'l2'), ErrorCode.InvalidArgument);
    expectCode(() => assign(x, c, 2.5, 'l2'), ErrorCode.InvalidArgument);
  });

  it('k = 0: CLOSTERA_INVALID_ARGUMENT', () => {
    expectCode(() => assign(x, new Float32Array(0), d, 'l2'), ErrorCode.InvalidArgument);
    expectCode(() => topL(x, new Float32Array(0), d, 'l2', 1), ErrorCode.InvalidArgument);
    expectCode(() => accumulate(x, d, new Uint32Array(10), 0), ErrorCode.InvalidArgument);
  });

  it('NaN / Infinity: CLOSTERA_NON_FINITE with the row', () => {
    const bad = x.slice();
    bad[6 * d + 2] = Number.NaN;
    expectCode(() => assign(bad, c, d, 'l2'), ErrorCode.NonFinite, { row: 6 });
    expectCode(() => rowNorms(bad, d), ErrorCode.NonFinite, { row: 6 });
    expectCode(() => assignSums(bad, c, d), ErrorCode.NonFinite, { row: 6 });
    bad[3 * d] = Number.POSITIVE_INFINITY;
    expectCode(() => distanceTile(bad, c, d, 'ip'), ErrorCode.NonFinite, { row: 3 });
    const badCentroids = c.slice();
    badCentroids[2 * d + 1] = Number.NEGATIVE_INFINITY;
    expectCode(() => assign(x, badCentroids, d, 'l2'), ErrorCode.NonFinite, { row: 2 });
  });

  it('a zero row under cosine: CLOSTERA_ZERO_NORM with the row', () => {
    const zero = x.slice();
    zero.fill(0, 5 * d, 6 * d);
    expectCode(() => assign(zero, c, d, 'cos'), ErrorCode.ZeroNorm, { row: 5 });
    expectCode(() => normalizeRows(zero, d), ErrorCode.ZeroNorm, { row: 5 });
    expectCode(() => normalizeRows(zero, d, { validate: false }), ErrorCode.ZeroNorm, { row: 5 });
    zero[9 * d] = Number.NaN;
    zero[7 * d] = Number.POSITIVE_INFINITY;
    expectCode(() => normalizeRows(zero, d), ErrorCode.ZeroNorm, { row: 5 });
    zero.fill(1, 5 * d, 6 * d);
    expectCode(() => normalizeRows(zero, d), ErrorCode.NonFinite, { row: 7 });
    expectCode(() => normalizeRows(new Float32Array(10), 3), ErrorCode.DimensionMismatch, { actual: 10 });
  });

  it('wrong typed-array type: CLOSTERA_INVALID_TYPE with expected / actual', () => {
    const asAny = (value: unknown) => value as Float32Array;
    expectCode(() => assign(asAny(new Float64Array(x)), c, d, 'l2'), ErrorCode.InvalidType, {
      expected: 'Float32Array',
      actual: 'Float64Array',
    });
    expectCode(() => assign(x, asAny([1, 2, 3, 4]), d, 'l2'), ErrorCode.InvalidType, { actual: 'Array' });
    expectCode(() => rowNorms(asAny('nope'), d), ErrorCode.InvalidType, { actual: 'string' });
    expectCode(() => accumulate(x, d, asAny(new Int32Array(10)) as unknown as Uint32Array, 3), ErrorCode.InvalidType, {
      expected: 'Uint32Array',
      actual: 'Int32Array',
    });
    expectCode(() => assign(x, c, '4' as unknown as number, 'l2'), ErrorCode.InvalidType, { actual: 'string' });
  });

  it('the native layer checks types itself (defence in depth)', () => {
    const call = native().assign as unknown as (...args: unknown[]) => unknown;
    const run =
      (...args: unknown[]) =>
      () => {
        try {
          call(...args);
        } catch (error) {
          throw toClosteraError(error);
        }
      };
    expectCode(run(new Float64Array(8), c, d, 'l2', undefined, undefined, false), ErrorCode.InvalidType, {
      expected: 'Float32Array',
      actual: 'Float64Array',
    });
    expectCode(run({}, c, d, 'l2'), ErrorCode.InvalidType, { actual: 'object' });
    expectCode(run(x, c, d, 7), ErrorCode.InvalidType, { expected: 'string', actual: 'number' });
    expectCode(run(x, c, d, 'l2', { threads: 'two' }), ErrorCode.InvalidType);
    expectCode(run(x, c, d, 'l2', undefined, new Float64Array(2)), ErrorCode.InvalidType, { actual: 'Float64Array' });
    expectCode(run(x, c, d, 'l2', undefined, undefined, 'yes'), ErrorCode.InvalidType, { expected: 'boolean' });
  });

  it('L > k, L > 32 and L = 0: CLOSTERA_INVALID_ARGUMENT', () => {
    expectCode(() => topL(x, c, d, 'l2', 4), ErrorCode.InvalidArgument, { expected: '<= 3', actual: 4 });
    const many = randomMatrix(40, d, 3);
    expectCode(() => topL(x, many, d, 'l2', 33), ErrorCode.InvalidArgument, { actual: 33 });
    expectCode(() => topL(x, many, d, 'l2', 1e9), ErrorCode.InvalidArgument);
    expectCode(() => topL(x, c, d, 'l2', 0), ErrorCode.InvalidArgument);
    expect(topL(x, many, d, 'l2', 32).labels.length).toBe(10 * 32);
  });

  it('other bad values: metric, label >= k, SIMD level, threads, overlapping minDist', () => {
    expectCode(() => assign(x, c, d, 'manhattan' as Metric), ErrorCode.InvalidArgument, { actual: 'manhattan' });
    const labels = new Uint32Array(10).fill(1);
    labels[7] = 3;
    expectCode(() => accumulate(x, d, labels, 3), ErrorCode.InvalidArgument, { row: 7 });
    const weights = new Float32Array(10).fill(1);
    weights[4] = -2;
    expectCode(() => assignSums(x, c, d, { weights }), ErrorCode.InvalidArgument, { row: 4 });
    expectCode(() => assignSums(x, c, d, { weights: new Float32Array(9) }), ErrorCode.DimensionMismatch, { expected: 10, actual: 9 });
    expectCode(() => assignSums(x, c, d, { weights: new Float64Array(10) as unknown as Float32Array }), ErrorCode.InvalidType);
    const missing = (['scalar', 'avx2', 'avx512', 'neon'] as SimdLevel[]).find(
      (l) => !simdInfo().available.includes(l)
    );
    if (missing !== undefined) expectCode(() => assign(x, c, d, 'l2', { simd: missing }), ErrorCode.UnsupportedSimd);
    expectCode(() => assign(x, c, d, 'l2', { simd: 'sse9' as SimdLevel }), ErrorCode.InvalidArgument);
    expectCode(() => assign(x, c, d, 'l2', { threads: 0 }), ErrorCode.InvalidArgument);
    expectCode(() => kmeansppUpdate(x, d, c.subarray(0, d), x.subarray(0, 10), 'l2'), ErrorCode.InvalidArgument);
    expectCode(() => kmeansppUpdate(x, d, c.subarray(0, d), new Float32Array(10), 'ip'), ErrorCode.InvalidArgument);
    expectCode(() => kmeansppPotential(x, d, c, new Float32Array(9), 'l2'), ErrorCode.InvalidArgument);
  });

  it('async forms reject (never throw) with the same codes', async () => {
    const bad = assignAsync(new Float64Array(8) as unknown as Float32Array, c, d, 'l2');
    expect(bad).toBeInstanceOf(Promise);
    await expectRejectCode(bad, ErrorCode.InvalidType, { actual: 'Float64Array' });
    await expectRejectCode(assignAsync(x, c, 0, 'l2'), ErrorCode.InvalidArgument);
    await expectRejectCode(accumulateAsync(x, d, new Uint32Array(10), 0), ErrorCode.InvalidArgument);
    const nan = x.slice();
    nan[9 * d] = Number.NaN;
    await expectRejectCode(assignAsync(nan, c, d, 'l2'), ErrorCode.NonFinite, { row: 9 });
    // The native async path rejects argument errors too.
    const nativeAssign = native().assign as unknown as (...args: unknown[]) => Promise<unknown>;
    const rejected = nativeAssign(x, c, 0, 'l2', undefined, undefined, true);
    await expect(rejected).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
  });

  it('errors are real ClosteraError instances', () => {
    const error = expectCode(() => rowNorms(x, 0), ErrorCode.InvalidArgument);
    expect(error).toBeInstanceOf(ClosteraError);
    expect(error.stack).toContain('errors.test');
  });
});

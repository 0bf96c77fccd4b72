/**
 * Passes that write into a caller's buffer (`options.out`): the same result as a fresh array,
 * written in place and returned, with coded errors for a wrong length or shared memory; and the
 * gather's validation of the rows it copies.
 */
import { describe, expect, it } from 'vitest';

import { gatherRows, gatherRowsAsync, normalizeRows, normalizeRowsAsync } from '../src/index.js';
import { randomMatrix } from './helpers/random.js';

describe('gatherRows into a reused buffer', () => {
  const d = 11;
  const x = randomMatrix(900, d, 5);
  const ids = Uint32Array.from({ length: 400 }, (_, i) => (i * 37 + 5) % 900);

  it('writes the rows in place and returns the buffer, sync and async', async () => {
    const fresh = gatherRows(x, d, ids);
    const out = new Float32Array(ids.length * d).fill(Number.NaN);
    expect(gatherRows(x, d, ids, { out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh));
    out.fill(-1);
    expect(await gatherRowsAsync(x, d, ids, { out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh));
  });

  it('refuses a buffer of the wrong length or one sharing memory with the data', () => {
    expect(() => gatherRows(x, d, ids, { out: new Float32Array(ids.length * d - 1) })).toThrow(
      expect.objectContaining({ code: 'CLOSTERA_DIMENSION_MISMATCH', expected: ids.length * d, actual: ids.length * d - 1 }),
    );
    expect(() => gatherRows(x, d, ids, { out: x.subarray(0, ids.length * d) })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => gatherRows(x, d, ids, { out: [1, 2] as unknown as Float32Array })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_TYPE' }));
  });

  it('validates the rows it copies and names the data row; validate: false copies them as they are', () => {
    const bad = Float32Array.from(x);
    bad[617 * d + 3] = Number.NaN;
    const picks = Uint32Array.of(4, 617, 8);
    expect(() => gatherRows(bad, d, picks)).toThrow(expect.objectContaining({ code: 'CLOSTERA_NON_FINITE', row: 617 }));
    const rows = gatherRows(bad, d, picks, { validate: false });
    expect(Number.isNaN(rows[d + 3])).toBe(true);
  });
});

describe('gatherRows with unit: true', () => {
  it('equals normalizeRows of the gathered rows bit for bit, sync and async, and names a zero data row', async () => {
    const d = 13;
    const x = randomMatrix(500, d, 17);
    const ids = Uint32Array.from({ length: 300 }, (_, i) => (i * 11 + 2) % 500);
    const want = normalizeRows(gatherRows(x, d, ids), d).rows;
    const toBits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
    expect(toBits(gatherRows(x, d, ids, { unit: true }))).toEqual(toBits(want));
    const out = new Float32Array(ids.length * d);
    expect(await gatherRowsAsync(x, d, ids, { unit: true, out })).toBe(out);
    expect(toBits(out)).toEqual(toBits(want));
    const zero = Float32Array.from(x);
    zero.fill(0, 42 * d, 43 * d);
    expect(() => gatherRows(zero, d, Uint32Array.of(3, 42), { unit: true })).toThrow(expect.objectContaining({ code: 'CLOSTERA_ZERO_NORM', row: 42 }));
    expect(() => gatherRows(zero, d, Uint32Array.of(3, 42), { unit: true, validate: false })).toThrow(expect.objectContaining({ code: 'CLOSTERA_ZERO_NORM', row: 42 }));
    expect(() => gatherRows(x, d, ids, { unit: 1 as unknown as boolean })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_TYPE' }));
  });
});

describe('normalizeRows into a reused buffer', () => {
  it('writes the unit rows in place, sync and async, and refuses a wrong length', async () => {
    const d = 7;
    const x = randomMatrix(300, d, 9);
    const fresh = normalizeRows(x, d);
    const out = new Float32Array(x.length);
    const got = normalizeRows(x, d, { out });
    expect(got.rows).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh.rows));
    expect(Array.from(got.norms)).toEqual(Array.from(fresh.norms));
    out.fill(0);
    expect((await normalizeRowsAsync(x, d, { out })).rows).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh.rows));
    expect(() => normalizeRows(x, d, { out: new Float32Array(x.length + d) })).toThrow(expect.objectContaining({ code: 'CLOSTERA_DIMENSION_MISMATCH' }));
    expect(() => normalizeRows(x, d, { out: x })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
  });
});

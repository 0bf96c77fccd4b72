import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNpyWriter } from '../src/index.js';
import { collect, expectCode, matrix, tempDir, open } from './helpers.js';

const dir = tempDir();

describe('in-memory typed arrays', () => {
  it('serves Float32Array chunks as zero-copy views', async () => {
    const v = matrix(100, 8);
    const s = await open(v, { d: 8 });
    expect(s.detection).toEqual({ format: 'memory', by: 'type' });
    for await (const c of s.chunks({ maxBytes: 8 * 4 * 30 })) {
      expect(c.data.buffer).toBe(v.buffer);
      expect(c.rows).toBeLessThanOrEqual(30);
    }
    expect(await collect(s)).toEqual(v);
    expect(await s.rows([99, 0])).toEqual(Float32Array.from([...v.subarray(792), ...v.subarray(0, 8)]));
  });

  it('converts other element types chunk by chunk', async () => {
    for (const Ctor of [Float64Array, Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array]) {
      const v = matrix(20, 4, 7, false).map((x) => x % 100);
      const typed = new Ctor(v.length);
      typed.set(v);
      const s = await open(typed, { d: 4 });
      expect(await collect(s, { maxBytes: 64 })).toEqual(v);
    }
  });

  it('rejects a length that is not a multiple of d and a missing d', async () => {
    await expectCode(open(new Float32Array(10), { d: 3 }), 'CLOSTERA_DIMENSION_MISMATCH');
    await expectCode(open(new Float32Array(10)), 'CLOSTERA_INVALID_ARGUMENT');
    await expectCode(open({} as never), 'CLOSTERA_INVALID_ARGUMENT');
  });
});

describe('open() detection', () => {
  it('detects by magic even under a misleading extension, and reads bytes and URLs', async () => {
    const v = matrix(5, 3);
    const p = join(dir, 'a.npy');
    const w = createNpyWriter(p, { dtype: 'float32', rowShape: [3] });
    await w.write(v);
    await w.close();
    const misnamed = join(dir, 'really-npy.fvecs');
    writeFileSync(misnamed, readFileSync(p));
    const s = await open(misnamed);
    expect(s.detection).toEqual({ format: 'npy', by: 'magic' });
    expect(await collect(s)).toEqual(v);
    const fromBytes = await open(readFileSync(p));
    expect(fromBytes.detection).toEqual({ format: 'npy', by: 'magic' });
    expect(await collect(fromBytes)).toEqual(v);
    const fromUrl = await open(pathToFileURL(p));
    expect(fromUrl.n).toBe(5);
    const forced = await open(p, { format: 'npy' });
    expect(forced.detection.by).toBe('option');
  });

  it('gives a coded error for unknown bytes and for a format that does not match', async () => {
    await expectCode(open(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), 'CLOSTERA_FORMAT');
    const p = join(dir, 'fake.parquet');
    writeFileSync(p, 'this is not parquet');
    await expectCode(open(p), 'CLOSTERA_FORMAT');
    const q = join(dir, 'fake.arrow');
    writeFileSync(q, 'this is not arrow at all');
    await expectCode(open(q), 'CLOSTERA_FORMAT');
  });
});

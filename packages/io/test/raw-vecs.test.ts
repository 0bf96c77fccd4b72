import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DType } from '../src/index.js';
import { collect, DATASETS, encode, expectCode, matrix, tempDir, open } from './helpers.js';

const dir = tempDir();

function vecsImage(values: Float32Array, d: number, dtype: 'float32' | 'uint8' | 'int32', dims?: number[]): Uint8Array {
  const n = values.length / d;
  const size = dtype === 'uint8' ? 1 : 4;
  const out = new Uint8Array(n * (4 + d * size));
  const dv = new DataView(out.buffer);
  for (let r = 0; r < n; r++) {
    const at = r * (4 + d * size);
    dv.setInt32(at, dims?.[r] ?? d, true);
    out.set(encode(values.subarray(r * d, (r + 1) * d), dtype), at + 4);
  }
  return out;
}

describe('raw matrices', () => {
  const DTYPES: DType[] = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'];
  for (const dtype of DTYPES) {
    for (const byteOrder of ['little', 'big'] as const) {
      it(`reads ${dtype} ${byteOrder}`, async () => {
        const v = matrix(33, 6, 5, !dtype.startsWith('u'));
        const p = join(dir, `r-${dtype}-${byteOrder}.bin`);
        writeFileSync(p, encode(v, dtype, byteOrder));
        const s = await open(p, { d: 6, dtype, byteOrder });
        expect(s.detection).toEqual({ format: 'raw', by: 'extension' });
        expect([s.n, s.d, s.dtype]).toEqual([33, 6, dtype]);
        expect(await collect(s, { maxBytes: 1000 })).toEqual(v);
        expect(await s.rows([32, 1])).toEqual(Float32Array.from([...v.subarray(192, 198), ...v.subarray(6, 12)]));
        await s.close();
      });
    }
  }

  it('takes the dtype from the extension and the shape from a JSON sidecar', async () => {
    const v = matrix(10, 3);
    writeFileSync(join(dir, 'side.f64'), encode(v, 'float64'));
    writeFileSync(join(dir, 'side.json'), JSON.stringify({ n: 10, d: 3 }));
    const s = await open(join(dir, 'side.f64'));
    expect([s.n, s.d, s.dtype]).toEqual([10, 3, 'float64']);
    expect(await collect(s)).toEqual(v);
  });

  it('rejects inconsistent layouts', async () => {
    const p = join(dir, 'odd.f32');
    writeFileSync(p, new Uint8Array(4 * 7));
    await expectCode(open(p, { d: 2 }), 'CLOSTERA_FORMAT');
    await expectCode(open(p, { d: 7, n: 2 }), 'CLOSTERA_FORMAT');
    await expectCode(open(p), 'CLOSTERA_INVALID_ARGUMENT');
    await expectCode(open(p, { d: 7, dtype: 'int64' as DType }), 'CLOSTERA_UNSUPPORTED');
    await expectCode(open(join(dir, 'nothing.xyz')), 'CLOSTERA_IO');
    writeFileSync(join(dir, 'unknown.xyz'), new Uint8Array(64));
    await expectCode(open(join(dir, 'unknown.xyz')), 'CLOSTERA_FORMAT');
  });

  it.skipIf(!existsSync(join(DATASETS, 'digits-1797x64.f32')))('reads the shared digits dataset through its sidecar', async () => {
    const s = await open(join(DATASETS, 'digits-1797x64.f32'));
    expect([s.n, s.d, s.dtype]).toEqual([1797, 64, 'float32']);
    const all = await collect(s, { maxBytes: 64 * 4 * 100, validate: true });
    const raw = readFileSync(join(DATASETS, 'digits-1797x64.f32'));
    expect(all).toEqual(new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4));
    await s.close();
  });
  if (!existsSync(DATASETS)) console.warn(`[io] ${DATASETS} is absent: shared-dataset test skipped`);
});

describe('.fvecs / .bvecs / .ivecs', () => {
  const FORMATS = [
    ['fvecs', 'float32'],
    ['bvecs', 'uint8'],
    ['ivecs', 'int32'],
  ] as const;
  for (const [ext, dtype] of FORMATS) {
    it(`round-trips ${ext}`, async () => {
      const v = matrix(41, 9, 2, dtype === 'uint8' ? false : true);
      const p = join(dir, `x.${ext}`);
      writeFileSync(p, vecsImage(v, 9, dtype));
      const s = await open(p);
      expect(s.detection).toEqual({ format: ext, by: 'extension' });
      expect([s.n, s.d, s.dtype]).toEqual([41, 9, dtype]);
      expect(await collect(s, { maxBytes: 200 })).toEqual(v);
      expect(await s.rows([40, 3, 3])).toEqual(Float32Array.from([...v.subarray(360, 369), ...v.subarray(27, 36), ...v.subarray(27, 36)]));
      await s.close();
    });

    it(`reports ragged and truncated ${ext}`, async () => {
      const v = matrix(8, 4, 2, dtype === 'uint8' ? false : true);
      const ragged = join(dir, `ragged.${ext}`);
      writeFileSync(ragged, vecsImage(v, 4, dtype, [4, 4, 4, 4, 4, 5, 4, 4]));
      const s = await open(ragged);
      const e = await expectCode(collect(s), 'CLOSTERA_FORMAT');
      expect(e.row).toBe(5);
      const trunc = join(dir, `trunc.${ext}`);
      writeFileSync(trunc, vecsImage(v, 4, dtype).subarray(0, 30));
      await expectCode(open(trunc), 'CLOSTERA_FORMAT');
      const bogus = join(dir, `bogus.${ext}`);
      writeFileSync(bogus, Uint8Array.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4]));
      await expectCode(open(bogus), 'CLOSTERA_FORMAT');
    });
  }
});

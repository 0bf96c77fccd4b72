import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedFashionMnistDir, formatDatasetSpec, loadDataset, normalizeRows, parseDatasetSpec, parseIdx, readLabels, seriesKey } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'bench-ds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** IDX bytes: magic (0, 0, type 0x08, ndim), big-endian dims, then the values. */
function idx(shape: number[], values: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header.set([0, 0, 0x08, shape.length]);
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  return Uint8Array.from([...header, ...values]);
}

describe('IDX', () => {
  it('decodes plain and gzipped ubyte arrays', () => {
    const bytes = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    for (const input of [bytes, new Uint8Array(gzipSync(bytes))]) {
      const a = parseIdx(input);
      expect(a.shape).toEqual([2, 2, 3]);
      expect([...a.data]).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    }
  });

  it('decodes big-endian float32 (type 0x0D)', () => {
    const b = new Uint8Array(12);
    const v = new DataView(b.buffer);
    b.set([0, 0, 0x0d, 1]);
    v.setUint32(4, 1, false);
    v.setFloat32(8, -1.5, false);
    expect([...parseIdx(b).data]).toEqual([-1.5]);
  });

  it('rejects a bad magic, an unknown type and truncated data with CLOSTERA_FORMAT', () => {
    expect(() => parseIdx(Uint8Array.from([1, 0, 8, 1]))).toThrow(expect.objectContaining({ code: 'CLOSTERA_FORMAT' }));
    expect(() => parseIdx(Uint8Array.from([0, 0, 7, 1, 0, 0, 0, 1, 5]))).toThrow(expect.objectContaining({ code: 'CLOSTERA_FORMAT' }));
    expect(() => parseIdx(idx([4], [1, 2, 3, 4]).subarray(0, 10))).toThrow(expect.objectContaining({ code: 'CLOSTERA_FORMAT' }));
  });
});

describe('dataset specs', () => {
  it('parse and format round-trip to canonical ids', () => {
    for (const text of ['fmnist', 'fmnist-10k:n=500', 'gaussian:n=100,d=4,k=3,seed=9', 'file:/data/x.npy,labels=/data/y.u8,n=10']) {
      expect(formatDatasetSpec(parseDatasetSpec(text))).toBe(text);
    }
    expect(formatDatasetSpec(parseDatasetSpec('zipf:n=1e4'))).toBe('zipf:n=10000,d=32,k=16,seed=1');
    expect(seriesKey(parseDatasetSpec('gaussian:n=100,d=4,k=3,seed=9'))).toBe('gaussian:d=4,k=3,seed=9');
    expect(seriesKey(parseDatasetSpec('fmnist:n=1000'))).toBe('fmnist');
  });

  it('rejects unknown datasets and parameters with CLOSTERA_INVALID_ARGUMENT', () => {
    for (const bad of ['mnist', 'gaussian:q=1', 'gaussian:n=1.5', 'fmnist:d=3', 'file:']) {
      expect(() => parseDatasetSpec(bad)).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    }
  });

  it('loads a synthetic dataset with its ground truth', async () => {
    const ds = await loadDataset('anisotropic:n=300,d=6,k=4,seed=2');
    expect(ds).toMatchObject({ id: 'anisotropic:n=300,d=6,k=4,seed=2', n: 300, d: 6, classes: 4, series: 'anisotropic:d=6,k=4,seed=2' });
    expect(ds.x.length).toBe(1800);
    expect(ds.labels?.length).toBe(300);
  });

  it('reads raw label files by extension', async () => {
    const path = join(tmp, 'y.u8');
    writeFileSync(path, Uint8Array.from([3, 0, 7]));
    expect([...(await readLabels(path))]).toEqual([3, 0, 7]);
    const i32 = join(tmp, 'y.i32');
    writeFileSync(i32, new Uint8Array(Int32Array.from([1, -2]).buffer));
    await expect(readLabels(i32)).rejects.toMatchObject({ code: 'CLOSTERA_FORMAT', row: 1 });
  });

  it('normalises rows for cos and reports a zero row with its index', () => {
    const out = normalizeRows(Float32Array.from([3, 4, 0, 2]), 2);
    expect([...out]).toEqual([0.6, 0.8, 0, 1].map(Math.fround));
    expect(() => normalizeRows(Float32Array.from([1, 0, 0, 0]), 2)).toThrow(expect.objectContaining({ code: 'CLOSTERA_ZERO_NORM', row: 1 }));
  });
});

describe('file datasets through @clostera/io', () => {
  it('loads a raw float32 file with a JSON sidecar naming its labels', async () => {
    let ioPresent = true;
    try {
      await import('@clostera/io' as string);
    } catch {
      ioPresent = false;
    }
    if (!ioPresent) {
      console.warn('skipped: @clostera/io is not built here');
      return;
    }
    const x = join(tmp, 'm.f32');
    writeFileSync(x, new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer));
    writeFileSync(join(tmp, 'm.json'), JSON.stringify({ name: 'tiny', n: 3, d: 2, dtype: 'float32', labels: 'm.labels.u8', labels_dtype: 'uint8' }));
    writeFileSync(join(tmp, 'm.labels.u8'), Uint8Array.from([0, 1, 1]));
    const ds = await loadDataset(`file:${x}`);
    expect(ds).toMatchObject({ title: 'tiny', n: 3, d: 2, classes: 2 });
    expect([...ds.x]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...ds.labels!]).toEqual([0, 1, 1]);
    const firstTwo = await loadDataset(`file:${x},n=2`);
    expect(firstTwo.n).toBe(2);
    expect([...firstTwo.labels!]).toEqual([0, 1]);
  });
});

describe('Fashion-MNIST', () => {
  const embedded = embeddedFashionMnistDir();
  const present = existsSync(join(embedded, 't10k-images-idx3-ubyte.gz'));
  it.skipIf(!present)('the embedded 10k demo set loads as 10000 x 784 with 1000 rows per class', async () => {
    const ds = await loadDataset('fmnist-10k:n=10000');
    expect(ds.n).toBe(10000);
    expect(ds.d).toBe(784);
    expect(ds.classes).toBe(10);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.labels!) counts[l]!++;
    expect(counts).toEqual(new Array(10).fill(1000));
    expect(Math.max(...ds.x.subarray(0, 784 * 100))).toBeLessThanOrEqual(255);
  });
  if (!present) console.warn(`skipped: the embedded Fashion-MNIST files are not at ${embedded}`);

  it('a missing directory is a CLOSTERA_IO error naming the file', async () => {
    const { loadFashionMnist } = await import('../src/index.js');
    await expect(loadFashionMnist(join(tmp, 'nowhere'), ['t10k'], 'x', 'x')).rejects.toMatchObject({ code: 'CLOSTERA_IO' });
  });
});

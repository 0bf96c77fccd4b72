/**
 * Fashion-MNIST from its original gzipped IDX files: Debian's `dataset-fashion-mnist` package
 * (70,000 x 784, 10 classes) or the 10,000-row demo set embedded in the repository.
 *
 * Pixels are kept as their raw 0..255 values (no scaling), exactly as stored, so objectives are
 * comparable with any other tool reading the same files.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ioError } from '../errors.js';
import { repoRoot } from '../paths.js';
import { readIdx } from './idx.js';
import type { Dataset } from './types.js';

/** Where Debian's `dataset-fashion-mnist` installs the IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The embedded demo set (the t10k files), relative to the repository root. */
export const EMBEDDED_FASHION_MNIST_DIR = join('datasets', 'fashion-mnist-10k');

/** Which parts to load: `train` (60,000 rows), `t10k` (10,000 rows), or both (train first). */
export type FashionMnistPart = 'train' | 't10k';

async function loadPart(dir: string, part: FashionMnistPart): Promise<{ x: Float32Array; labels: Uint32Array; d: number }> {
  const images = join(dir, `${part}-images-idx3-ubyte.gz`);
  const labelsFile = join(dir, `${part}-labels-idx1-ubyte.gz`);
  for (const f of [images, labelsFile]) {
    if (!existsSync(f)) {
      throw ioError(`Fashion-MNIST file ${f} is missing` + (dir === DEBIAN_FASHION_MNIST_DIR ? ' (apt-get install dataset-fashion-mnist)' : ''));
    }
  }
  const img = await readIdx(images);
  const lab = await readIdx(labelsFile);
  const n = img.shape[0] ?? 0;
  const d = img.shape.slice(1).reduce((a, b) => a * b, 1);
  if (lab.shape[0] !== n) throw ioError(`${labelsFile} has ${lab.shape[0]} labels for ${n} images`);
  return { x: img.data, labels: Uint32Array.from(lab.data), d };
}

/**
 * Loads Fashion-MNIST parts from `dir` and concatenates them (optionally keeping the first `n` rows).
 *
 * @param dir - folder holding `<part>-images-idx3-ubyte.gz` and `<part>-labels-idx1-ubyte.gz`.
 * @throws {@link ClosteraError} `CLOSTERA_IO` when a file is missing, `CLOSTERA_FORMAT` when one is corrupt.
 */
export async function loadFashionMnist(dir: string, parts: FashionMnistPart[], id: string, title: string, n?: number): Promise<Dataset> {
  const loaded = [];
  for (const p of parts) loaded.push(await loadPart(dir, p));
  const d = loaded[0]!.d;
  const total = loaded.reduce((s, p) => s + p.labels.length, 0);
  const rows = Math.min(n ?? total, total);
  const x = new Float32Array(rows * d);
  const labels = new Uint32Array(rows);
  let at = 0;
  for (const p of loaded) {
    const take = Math.min(p.labels.length, rows - at);
    if (take <= 0) break;
    x.set(p.x.subarray(0, take * d), at * d);
    labels.set(p.labels.subarray(0, take), at);
    at += take;
  }
  return {
    id,
    title,
    n: rows,
    d,
    x,
    labels,
    classes: 10,
    source: `${parts.map((p) => join(dir, `${p}-{images-idx3,labels-idx1}-ubyte.gz`)).join(' + ')}${rows < total ? ` (first ${rows} rows)` : ''}`,
    series: 'fmnist',
  };
}

/** Folder of the embedded demo set in this checkout. */
export function embeddedFashionMnistDir(): string {
  return join(repoRoot(), EMBEDDED_FASHION_MNIST_DIR);
}

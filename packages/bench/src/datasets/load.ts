/**
 * Loads any dataset spec into memory.
 *
 * @module
 */
import { generate } from '../synthetic/generate.js';
import { DEBIAN_FASHION_MNIST_DIR, embeddedFashionMnistDir, loadFashionMnist, type FashionMnistPart } from './fashion-mnist.js';
import { loadFile } from './file.js';
import { formatDatasetSpec, parseDatasetSpec, seriesKey, type DatasetSpec, type FashionMnistVariant } from './spec.js';
import type { Dataset } from './types.js';

const FMNIST: Record<FashionMnistVariant, { dir: () => string; parts: FashionMnistPart[]; title: string }> = {
  fmnist: { dir: () => DEBIAN_FASHION_MNIST_DIR, parts: ['train', 't10k'], title: 'Fashion-MNIST' },
  'fmnist-train': { dir: () => DEBIAN_FASHION_MNIST_DIR, parts: ['train'], title: 'Fashion-MNIST train' },
  'fmnist-test': { dir: () => DEBIAN_FASHION_MNIST_DIR, parts: ['t10k'], title: 'Fashion-MNIST test' },
  'fmnist-10k': { dir: embeddedFashionMnistDir, parts: ['t10k'], title: 'Fashion-MNIST 10k (embedded)' },
};

/**
 * Loads a dataset from its spec (a string as given to `--dataset`, or a parsed spec).
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for a bad spec, `CLOSTERA_IO` /
 *   `CLOSTERA_FORMAT` for unreadable files, `CLOSTERA_UNSUPPORTED` when a `file:` dataset needs
 *   `@clostera/io` and it is absent.
 */
export async function loadDataset(input: string | DatasetSpec): Promise<Dataset> {
  const spec = typeof input === 'string' ? parseDatasetSpec(input) : input;
  const id = formatDatasetSpec(spec);
  const series = seriesKey(spec);
  switch (spec.kind) {
    case 'fmnist': {
      const v = FMNIST[spec.variant];
      const data = await loadFashionMnist(v.dir(), v.parts, id, v.title, spec.n);
      return { ...data, ...(series === undefined ? {} : { series }) };
    }
    case 'synthetic': {
      const s = spec.spec;
      const { x, labels } = generate(s);
      return {
        id,
        title: `${s.family} ${s.n}x${s.d} k=${s.k}`,
        n: s.n,
        d: s.d,
        x,
        labels,
        classes: s.k,
        source: `synthetic family '${s.family}', seed ${s.seed}`,
        ...(series === undefined ? {} : { series }),
      };
    }
    case 'file': {
      const { path, ...options } = spec;
      return loadFile(path, id, options);
    }
  }
}

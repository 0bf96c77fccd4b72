/**
 * Dataset spec strings, as given to `--dataset`:
 *
 * - `fmnist` (Debian's 70,000 x 784 train + test), `fmnist-train` (60,000), `fmnist-test`
 *   (10,000), `fmnist-10k` (the demo set embedded in the repository); each takes `:n=N` to keep
 *   the first N rows;
 * - `<family>:n=N,d=D,k=K,seed=S` for a synthetic family (omitted values take defaults);
 * - `file:PATH[,labels=PATH][,d=D][,n=N]` for any file `@clostera/io` reads.
 *
 * @module
 */
import { invalidArgument } from '../errors.js';
import { FAMILIES, family } from '../synthetic/catalog.js';
import type { SyntheticSpec } from '../synthetic/generate.js';

/** The Fashion-MNIST variants. */
export type FashionMnistVariant = 'fmnist' | 'fmnist-train' | 'fmnist-test' | 'fmnist-10k';

/** A parsed dataset spec. */
export type DatasetSpec =
  | { kind: 'fmnist'; variant: FashionMnistVariant; n?: number }
  | { kind: 'synthetic'; spec: SyntheticSpec }
  | { kind: 'file'; path: string; labels?: string; d?: number; n?: number };

/** Defaults of a synthetic spec that leaves values out. */
export const SYNTHETIC_DEFAULTS = { n: 10_000, k: 16, seed: 1 } as const;

const FMNIST_VARIANTS: readonly FashionMnistVariant[] = ['fmnist', 'fmnist-train', 'fmnist-test', 'fmnist-10k'];

function parseParams(text: string, allowed: readonly string[], what: string): Map<string, string> {
  const params = new Map<string, string>();
  if (text === '') return params;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0 || !allowed.includes(key)) {
      throw invalidArgument(`dataset ${what}: cannot parse '${part}'`, { expected: allowed.map((a) => `${a}=...`), actual: part });
    }
    params.set(key, part.slice(eq + 1));
  }
  return params;
}

function integer(params: Map<string, string>, key: string, what: string): number | undefined {
  const v = params.get(key);
  if (v === undefined) return undefined;
  // Accept 1e6-style values: convenient for large synthetic sizes.
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw invalidArgument(`dataset ${what}: ${key} must be an integer`, { actual: v });
  return n;
}

/**
 * Parses a dataset spec string.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` naming the accepted forms.
 */
export function parseDatasetSpec(text: string): DatasetSpec {
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if ((FMNIST_VARIANTS as readonly string[]).includes(head)) {
    const n = integer(parseParams(rest, ['n'], text), 'n', text);
    return { kind: 'fmnist', variant: head as FashionMnistVariant, ...(n === undefined ? {} : { n }) };
  }
  if (head === 'file') {
    const [path = '', ...more] = rest.split(',');
    if (path === '') throw invalidArgument(`dataset ${text}: file: needs a path`);
    const params = parseParams(more.join(','), ['labels', 'd', 'n'], text);
    const d = integer(params, 'd', text);
    const n = integer(params, 'n', text);
    const labels = params.get('labels');
    return { kind: 'file', path, ...(labels === undefined ? {} : { labels }), ...(d === undefined ? {} : { d }), ...(n === undefined ? {} : { n }) };
  }
  if (FAMILIES.some((f) => f.name === head)) {
    const fam = family(head);
    const params = parseParams(rest, ['n', 'd', 'k', 'seed'], text);
    return {
      kind: 'synthetic',
      spec: {
        family: fam.name,
        n: integer(params, 'n', text) ?? SYNTHETIC_DEFAULTS.n,
        d: integer(params, 'd', text) ?? fam.defaultD,
        k: integer(params, 'k', text) ?? SYNTHETIC_DEFAULTS.k,
        seed: integer(params, 'seed', text) ?? SYNTHETIC_DEFAULTS.seed,
      },
    };
  }
  throw invalidArgument(`unknown dataset '${text}'`, {
    expected: [...FMNIST_VARIANTS, ...FAMILIES.map((f) => `${f.name}:n=..,d=..,k=..,seed=..`), 'file:PATH[,labels=PATH][,d=D][,n=N]'],
    actual: text,
  });
}

/** The canonical string of a spec: parsing it gives the same spec, and it is the dataset's id. */
export function formatDatasetSpec(spec: DatasetSpec): string {
  switch (spec.kind) {
    case 'fmnist':
      return spec.n === undefined ? spec.variant : `${spec.variant}:n=${spec.n}`;
    case 'synthetic': {
      const s = spec.spec;
      return `${s.family}:n=${s.n},d=${s.d},k=${s.k},seed=${s.seed}`;
    }
    case 'file': {
      const extra = [
        ...(spec.labels === undefined ? [] : [`labels=${spec.labels}`]),
        ...(spec.d === undefined ? [] : [`d=${spec.d}`]),
        ...(spec.n === undefined ? [] : [`n=${spec.n}`]),
      ];
      return ['file:' + spec.path, ...extra].join(',');
    }
  }
}

/** The key shared by specs that differ only in their row count (for time-vs-N plots). */
export function seriesKey(spec: DatasetSpec): string | undefined {
  switch (spec.kind) {
    case 'fmnist':
      return spec.variant === 'fmnist' || spec.variant === 'fmnist-train' ? 'fmnist' : spec.variant;
    case 'synthetic':
      return `${spec.spec.family}:d=${spec.spec.d},k=${spec.spec.k},seed=${spec.spec.seed}`;
    case 'file':
      return undefined;
  }
}

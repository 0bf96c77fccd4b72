/**
 * The named suites: which datasets, metrics and K values run, and with what method settings.
 *
 * `quick` is sized to finish within 10 minutes on a 2-core machine with every engine present;
 * `full` holds the reference cases (Fashion-MNIST 70k at K = 10/100/1000 under l2 and cos,
 * a 1M x 128 mixture at K = 256, 200k x 768 at K = 1024), the time-vs-N series and every hard family.
 *
 * @module
 */
import { invalidArgument } from '../errors.js';
import type { BenchMetric } from '../metrics/objective.js';
import type { Settings } from '../results/schema.js';

/** One dataset with the metrics and K values to run on it. */
export interface SuiteCase {
  /** Dataset spec. */
  dataset: string;
  /** Metrics. */
  metrics: BenchMetric[];
  /** Cluster counts. */
  ks: number[];
}

/** A named suite. */
export interface Suite {
  /** Name given to `--suite`. */
  name: string;
  /** What it covers. */
  description: string;
  /** Cases in run order. */
  cases: SuiteCase[];
  /** Method settings (threads are set by the command line). */
  settings: Omit<Settings, 'threads'>;
}

const QUICK: Suite = {
  name: 'quick',
  description: 'the embedded Fashion-MNIST 10k set under l2 and cos, a small time-vs-N series, and the Zipf and direction/magnitude families',
  cases: [
    { dataset: 'fmnist-10k', metrics: ['l2'], ks: [10, 100] },
    { dataset: 'fmnist-10k', metrics: ['cos'], ks: [100] },
    { dataset: 'gaussian:n=5000,d=32,k=32,seed=1', metrics: ['l2'], ks: [32] },
    { dataset: 'gaussian:n=20000,d=32,k=32,seed=1', metrics: ['l2'], ks: [32] },
    { dataset: 'gaussian:n=50000,d=32,k=32,seed=1', metrics: ['l2'], ks: [32] },
    { dataset: 'zipf:n=20000,d=32,k=32,seed=1', metrics: ['l2'], ks: [32] },
    { dataset: 'dir-mag:n=20000,d=32,k=16,seed=1', metrics: ['l2', 'cos'], ks: [16] },
  ],
  settings: { repeats: 3, warmup: 1, warmupIter: 2, maxIter: 20, timeoutSeconds: 120, seed: 1 },
};

const FULL: Suite = {
  name: 'full',
  description: "the issue's reference cases, time-vs-N and time-vs-K series and every synthetic family",
  cases: [
    { dataset: 'fmnist', metrics: ['l2', 'cos'], ks: [10, 100, 1000] },
    { dataset: 'gaussian:n=100000,d=128,k=256,seed=1', metrics: ['l2'], ks: [256] },
    { dataset: 'gaussian:n=300000,d=128,k=256,seed=1', metrics: ['l2'], ks: [256] },
    { dataset: 'gaussian:n=1000000,d=128,k=256,seed=1', metrics: ['l2'], ks: [256] },
    { dataset: 'gaussian:n=200000,d=768,k=1024,seed=1', metrics: ['l2'], ks: [1024] },
    { dataset: 'zipf:n=100000,d=32,k=64,seed=1', metrics: ['l2'], ks: [64] },
    { dataset: 'anisotropic:n=100000,d=32,k=64,seed=1', metrics: ['l2'], ks: [64] },
    { dataset: 'student-t:n=100000,d=32,k=64,seed=1', metrics: ['l2'], ks: [64] },
    { dataset: 'hubs:n=100000,d=256,k=64,seed=1', metrics: ['l2'], ks: [64] },
    { dataset: 'swiss-roll:n=100000,d=16,k=32,seed=1', metrics: ['l2'], ks: [32] },
    { dataset: 'irrelevant:n=100000,d=64,k=32,seed=1', metrics: ['l2'], ks: [32] },
    { dataset: 'dir-mag:n=100000,d=64,k=32,seed=1', metrics: ['l2', 'cos'], ks: [32] },
  ],
  settings: { repeats: 3, warmup: 1, warmupIter: 2, maxIter: 20, timeoutSeconds: 1800, seed: 1 },
};

/** Every named suite. */
export const SUITES: readonly Suite[] = [QUICK, FULL];

/**
 * The suite called `name`.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` naming the known suites.
 */
export function suite(name: string): Suite {
  const s = SUITES.find((x) => x.name === name);
  if (s === undefined) throw invalidArgument(`unknown suite '${name}'`, { expected: SUITES.map((x) => x.name), actual: name });
  return s;
}

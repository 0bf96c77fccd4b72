/**
 * The static `auto` rule over (N, D, K, metric).
 *
 * Derived from the committed benchmark results: the quick suite (`20261123-140904-quick.json`,
 * re-measured with random seeds on the default subsample in `20261123-165617-quick.json`:
 * Fashion-MNIST 10k x 784 at K = 10 and 100 under l2, K = 100 under cos; Gaussian mixtures of
 * 5k, 20k and 50k x 32 at K = 32; Zipf 20k x 32 at K = 32; direction/magnitude 20k x 32 at K = 16
 * under l2 and cos), and the issue-3 cells (Fashion-MNIST 70k x 784 at K = 10 to 1000, Gaussian
 * 1M x 128 at K = 256 over three seeds, 200k x 768 at K = 1024). Gaps below are objectives relative to the best of our measured
 * configurations in the same cell (lower objective is better). Each branch keeps the
 * configurations within 2.5% of the best in every measured cell of the branch and takes the
 * cheapest: the default training subsample when it qualifies (it does the same work as all rows
 * when N <= 256 K, and far less beyond).
 *
 * `dense-exact-nredo` has no measured contender yet, so the rule never picks it. The replay test
 * (`test/replay.test.ts`) re-checks every cell of the committed results files against this rule
 * (each cell from the newest file that measured the rule's choice there).
 *
 * @module
 */
import { RANDOM_320, RANDOM_SUBSAMPLE, ROW_SUBSAMPLE } from './configurations.js';
import type { Configuration, Problem, SelectionStep } from './types.js';

/** Version tag of the rule: the results it was derived from. */
export const RULE_VERSION = 'quick-20261123-165617+1m-20261202';

/**
 * Dimension from which l2 problems take k-means++ seeding on the default subsample. The measured
 * cells have D = 32 (random seeding needed) and D = 784 (k-means++ on the subsample is within
 * 0.71% and 2.4x faster); 160 sits near their geometric mean until cells in between are measured.
 */
export const HIGH_D = 160;

/**
 * N from which l2 problems at D < 160 train on 320 rows per centroid instead of the default 256.
 * Measured on the Gaussian mixture 1M x 128, K = 256, seeds 1-3 (20261202, AMD EPYC, 2 threads):
 * the default sample landed +0.14%, +0.26% and -0.11% from FAISS's (same size) objective, 320
 * per centroid -0.21%, -0.27% and -0.52% at 3.1-3.6x FAISS's speed (384 per centroid: -0.42% to
 * -0.84% at 2.8-3.4x). The smaller measured cells (N <= 50,000) stay on the default sample.
 */
export const LARGE_N = 500_000;

/** Why l2 at D < HIGH_D takes random seeds: the evidence both of its N branches share. */
const RANDOM_SEEDS_AT_LOW_D = 'k-means++ seeding was +2.91% (subsample) and +3.92% (all rows) on dir-mag 20000x32 K=16';

/** The shapes the rule was measured on (outside them its choice is an extrapolation). */
export const MEASURED_RANGE = {
  n: [5_000, 1_000_000],
  d: [32, 784],
  k: [10, 1024],
} as const;

/** The rule's decision: a configuration and the steps that led to it. */
export interface Decision {
  /** What the rule picks. */
  configuration: Configuration;
  /** The decisions taken, in order. */
  path: SelectionStep[];
}

/** Applies the rule to a (checked) problem. */
export function decide(p: Problem): Decision {
  const path: SelectionStep[] = [];
  if (p.metric === 'cos') {
    path.push({
      test: 'metric',
      value: 'cos',
      branch: 'dense-exact-row on the default subsample',
      because:
        'k-means++ seeding: random seeds measured +81% objective on dir-mag 20000x32 K=16 and +1.1% on Fashion-MNIST 10000x784 K=100; ' +
        'the default training subsample stayed within 0.33% of training on all rows',
    });
    return { configuration: ROW_SUBSAMPLE, path };
  }
  path.push({
    test: 'metric',
    value: 'l2',
    branch: 'split on D',
    because: 'the measured l2 cells want k-means++ seeding at D = 784 but random seeds at D = 32',
  });
  if (p.d >= HIGH_D) {
    path.push({
      test: 'D',
      value: p.d,
      branch: `>= ${HIGH_D}: dense-exact-row on the default subsample`,
      because:
        'measured on Fashion-MNIST 10000x784: +0.71% at K=10 (2.4x faster than all rows) and the best objective at K=100; ' +
        'random seeds were +0.27% and +0.58%',
    });
    return { configuration: ROW_SUBSAMPLE, path };
  }
  if (p.n >= LARGE_N) {
    path.push({
      test: 'D',
      value: p.d,
      branch: `< ${HIGH_D}: dense-exact-random; split on N`,
      because: `random seeds: ${RANDOM_SEEDS_AT_LOW_D}, and no better on 1M x 128 K=256 (+0.06%, seed 1) at 1.45x the time`,
    });
    path.push({
      test: 'N',
      value: p.n,
      branch: `>= ${LARGE_N}: dense-exact-random on 320 rows per centroid`,
      because:
        'measured on 1M x 128 K=256, seeds 1-3: -0.21% to -0.52% against FAISS at 3.1-3.6x its speed; the default 256 per centroid landed -0.11% to +0.26% (seed noise)',
    });
    return { configuration: RANDOM_320, path };
  }
  path.push({
    test: 'D',
    value: p.d,
    branch: `< ${HIGH_D}: dense-exact-random on the default subsample`,
    because:
      `measured on 5 cells at D=32 (Gaussian, Zipf, dir-mag; N 5k-50k) within 0.84% of our best; ${RANDOM_SEEDS_AT_LOW_D}`,
  });
  return { configuration: RANDOM_SUBSAMPLE, path };
}

/** Where a problem lies outside {@link MEASURED_RANGE}, one note per dimension (empty when inside). */
export function outsideMeasuredRange(p: Problem): string[] {
  const notes: string[] = [];
  const check = (name: string, value: number, [lo, hi]: readonly [number, number]): void => {
    if (value < lo || value > hi) notes.push(`${name} = ${value} is outside the measured ${name} range ${lo}..${hi}`);
  };
  check('N', p.n, MEASURED_RANGE.n);
  check('D', p.d, MEASURED_RANGE.d);
  check('K', p.k, MEASURED_RANGE.k);
  return notes;
}

/**
 * Turns a suite plus command-line overrides into the list of cases, contenders and settings to run.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { selectContenders } from '../contenders/registry.js';
import type { Contender } from '../contenders/types.js';
import { parseDatasetSpec } from '../datasets/spec.js';
import { invalidArgument } from '../errors.js';
import type { BenchMetric } from '../metrics/objective.js';
import type { Settings } from '../results/schema.js';
import { suite as findSuite, type SuiteCase } from './suites.js';

/** Overrides accepted on the command line. */
export interface PlanOptions {
  /** Suite name (default `quick`). */
  suite?: string;
  /** Replace the suite's datasets by these specs. */
  datasets?: string[];
  /** Replace every case's K values. */
  ks?: number[];
  /** Keep only these metrics (with `datasets`: the metrics to run on them). */
  metrics?: BenchMetric[];
  /** Contender ids or families (default all). */
  contenders?: string[];
  /** Threads per contender (default: all cores). */
  threads?: number;
  /** Timed repetitions per row. */
  repeats?: number;
  /** Warm-up fits per row. */
  warmup?: number;
  /**
   * Iterations of each warm-up fit (the suite's default is 2). A full-length warm-up (the timed
   * iteration count) also warms every code path of a timed fit, which JIT-compiled contenders
   * otherwise compile during the first timed fits.
   */
  warmupIter?: number;
  /** Fixed iteration count. */
  maxIter?: number;
  /** Per-fit timeout, seconds. */
  timeoutSeconds?: number;
  /** Initialisation seed. */
  seed?: number;
}

/** Everything a run needs to know. */
export interface Plan {
  /** Suite name, or `custom` when datasets were given. */
  suite: string;
  /** Cases in run order. */
  cases: SuiteCase[];
  /** Contenders in report order. */
  contenders: Contender[];
  /** Method settings. */
  settings: Settings;
}

function positiveInteger(name: string, v: number | undefined, min = 1): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) throw invalidArgument(`${name} must be an integer >= ${min}`, { actual: v });
}

/**
 * Builds the plan.
 *
 * With `datasets`, each named dataset becomes a case; its metrics and K values come from the
 * options, else from the suite's case for the same dataset, else `l2` and K = its class count
 * (10 when unknown). Without `datasets`, `ks` replaces every case's K values and `metrics` filters them.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for an unknown suite, dataset or
 *   contender, or a non-positive setting.
 */
export function makePlan(options: PlanOptions = {}): Plan {
  const base = findSuite(options.suite ?? 'quick');
  for (const [name, v, min] of [
    ['threads', options.threads, 1],
    ['repeats', options.repeats, 1],
    ['warmup', options.warmup, 0],
    ['warmupIter', options.warmupIter, 1],
    ['maxIter', options.maxIter, 1],
  ] as const) positiveInteger(name, v, min);
  if (options.timeoutSeconds !== undefined && !(options.timeoutSeconds > 0)) throw invalidArgument('timeout must be positive', { actual: options.timeoutSeconds });
  for (const k of options.ks ?? []) positiveInteger('k', k);
  let cases: SuiteCase[];
  if (options.datasets !== undefined && options.datasets.length > 0) {
    cases = options.datasets.map((dataset) => {
      const spec = parseDatasetSpec(dataset);
      const fromSuite = base.cases.find((c) => c.dataset === dataset);
      const classes = spec.kind === 'synthetic' ? spec.spec.k : spec.kind === 'fmnist' ? 10 : undefined;
      return {
        dataset,
        metrics: options.metrics ?? fromSuite?.metrics ?? ['l2'],
        ks: options.ks ?? fromSuite?.ks ?? [classes ?? 10],
      };
    });
  } else {
    cases = base.cases
      .map((c) => ({ dataset: c.dataset, metrics: c.metrics.filter((m) => options.metrics === undefined || options.metrics.includes(m)), ks: options.ks ?? c.ks }))
      .filter((c) => c.metrics.length > 0);
  }
  const custom = options.datasets !== undefined && options.datasets.length > 0;
  return {
    suite: custom ? 'custom' : base.name,
    cases,
    contenders: selectContenders(options.contenders),
    settings: {
      repeats: options.repeats ?? base.settings.repeats,
      warmup: options.warmup ?? base.settings.warmup,
      warmupIter: options.warmupIter ?? base.settings.warmupIter,
      maxIter: options.maxIter ?? base.settings.maxIter,
      timeoutSeconds: options.timeoutSeconds ?? base.settings.timeoutSeconds,
      seed: options.seed ?? base.settings.seed,
      threads: options.threads ?? availableParallelism(),
    },
  };
}

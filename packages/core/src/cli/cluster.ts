/**
 * `clostera cluster <input>`: cluster a file, write labels / centroids / the model.
 *
 * @module
 */
import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { open, writeCentroids, writeLabels, type OpenedSource } from '@clostera/io';
import { saveModel } from '@clostera/kmeans';
import { availableAlgorithms } from '../algorithms.js';
import { Clusterer } from '../clusterer.js';
import type { ClustererOptions } from '../options.js';
import { addInputFlags, openOptions, type InputFlags } from './input-flags.js';
import { StagedOutputs } from './outputs.js';
import * as parse from './parse.js';
import { clusterReport, formatReport, type WrittenFile } from './report.js';
import type { RunContext } from './run.js';
import { runCommand } from './run.js';

/** Flags of `cluster`. */
export interface ClusterFlags extends InputFlags {
  k: number;
  metric: 'l2' | 'cos';
  algorithm: string;
  seed: number;
  maxIter?: number;
  tol?: number;
  threads?: number;
  maxRam?: number;
  out?: string;
  centroids?: string;
  saveModel?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Adds the engine flags shared by `cluster` and `demo`. */
export function addEngineFlags(command: Command, defaults: { metric?: string } = {}): Command {
  return command
    .addOption(new Option('-m, --metric <metric>', 'l2 (squared Euclidean) or cos (spherical k-means)').argParser(parse.metric).default(defaults.metric ?? 'l2'))
    .addOption(new Option('-a, --algorithm <name>', `backend, or auto to let the measured rule choose (${availableAlgorithms().join(', ')})`).argParser(parse.algorithm).default('auto'))
    .option('--seed <n>', 'seed of every random choice (same seed, same result)', parse.nonNegativeInt, 1234)
    .option('--max-iter <n>', 'maximum Lloyd iterations (default 25)', parse.nonNegativeInt)
    .option('--tol <x>', 'stop when the objective improves by less than this fraction (default 1e-4; 0 runs every iteration)', parse.nonNegativeNumber)
    .option('--threads <n>', 'native threads (default: CLOSTERA_NUM_THREADS or every core)', parse.positiveInt)
    .option('--max-ram <size>', 'memory budget for the rows read in, e.g. 8GiB (default: half the RAM); larger inputs train on a sample', parse.byteSize)
    .option('--json', 'print the result as JSON on stdout')
    .option('-q, --quiet', 'no progress on stderr');
}

/** Clusterer options from the flags, wired to the run's cancellation and progress view. */
export function clustererOptions(flags: ClusterFlags, ctx: RunContext): ClustererOptions {
  const o: ClustererOptions = {
    k: flags.k,
    metric: flags.metric,
    algorithm: flags.algorithm as ClustererOptions['algorithm'],
    seed: flags.seed,
    signal: ctx.signal,
    onProgress: (p) => ctx.view.update(p),
    onIteration: (s) => ctx.view.iteration(s),
  };
  if (flags.maxIter !== undefined) o.maxIter = flags.maxIter;
  if (flags.tol !== undefined) o.tol = flags.tol;
  if (flags.threads !== undefined) o.threads = flags.threads;
  if (flags.maxRam !== undefined) o.maxRam = flags.maxRam;
  return o;
}

/** Stages the requested outputs of a fitted clusterer and describes them. */
export async function stageOutputs(c: Clusterer, targets: { out?: string; centroids?: string; saveModel?: string }, ctx: RunContext): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  const shown = (p: string): string => relative(process.cwd(), p) || p;
  if (targets.out !== undefined) {
    await ctx.outputs.stage(targets.out, (tmp, format) => writeLabels(tmp, c.labels, format ? { format } : {}));
    written.push({ kind: 'labels', path: shown(targets.out), description: `uint32, ${c.labels.length.toLocaleString('en-US')} rows` });
    ctx.checkpoint();
  }
  if (targets.centroids !== undefined) {
    await ctx.outputs.stage(targets.centroids, (tmp, format) => writeCentroids(tmp, c.centroids, c.model.d, format ? { format } : {}));
    written.push({ kind: 'centroids', path: shown(targets.centroids), description: `float32, ${c.k} x ${c.model.d}` });
    ctx.checkpoint();
  }
  if (targets.saveModel !== undefined) {
    await ctx.outputs.stage(targets.saveModel, (tmp) => saveModel(c.model, tmp), false);
    written.push({ kind: 'model', path: shown(targets.saveModel), description: `Clostera k-means model, load with Clusterer.load` });
  }
  return written;
}

/** Checks every output target before any work (a bad extension or directory fails in milliseconds, not after the fit). */
export function checkTargets(targets: { out?: string; centroids?: string; saveModel?: string }): void {
  if (targets.out !== undefined) StagedOutputs.check(targets.out, true);
  if (targets.centroids !== undefined) StagedOutputs.check(targets.centroids, true);
  if (targets.saveModel !== undefined) StagedOutputs.check(targets.saveModel, false);
}

async function cluster(input: string, flags: ClusterFlags): Promise<number> {
  checkTargets(flags);
  return runCommand(flags.quiet === true, async (ctx) => {
    let source: OpenedSource | undefined;
    try {
      source = await open(input, openOptions(flags));
      const c = new Clusterer(clustererOptions(flags, ctx));
      await c.fit(source, { signal: ctx.signal });
      ctx.view.stop();
      const written = await stageOutputs(c, flags, ctx);
      const report = clusterReport(c, { path: input, format: source.detection.format, n: source.n, d: source.d, dtype: source.dtype }, flags.algorithm, written);
      return flags.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report);
    } finally {
      await source?.close();
    }
  });
}

/** Registers `cluster` on the program; the action stores its exit code through `setExit`. */
export function registerCluster(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('cluster')
    .description('cluster the vectors of a file (.npy, Parquet, Arrow, .fvecs, raw) and write labels and centroids')
    .argument('<input>', 'vectors file')
    .requiredOption('-k, --k <k>', 'number of clusters', parse.positiveInt)
    .option('-o, --out <file>', 'write the labels (uint32, one per row) to a .npy or .parquet file')
    .option('-c, --centroids <file>', 'write the centroids (float32, k x d) to a .npy or .parquet file')
    .option('--save-model <file>', 'save the fitted model (load it with Clusterer.load)');
  addEngineFlags(command);
  addInputFlags(command);
  command.action(async (input: string, flags: ClusterFlags) => setExit(await cluster(input, flags)));
}

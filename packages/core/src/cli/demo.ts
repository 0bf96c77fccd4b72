/**
 * `clostera demo`: the README's main job. Clusters the 10,000 embedded Fashion-MNIST test images
 * (784 dimensions, MIT licence, `datasets/fashion-mnist-10k/`) with `auto`, prints N, D, K, the
 * backend and why, the time, the objective and the V-measure against the true classes, and writes
 * the labels and centroids under `out/`.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { simdInfo, ClosteraError, ErrorCode } from '@clostera/kernels';
import { Clusterer } from '../clusterer.js';
import { checkTargets, clustererOptions, addEngineFlags, stageOutputs, type ClusterFlags } from './cluster.js';
import * as parse from './parse.js';
import { clusterReport, formatReport } from './report.js';
import { runCommand } from './run.js';

interface DemoFlags extends Omit<ClusterFlags, 'out' | 'centroids' | 'saveModel'> {
  outDir: string;
}

/** The part of `@clostera/bench` the demo uses (imported lazily: it ships with the repository only). */
interface BenchModule {
  embeddedFashionMnistDir(): string;
  loadFashionMnist(dir: string, parts: ['t10k'], id: string, title: string): Promise<{ n: number; d: number; x: Float32Array; labels?: Uint32Array }>;
  externalScores(truth: ArrayLike<number>, predicted: ArrayLike<number>): { vMeasure: number; homogeneity: number; completeness: number; nmi: number; ari: number };
}

async function benchModule(): Promise<BenchModule> {
  try {
    return (await import('@clostera/bench')) as unknown as BenchModule;
  } catch (error) {
    throw new ClosteraError(ErrorCode.Io, 'clostera demo needs @clostera/bench and the embedded dataset, which ship with the repository checkout', { cause: error });
  }
}

async function demo(flags: DemoFlags): Promise<number> {
  const labelsPath = join(flags.outDir, 'labels.npy');
  const centroidsPath = join(flags.outDir, 'centroids.npy');
  mkdirSync(flags.outDir, { recursive: true });
  checkTargets({ out: labelsPath, centroids: centroidsPath });
  return runCommand(flags.quiet === true, async (ctx) => {
    const bench = await benchModule();
    const dir = bench.embeddedFashionMnistDir();
    const loadStarted = performance.now();
    const data = await bench.loadFashionMnist(dir, ['t10k'], 'fmnist-t10k', 'Fashion-MNIST test set');
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    ctx.checkpoint();
    const c = new Clusterer(clustererOptions({ ...flags, out: undefined } as ClusterFlags, ctx));
    await c.fit(data.x, { d: data.d });
    ctx.view.stop();
    const written = await stageOutputs(c, { out: labelsPath, centroids: centroidsPath }, ctx);
    const report = clusterReport(c, { path: relative(process.cwd(), dir) || dir, format: 'Fashion-MNIST IDX (gzip), MIT licence', n: data.n, d: data.d, dtype: 'uint8 pixels as float32' }, flags.algorithm, written);
    if (data.labels !== undefined) {
      const s = bench.externalScores(data.labels, c.labels);
      report.scores = { 'V-measure': s.vMeasure, homogeneity: s.homogeneity, completeness: s.completeness, NMI: s.nmi, ARI: s.ari };
    }
    if (flags.json) return JSON.stringify({ ...report, loadSeconds }, null, 2) + '\n';
    const info = simdInfo();
    const head = `machine   SIMD ${info.inUse}, ${info.threads} threads; data loaded in ${loadSeconds.toFixed(2)} s\n`;
    return head + formatReport(report);
  });
}

/** Registers `demo` on the program. */
export function registerDemo(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('demo')
    .description('cluster the embedded Fashion-MNIST test set (10,000 x 784) with auto and report V-measure; writes out/labels.npy and out/centroids.npy')
    .option('-k, --k <k>', 'number of clusters', parse.positiveInt, 10)
    .option('--out-dir <dir>', 'where to write labels.npy and centroids.npy', 'out');
  addEngineFlags(command);
  command.action(async (flags: DemoFlags) => setExit(await demo(flags)));
}

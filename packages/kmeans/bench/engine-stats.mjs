// Inside-the-engine numbers for the dense exact backends: seeding time, the first (full)
// assignment's GFLOP/s against the measured FMA peak, and how many distance computations the
// exact Yinyang bounds skipped, per case. Not a test: numbers only.
// Usage: node packages/kmeans/bench/engine-stats.mjs [--iters 20] [--only fmnist]
// Writes benchmarks/results/kmeans-engine-stats.{json,md}.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '@clostera/bench';
import { simdInfo } from '@clostera/kernels';
import { fit } from '@clostera/kmeans';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ITERS = Number(arg('iters', 20));
const only = arg('only', '');
const CASES = [
  { dataset: 'fmnist', metric: 'l2', k: 10 },
  { dataset: 'fmnist', metric: 'l2', k: 100 },
  { dataset: 'fmnist', metric: 'l2', k: 1000 },
  { dataset: 'fmnist', metric: 'cos', k: 1000 },
  { dataset: 'gaussian:n=1000000,d=128,k=256,seed=1', metric: 'l2', k: 256 },
  { dataset: 'gaussian:n=200000,d=768,k=1024,seed=1', metric: 'l2', k: 1024 },
].filter((c) => c.dataset.startsWith(only));

execFileSync('cargo', ['build', '--offline', '--release', '-q', '-p', 'clostera-kernels', '--example', 'fma_peak'], { cwd: root, stdio: 'inherit' });
const peakOut = execFileSync(join(root, 'target', 'release', 'examples', 'fma_peak'), ['2', '2'], { encoding: 'utf8' });
const peak = Object.fromEntries(peakOut.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.level, r.gflops]));
const info = simdInfo();
// The fraction of peak is of the f32 FMA peak: with bf16 screening (avx512bf16) the f32-equivalent
// rate can exceed it, which is the point of the screen.
const f32Peak = peak[info.inUse === 'avx512bf16' || info.inUse === 'avx512amx' ? 'avx512' : info.inUse];
const rows = [];
for (const c of CASES) {
  const data = await loadDataset(c.dataset);
  for (const algorithm of ['dense-exact-row', 'dense-exact-random']) {
    const t0 = performance.now();
    let firstIterEnd = 0;
    const model = await fit(data.x, data.d, {
      k: c.k, metric: c.metric, algorithm, maxIter: ITERS, tol: 0, seed: 1, maxPointsPerCentroid: Infinity,
      onIteration: (s) => { if (s.iteration === 0) firstIterEnd = performance.now(); },
    });
    const seconds = (performance.now() - t0) / 1000;
    const it0 = model.stats[0];
    const gflop0 = (2 * data.n * c.k * data.d) / 1e9;
    const computed = model.stats.slice(1).reduce((s, x) => s + x.distancesComputed, 0);
    const skipped = model.stats.slice(1).reduce((s, x) => s + x.distancesSkipped, 0);
    const row = {
      dataset: data.id, n: data.n, d: data.d, k: c.k, metric: c.metric, algorithm, iterations: model.stats.length, seconds,
      seedSeconds: (firstIterEnd - t0) / 1000 - it0.seconds,
      firstIterationSeconds: it0.seconds, firstIterationGflops: gflop0 / it0.seconds,
      fractionOfPeak: gflop0 / it0.seconds / f32Peak,
      skippedAfterFirst: skipped / (skipped + computed),
      lastIterationSkipped: model.stats.at(-1).distancesSkipped / (model.stats.at(-1).distancesSkipped + model.stats.at(-1).distancesComputed),
      objective: model.objective,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
// With --only, rows of other cases measured earlier are kept (and marked with their own date).
const previousPath = join(root, 'benchmarks', 'results', 'kmeans-engine-stats.json');
if (only !== '' && existsSync(previousPath)) {
  const previous = JSON.parse(readFileSync(previousPath, 'utf8'));
  const key = (r) => `${r.dataset}|${r.metric}|${r.k}|${r.algorithm}`;
  const fresh = new Set(rows.map(key));
  const kept = previous.rows.filter((r) => !fresh.has(key(r))).map((r) => ({ ...r, measuredAt: r.measuredAt ?? previous.environment.date }));
  rows.unshift(...kept);
}
const env = { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, simd: info, peak, date: new Date().toISOString(), gitRevision: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim() };
const pct = (v) => `${(100 * v).toFixed(1)}%`;
const md = [
  '# Dense exact engine: inside-the-engine numbers',
  '',
  `Command: \`node packages/kmeans/bench/engine-stats.mjs --iters ${ITERS}\` (all rows, tol 0, seed 1).`,
  '',
  `Environment: ${env.cpu}, ${env.cores} cores, node ${env.node}, SIMD ${info.inUse}, ${info.threads} threads, git ${env.gitRevision.slice(0, 12)}, ${env.date}. FMA peak measured by \`fma_peak\`: ${Object.entries(peak).map(([l, g]) => `${l} ${g.toFixed(1)} GFLOP/s`).join(', ')}.`,
  '',
  'The first iteration computes every row against every centroid (the fused kernel inside the engine): its GFLOP/s (2·N·K·D / seconds, bookkeeping included) against the f32 FMA peak (of `avx512` when the level is `avx512bf16` or `avx512amx`: their screened passes rank centroids in bf16 and are counted in f32-equivalent flops, so they can exceed 100%). Later iterations go through the Yinyang bounds; "skipped" counts the row-centroid distances plain Lloyd would have computed that the bounds proved unnecessary.',
  '',
  '| dataset | N | D | K | metric | backend | total s | seeding s | iteration 0 GFLOP/s | % of peak | skipped (iterations 1+) | skipped (last) | objective |',
  '| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.dataset} | ${r.n} | ${r.d} | ${r.k} | ${r.metric} | ${r.algorithm} | ${r.seconds.toFixed(2)} | ${r.seedSeconds.toFixed(2)} | ${r.firstIterationGflops.toFixed(1)} | ${pct(r.fractionOfPeak)} | ${pct(r.skippedAfterFirst)} | ${pct(r.lastIterationSkipped)} | ${r.objective.toPrecision(7)} |`),
  '',
].join('\n');
const out = join(root, 'benchmarks', 'results');
mkdirSync(out, { recursive: true });
for (const [name, text] of [['kmeans-engine-stats.json', JSON.stringify({ environment: env, rows }, null, 2) + '\n'], ['kmeans-engine-stats.md', md]]) {
  writeFileSync(join(out, `.${name}.tmp`), text);
  renameSync(join(out, `.${name}.tmp`), join(out, name));
}
console.log(md);

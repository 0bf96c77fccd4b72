// Fused assignment benchmark against FAISS brute-force search, same data, same thread count,
// same run. Usage: npm run bench:kernels [-- --n 200000 --repeats 5 --threads 2]
// Writes benchmarks/results/kernels-assign.{json,md}. Not a test: numbers, never assertions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assign, simdInfo } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 200_000);
const REPEATS = arg('repeats', 5);
const THREADS = arg('threads', 2);
const CASES = [
  // Few centroids on wide rows: the row-major dot_row path (k below one panel).
  { d: 784, k: 10 },
  { d: 128, k: 256 },
  { d: 128, k: 1024 },
  { d: 768, k: 256 },
  { d: 768, k: 1024 },
];
const PY = '/usr/bin/python3';

/** Seeded uniform floats in [-1, 1) (xorshift32), so every run sees the same data. */
function seeded(len, seed) {
  const out = new Float32Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measurePeak() {
  execFileSync('cargo', ['build', '--offline', '--release', '-q', '-p', 'clostera-kernels', '--example', 'fma_peak'], { cwd: root, stdio: 'inherit' });
  const out = execFileSync(join(root, 'target', 'release', 'examples', 'fma_peak'), [String(THREADS), '2'], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.level, r.gflops]));
}

function environment(info) {
  const rev = (() => { try { return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })();
  const faiss = (() => { try { return execFileSync(PY, ['-c', 'import faiss; print(faiss.__version__)'], { encoding: 'utf8' }).trim(); } catch { return null; } })();
  return { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, simd: info, threads: THREADS, faiss, gitRevision: rev, date: new Date().toISOString() };
}

function runFaiss(dir, x, c, n, k, d) {
  const labelsPath = join(dir, 'faiss-labels.u32');
  try {
    const out = execFileSync(PY, [join(here, 'faiss_flat_search.py'), join(dir, 'x.f32'), String(n), join(dir, 'c.f32'), String(k), String(d), String(THREADS), String(REPEATS), labelsPath], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const res = JSON.parse(out.trim().split('\n').pop());
    const buf = readFileSync(labelsPath);
    return { seconds: median(res.times), labels: new Uint32Array(buf.buffer, buf.byteOffset, n) };
  } catch (e) {
    return { seconds: null, missing: String(e.message ?? e).split('\n')[0] };
  }
}

const info = simdInfo();
const levels = info.available.filter((l) => l !== 'scalar');
console.log(`simd ${JSON.stringify(info)}; N=${N}; threads=${THREADS}`);
const peak = measurePeak();
console.log('FMA peak (GFLOP/s):', peak);
const rows = [];
const dir = mkdtempSync(join(tmpdir(), 'clostera-bench-'));
try {
  for (const { d, k } of CASES) {
    const x = seeded(N * d, 12345 + d);
    const c = seeded(k * d, 777 + k);
    writeFileSync(join(dir, 'x.f32'), x);
    writeFileSync(join(dir, 'c.f32'), c);
    const gflop = (2 * N * k * d) / 1e9;
    const faiss = runFaiss(dir, x, c, N, k, d);
    for (const simd of levels) {
      // Warm-up at full size: the first calls of a process fault in fresh output pages and
      // scratch (about 15 us per 4 KiB page on a Firecracker VM), which the median must not see.
      for (let w = 0; w < 2; w++) assign(x, c, d, 'l2', { threads: THREADS, simd });
      const times = [];
      let labels;
      for (let r = 0; r < REPEATS; r++) {
        const t0 = performance.now();
        labels = assign(x, c, d, 'l2', { threads: THREADS, simd }).labels;
        times.push((performance.now() - t0) / 1000);
      }
      const seconds = median(times);
      let agree = null;
      if (faiss.labels) {
        let same = 0;
        for (let i = 0; i < N; i++) same += labels[i] === faiss.labels[i] ? 1 : 0;
        agree = same / N;
      }
      const row = {
        n: N, d, k, simd, threads: THREADS, seconds, gflops: gflop / seconds,
        peakGflops: peak[simd] ?? null, fractionOfPeak: peak[simd] ? gflop / seconds / peak[simd] : null,
        fractionOfAvx2Peak: peak.avx2 ? gflop / seconds / peak.avx2 : null,
        faissSeconds: faiss.seconds, faissGflops: faiss.seconds ? gflop / faiss.seconds : null,
        speedupVsFaiss: faiss.seconds ? faiss.seconds / seconds : null, labelAgreement: agree,
        faissMissing: faiss.missing ?? null,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const env = environment(info);
const outDir = join(root, 'benchmarks', 'results');
mkdirSync(outDir, { recursive: true });
const fmt = (v, digits = 2) => (v === null || v === undefined ? 'missing' : v.toFixed(digits));
const md = [
  '# Fused assignment vs FAISS brute-force search',
  '',
  `Command: \`npm run bench:kernels -- --n ${N} --repeats ${REPEATS} --threads ${THREADS}\``,
  '',
  `Environment: ${env.cpu}, ${env.cores} cores, node ${env.node}, FAISS ${env.faiss ?? 'missing'} (Debian python3-faiss), threads ${THREADS}, git ${env.gitRevision.slice(0, 12)}, ${env.date}.`,
  '',
  `Peak: measured by \`cargo run --release --example fma_peak -- ${THREADS}\` (16 independent register-only FMA chains per thread): ${Object.entries(peak).map(([l, g]) => `${l} ${g.toFixed(1)} GFLOP/s`).join(', ')}. FLOPs counted as 2·N·K·D.`,
  '',
  '| N | D | K | SIMD | ours s | GFLOP/s | % of this ISA peak | % of AVX2 peak | FAISS s | FAISS GFLOP/s | speed-up vs FAISS | label agreement |',
  '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.n} | ${r.d} | ${r.k} | ${r.simd} | ${fmt(r.seconds, 3)} | ${fmt(r.gflops, 1)} | ${fmt(r.fractionOfPeak * 100, 0)}% | ${fmt(r.fractionOfAvx2Peak * 100, 0)}% | ${fmt(r.faissSeconds, 3)} | ${fmt(r.faissGflops, 1)} | ${fmt(r.speedupVsFaiss, 2)}x | ${r.labelAgreement === null ? 'n/a' : (r.labelAgreement * 100).toFixed(3) + '%'} |`),
  '',
  'Label agreement below 100% comes from near-ties that f32 rounding resolves differently in the two libraries.',
  '',
].join('\n');
const write = (name, text) => { const tmp = join(outDir, `.${name}.tmp`); writeFileSync(tmp, text); renameSync(tmp, join(outDir, name)); };
write('kernels-assign.json', JSON.stringify({ benchmark: 'kernels-assign', environment: env, peak, rows }, null, 2) + '\n');
write('kernels-assign.md', md);
console.log(md);

import { loadDataset } from '@clostera/bench';
import { fit } from '@clostera/kmeans';
const data = await loadDataset('fmnist');
const metric = process.argv[2] ?? 'l2';
let x = data.x;
if (metric === 'cos') { x = new Float32Array(data.x); for (let i = 0; i < data.n; i++) { let s = 0; for (let j = 0; j < 784; j++) s += x[i * 784 + j] ** 2; const inv = 1 / Math.sqrt(s); for (let j = 0; j < 784; j++) x[i * 784 + j] *= inv; } }
for (let i = 0; i < 5; i++) await fit(x, data.d, { k: 10, metric, maxIter: 20, tol: 0, seed: 1, threads: 2 });
for (let rep = 0; rep < 3; rep++) {
  globalThis.__trace = [];
  const t0 = performance.now();
  await fit(x, data.d, { k: 10, metric, maxIter: 20, tol: 0, seed: 1, threads: 2 });
  const total = performance.now() - t0;
  const agg = new Map();
  for (const [kind, phase, ms] of globalThis.__trace) { const key = `${phase}:${kind}`; const a = agg.get(key) ?? [0, 0]; a[0] += ms; a[1]++; agg.set(key, a); }
  const sum = [...agg.values()].reduce((s, a) => s + a[0], 0);
  console.log(`total ${total.toFixed(1)} ms, steps ${sum.toFixed(1)} ms`, [...agg].map(([k, a]) => `${k} ${a[0].toFixed(2)}/${a[1]}`).join(', '));
}

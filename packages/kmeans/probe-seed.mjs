import { loadDataset } from '@clostera/bench';
import { fit } from '@clostera/kmeans';
const data = await loadDataset(process.argv[2] ?? 'fmnist');
const k = Number(process.argv[3] ?? 1000);
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  await fit(data.x, data.d, { k, metric: 'l2', maxIter: 0, tol: 0, seed: 1, threads: 2 });
  console.log(`${((performance.now() - t0) / 1000).toFixed(3)} s`);
}

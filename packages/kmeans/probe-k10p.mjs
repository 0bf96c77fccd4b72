import { loadDataset } from '@clostera/bench';
import { fit } from '@clostera/kmeans';
const data = await loadDataset('fmnist');
for (let i = 0; i < 3; i++) await fit(data.x, data.d, { k: 10, metric: 'l2', maxIter: 20, tol: 0, seed: 1, threads: 2 });
const t0 = performance.now();
for (let i = 0; i < 100; i++) await fit(data.x, data.d, { k: 10, metric: 'l2', maxIter: 20, tol: 0, seed: 1, threads: 2 });
console.log(`mean ${((performance.now() - t0) / 100).toFixed(1)} ms`);

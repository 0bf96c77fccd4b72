// The README's main job until the `clostera` CLI exists: cluster the embedded Fashion-MNIST test
// set (10,000 x 784, MIT) with the dense exact engine, report quality against the true classes,
// and write the labels and centroids as .npy files (atomically).
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { embeddedFashionMnistDir, externalScores, loadFashionMnist } from '@clostera/bench';
import { simdInfo } from '@clostera/kernels';
import { fit } from '@clostera/kmeans';
import { writeCentroids, writeLabels } from '@clostera/io';

const k = Number(process.env.K ?? 10);
const data = await loadFashionMnist(embeddedFashionMnistDir(), ['t10k'], 'fmnist-t10k', 'Fashion-MNIST test set');
const info = simdInfo();
console.log(`data      ${data.title}: N = ${data.n}, D = ${data.d} (${data.source.split('/').slice(-3).join('/')})`);
console.log(`machine   SIMD ${info.inUse}, ${info.threads} threads`);
const started = performance.now();
const model = await fit(data.x, data.d, { k, metric: 'l2', algorithm: 'dense-exact-row', maxIter: 25, seed: 1234 });
const seconds = (performance.now() - started) / 1000;
const scores = externalScores(data.labels, model.labels);
const skipped = model.stats.reduce((s, it) => s + it.distancesSkipped, 0);
const total = model.stats.reduce((s, it) => s + it.distancesSkipped + it.distancesComputed, 0);
console.log(`k-means   K = ${k}, backend ${model.params.algorithm} (greedy k-means++ seeding, exact Yinyang-pruned Lloyd)`);
console.log(`          ${model.stats.length} iterations in ${seconds.toFixed(2)} s; ${(100 * skipped / total).toFixed(1)}% of distance computations skipped by exact bounds`);
console.log(`quality   objective (mean squared distance) ${model.objective.toFixed(1)}; V-measure ${scores.vMeasure.toFixed(4)} (homogeneity ${scores.homogeneity.toFixed(4)}, completeness ${scores.completeness.toFixed(4)}), ARI ${scores.ari.toFixed(4)}`);
const out = join(process.cwd(), 'out');
mkdirSync(out, { recursive: true });
await writeLabels(join(out, 'labels.npy'), model.labels);
await writeCentroids(join(out, 'centroids.npy'), model.centroids, data.d);
console.log(`wrote     ${relative(process.cwd(), join(out, 'labels.npy'))} (uint32, ${data.n}) and ${relative(process.cwd(), join(out, 'centroids.npy'))} (float32, ${k} x ${data.d})`);

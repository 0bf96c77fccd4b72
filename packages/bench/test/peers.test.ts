import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENDERS, loadDataset, probePython, type Availability, type Contender, type Dataset } from '../src/index.js';
import { JS_WORKER } from '../src/contenders/js-contenders.js';
import { runCell } from '../src/runner/cell.js';

/**
 * Smoke tests of the real peers on a tiny set. Each needs its engine (Debian's python3 with
 * python3-faiss / python3-sklearn, or the built node worker) and skips with a message without it.
 */
const tmp = mkdtempSync(join(tmpdir(), 'bench-peers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let dataset: Dataset;
let dataFile: string;
beforeAll(async () => {
  dataset = await loadDataset('gaussian:n=600,d=6,k=4,seed=3');
  dataFile = join(tmp, 'x.f32');
  writeFileSync(dataFile, new Uint8Array(dataset.x.buffer));
});

async function runOne(contender: Contender, availability: Availability) {
  const [row] = await runCell({
    dataset,
    x: dataset.x,
    dataFile,
    metric: 'l2',
    k: 4,
    contenders: [{ contender, availability }],
    settings: { repeats: 1, warmup: 0, warmupIter: 2, maxIter: 10, timeoutSeconds: 60, seed: 1, threads: 1 },
    dir: tmp,
    log: () => {},
  });
  return row!;
}

describe('Python peers', () => {
  it('probe reports versions or why each module is missing', async () => {
    const probe = await probePython();
    expect(typeof probe).toBe('object');
    if (typeof probe['error'] === 'string') console.warn(`python peers unavailable: ${probe['error']}`);
    else expect(probe['python']).toEqual(expect.any(String));
  }, 60_000);

  for (const id of ['faiss-all', 'faiss-all-labels', 'sklearn-kpp']) {
    it(`${id} fits through peer.py and its objective matches ours`, async () => {
      const contender = CONTENDERS.find((c) => c.id === id)!;
      const availability = await contender.probe();
      if (!availability.available) {
        console.warn(`skipped ${id}: ${availability.reason}`);
        return;
      }
      const row = await runOne(contender, availability);
      expect(row.status, row.reason).toBe('ok');
      expect(row.iterations).toBeGreaterThan(0);
      expect(row.quality!.vMeasure).toBeGreaterThan(0.9);
      // The engine's own objective (FAISS: training-set distance sum / n; sklearn: inertia / n)
      // agrees with the one measured by the kernels, on every row here.
      expect(row.reportedObjective).toBeDefined();
      expect(Math.abs(row.reportedObjective! - row.quality!.objective) / row.quality!.objective).toBeLessThan(1e-3);
      if (id === 'sklearn-kpp') expect(row.quality!.labelAgreement).toBe(1);
      // FAISS's own labels (index.search) against the kernels' nearest centroids: only f32
      // near-ties may differ.
      if (id === 'faiss-all-labels') expect(row.quality!.labelAgreement).toBeGreaterThan(0.999);
      expect(row.peakRssBytes).toBeGreaterThan(1e6);
    }, 60_000);
  }
});

describe('node worker', () => {
  it('ml-kmeans fits through the built js-worker', async () => {
    if (!existsSync(JS_WORKER)) {
      console.warn(`skipped: ${JS_WORKER} is not built (npm run build)`);
      return;
    }
    const contender = CONTENDERS.find((c) => c.id === 'ml-kmeans')!;
    const availability = await contender.probe();
    expect(availability.available, availability.reason).toBe(true);
    const row = await runOne(contender, availability);
    expect(row.status, row.reason).toBe('ok');
    expect(row.quality!.labelAgreement).toBeGreaterThan(0.99);
    expect(row.quality!.vMeasure).toBeGreaterThan(0.9);
  }, 60_000);
});

// End to end: the built `clostera` command on .npy and Parquet inputs written with @clostera/io.
// The labels file must be a valid .npy / Parquet file and hold exactly what the library returns
// for the same file and options.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParquetWriter, readNpyHeader, FileByteSource, writeCentroids } from '@clostera/io';
import { Clusterer } from '../src/index.js';
import { blobs, filesIn, readBack, runCli, tempDir } from './helpers.js';

const N = 6000;
const D = 24;
const K = 12;
const dir = tempDir();
const npy = join(dir, 'vectors.npy');
const parquet = join(dir, 'vectors.parquet');
const x = blobs(N, D, K, 7);

beforeAll(async () => {
  await writeCentroids(npy, x, D); // a float32 n x d .npy, written atomically
  const w = createParquetWriter(parquet, { dtype: 'float32', cols: D, column: 'embedding', rowGroupRows: 2000 });
  await w.write(x);
  await w.close();
});

describe('clostera cluster', () => {
  it('clusters an .npy file; labels and centroids are valid .npy files equal to the library result', async () => {
    const run = await runCli(['cluster', npy, '-k', String(K), '--seed', '5', '--out', 'labels.npy', '--centroids', 'centroids.npy'], dir);
    expect(run.stderr).toMatch(/^progress: /m);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^input {5}.*vectors\.npy: npy, N = 6,000, D = 24 \(float32\)$/m);
    expect(run.stdout).toMatch(/^backend {3}dense-exact-random \(auto, training on the default subsample\)$/m);
    expect(run.stdout).toMatch(/^why {7}1\. metric = l2/m);
    expect(run.stdout).toMatch(/^wrote {5}labels\.npy \(labels: uint32, 6,000 rows\)$/m);

    const bytes = await FileByteSource.open(join(dir, 'labels.npy'));
    const header = await readNpyHeader(bytes);
    await bytes.close();
    expect(header).toMatchObject({ dtype: 'uint32', shape: [N] });

    const library = new Clusterer({ k: K, seed: 5 });
    const expected = await library.fitPredict(npy);
    const labels = await readBack(join(dir, 'labels.npy'));
    expect(labels.n).toBe(N);
    expect(Array.from(labels.values)).toEqual(Array.from(expected));
    const centroids = await readBack(join(dir, 'centroids.npy'));
    expect([centroids.n, centroids.d]).toEqual([K, D]);
    expect(centroids.values).toEqual(library.centroids);
    expect(library.algorithm).toBe('dense-exact-random');
  });

  it('clusters a Parquet column under cos into a Parquet labels file, with --json', async () => {
    const args = ['cluster', parquet, '--column', 'embedding', '-k', String(K), '-m', 'cos', '-a', 'dense-exact-row', '--out', 'labels.parquet', '--json', '--quiet'];
    const run = await runCli(args, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ input: { format: 'parquet', n: N, d: D }, k: K, metric: 'cos', requested: 'dense-exact-row', algorithm: 'dense-exact-row' });
    expect(report.selection).toBeUndefined();
    expect(report.outputs).toEqual([{ kind: 'labels', path: 'labels.parquet', description: 'uint32, 6,000 rows' }]);

    const labels = await readBack(join(dir, 'labels.parquet'));
    expect(labels).toMatchObject({ format: 'parquet', n: N, d: 1, dtype: 'uint32' });
    const expected = await new Clusterer({ k: K, metric: 'cos', algorithm: 'dense-exact-row' }).fitPredict(parquet, { column: 'embedding' });
    expect(Array.from(labels.values)).toEqual(Array.from(expected));
    expect(report.objective).toBeGreaterThan(0);
  });

  it('trains on a sample under --max-ram and still labels every row', async () => {
    const run = await runCli(['cluster', npy, '-k', String(K), '--max-ram', `${(N * D * 4) / 4}`, '--out', 'sampled.npy', '--json', '-q'], dir);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.training).toEqual({ rows: N / 4, sampled: true });
    const labels = await readBack(join(dir, 'sampled.npy'));
    expect(labels.n).toBe(N);
    expect(Math.max(...labels.values)).toBeLessThan(K);
  });

  it('reports a file with info', async () => {
    const text = await runCli(['info', parquet], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^format {4}parquet \(detected by magic\)$/m);
    expect(text.stdout).toMatch(/^shape {5}N = 6,000, D = 24$/m);
    const json = JSON.parse((await runCli(['info', npy, '--json', '--max-ram', '1KiB'], dir)).stdout);
    expect(json).toMatchObject({ format: 'npy', n: N, d: D, dtype: 'float32', fitsMaxRam: false, maxRam: 1024 });
  });

  it('exits 2 on usage errors and bad input, 3 on a missing file, writing nothing', async () => {
    const before = filesIn(dir);
    const usage = await Promise.all(
      [
        ['cluster', npy], // -k missing
        ['cluster', npy, '-k', 'ten'],
        ['cluster', npy, '-k', '3', '--metric', 'ip'],
        ['cluster', npy, '-k', '3', '--out', 'labels.txt'],
        ['cluster', npy, '-k', String(N + 1), '--out', 'x.npy'],
        ['frobnicate'],
      ].map((args) => runCli(args, dir)),
    );
    expect(usage.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    const missing = await runCli(['cluster', join(dir, 'nope.npy'), '-k', '3'], dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/\[CLOSTERA_IO\]/);
    expect(filesIn(dir)).toEqual(before);
  });

  it('prints help with the exit codes', async () => {
    const run = await runCli(['--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/130 {2}cancelled by Ctrl-C/);
    for (const command of ['cluster', 'info', 'bench', 'demo']) expect(run.stdout).toContain(`  ${command} `);
  });
});

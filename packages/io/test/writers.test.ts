import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMatrixWriter, writeCentroids, writeDistances, writeLabels, writePqCodes } from '../src/index.js';
import { collect, expectCode, matrix, tempDir, open } from './helpers.js';

const dir = tempDir();

describe('atomic writers', () => {
  for (const ext of ['npy', 'parquet'] as const) {
    it(`${ext}: nothing appears at the target until close, and abort leaves nothing`, async () => {
      const target = join(dir, `stream.${ext}`);
      const w = createMatrixWriter(target, { dtype: 'float32', cols: 4, rowGroupRows: 10 });
      await w.write(matrix(100, 4));
      expect(existsSync(target)).toBe(false);
      await w.abort();
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('stream'))).toEqual([]);
    });

    it(`${ext}: a failed write keeps the previous file intact`, async () => {
      const target = join(dir, `keep.${ext}`);
      writeFileSync(target, 'previous contents');
      const w = createMatrixWriter(target, { dtype: 'float32', cols: 4 });
      await w.write(matrix(10, 4));
      await expectCode(w.write(new Float32Array(3)), 'CLOSTERA_DIMENSION_MISMATCH');
      await expectCode(w.close(), 'CLOSTERA_INVALID_ARGUMENT');
      expect(readFileSync(target, 'utf8')).toBe('previous contents');
      expect(readdirSync(dir).filter((f) => f.startsWith('.keep'))).toEqual([]);
    });

    it(`${ext}: labels, centroids, PQ codes and distances round-trip`, async () => {
      const labels = Int32Array.from({ length: 50 }, (_, i) => i - 25);
      await writeLabels(join(dir, `l.${ext}`), labels);
      let s = await open(join(dir, `l.${ext}`));
      expect([s.dtype, s.d]).toEqual(['int32', 1]);
      expect(Array.from(await collect(s))).toEqual(Array.from(labels));
      const cent = matrix(7, 3);
      await writeCentroids(join(dir, `c.${ext}`), cent, 3);
      expect(await collect(await open(join(dir, `c.${ext}`)))).toEqual(cent);
      const codes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) % 256);
      await writePqCodes(join(dir, `q.${ext}`), codes, 8);
      s = await open(join(dir, `q.${ext}`));
      expect([s.n, s.d, s.dtype]).toEqual([5, 8, 'uint8']);
      expect(Array.from(await collect(s))).toEqual(Array.from(codes));
      const codes16 = Uint16Array.from({ length: 40 }, (_, i) => i * 1000);
      await writePqCodes(join(dir, `q16.${ext}`), codes16, 4);
      expect((await open(join(dir, `q16.${ext}`))).dtype).toBe('uint16');
      const dist = Float32Array.from({ length: 30 }, (_, i) => i / 4);
      await writeDistances(join(dir, `d.${ext}`), dist);
      expect(await collect(await open(join(dir, `d.${ext}`)))).toEqual(dist);
      await writeDistances(join(dir, `d3.${ext}`), dist, 3);
      expect((await open(join(dir, `d3.${ext}`))).d).toBe(3);
    });
  }

  it('rejects an unknown output extension and bad widths', async () => {
    await expectCode(writeLabels(join(dir, 'x.csv'), new Uint32Array(3)), 'CLOSTERA_INVALID_ARGUMENT');
    await expectCode(writeCentroids(join(dir, 'x.npy'), new Float32Array(5), 2), 'CLOSTERA_DIMENSION_MISMATCH');
    await expectCode(writeLabels(join(dir, 'no-such-dir', 'x.npy'), new Uint32Array(3)), 'CLOSTERA_IO');
  });
});

describe('interrupted writes', () => {
  const dist = new URL('../dist/index.js', import.meta.url);
  it.skipIf(!existsSync(dist))('a writer killed mid-stream leaves nothing at the target', async () => {
    const { spawn } = await import('node:child_process');
    for (const ext of ['npy', 'parquet']) {
      const target = join(dir, `killed.${ext}`);
      const script = `
        import { createMatrixWriter } from ${JSON.stringify(dist.href)};
        const w = createMatrixWriter(${JSON.stringify(target)}, { dtype: 'float32', cols: 8, rowGroupRows: 100 });
        const rows = new Float32Array(8 * 1000);
        for (let i = 0; i < 20; i++) await w.write(rows);
        process.stdout.write('ready\\n');
        setInterval(() => w.write(rows), 1);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(existsSync(target)).toBe(false);
    }
  });
  if (!existsSync(dist)) console.warn('[io] packages/io/dist is absent (run the build): the killed-writer test is skipped');
});

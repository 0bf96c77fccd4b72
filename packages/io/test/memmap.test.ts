/**
 * Memory-mapped reading: correctness, and the resident-memory bound on a file 100x the chunk
 * budget. RSS is sampled after every chunk; the bound asserted is the budget plus a fixed
 * allowance for V8's lazily collected chunk buffers.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNpyWriter } from '../src/index.js';
import { nativeMmap } from '../src/memmap.js';
import { collect, expectCode, matrix, tempDir, open } from './helpers.js';

const dir = tempDir();
const MiB = 1 << 20;

describe('memmap', () => {
  it('reports whether the native mapping is in use', () => {
    const native = nativeMmap();
    if (!native) console.warn('[io] native mmap exports not found in @clostera/kernels: memmap falls back to positional reads');
    expect(native === null || typeof native.mmapRead === 'function').toBe(true);
  });

  it('reads .npy and raw files through the mapping like the plain reader', async () => {
    const v = matrix(300, 7);
    const p = join(dir, 'm.npy');
    const w = createNpyWriter(p, { dtype: 'float32', rowShape: [7] });
    await w.write(v);
    await w.close();
    const s = await open(p, { memmap: true });
    expect(s.detection.memmap).toBe(nativeMmap() && process.env.CLOSTERA_IO_MMAP !== 'off' ? 'native' : 'positional-read');
    expect(await collect(s, { maxBytes: 7 * 4 * 13 })).toEqual(v);
    expect(await s.rows([299, 0, 150])).toEqual(Float32Array.from([...v.subarray(2093), ...v.subarray(0, 7), ...v.subarray(1050, 1057)]));
    await s.close();
    await expectCode(s.rows([0]), 'CLOSTERA_INVALID_ARGUMENT');
    const f64 = join(dir, 'm.f64');
    const fd = openSync(f64, 'w');
    writeSync(fd, new Uint8Array(Float64Array.from(v).buffer));
    closeSync(fd);
    const r = await open(f64, { memmap: true, d: 7 });
    expect(await collect(r, { maxBytes: 1000 })).toEqual(v);
    await r.close();
    await expectCode(open(join(dir, 'absent.npy'), { memmap: true }), 'CLOSTERA_IO');
  });

  it('keeps resident memory bounded on a file 100x the chunk budget', async () => {
    const budget = 4 * MiB;
    const d = 128;
    const rowsTotal = (100 * budget) / (d * 4);
    const p = join(dir, 'big.f32');
    // Row r holds r + j/1000, so every chunk can be checked without keeping the file in memory.
    const fd = openSync(p, 'w');
    const block = new Float32Array(8192 * d);
    for (let r0 = 0; r0 < rowsTotal; r0 += 8192) {
      const rows = Math.min(8192, rowsTotal - r0);
      for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) block[r * d + j] = ((r0 + r) % 4096) + j / 1000;
      writeSync(fd, new Uint8Array(block.buffer, 0, rows * d * 4));
    }
    closeSync(fd);
    const s = await open(p, { memmap: true, d });
    expect(s.n).toBe(rowsTotal);
    const base = process.memoryUsage().rss;
    let peak = 0;
    let rows = 0;
    for await (const c of s.chunks({ maxBytes: budget })) {
      expect(c.data.byteLength).toBeLessThanOrEqual(budget);
      const r = c.start + c.rows - 1;
      expect(c.data[(c.rows - 1) * d + 5]).toBeCloseTo((r % 4096) + 0.005, 2);
      rows += c.rows;
      peak = Math.max(peak, process.memoryUsage().rss - base);
    }
    await s.close();
    expect(rows).toBe(rowsTotal);
    const fileBytes = rowsTotal * d * 4;
    console.log(
      `[memmap] mode=${s.detection.memmap} file=${fileBytes / MiB} MiB budget=${budget / MiB} MiB peak RSS growth=${(peak / MiB).toFixed(1)} MiB (${((100 * peak) / fileBytes).toFixed(1)}% of the file)`,
    );
    // The bound: well under the file, a small multiple of the budget (V8 frees chunk buffers lazily).
    expect(peak).toBeLessThan(16 * budget + 64 * MiB);
    expect(peak).toBeLessThan(fileBytes / 3);
  });
});

/**
 * Seeded structure-blind fuzzing: every case mutates a valid file image (byte flips, header
 * overwrites with extreme values, truncation, extension, splices), then opens and fully reads it.
 * Each case must end in success or a ClosteraError with a known code: never a crash, a hang,
 * an uncoded error or an allocation beyond the budget.
 */
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { FixedSizeList, Field, Float32, Table, makeData, makeVector, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createNpyWriter, createParquetWriter, ErrorCode, type OpenOptions } from '../src/index.js';
import { encode, matrix, npyImage, rng, tempDir, open } from './helpers.js';

const CASES = Number(process.env.CLOSTERA_FUZZ_CASES ?? 10_000);
const CODES = new Set<string>(Object.values(ErrorCode));
const dir = tempDir();

/** One mutation of `seed` driven by `r`. Header-heavy: most files put their structure up front (Parquet at the back). */
function mutate(seed: Uint8Array, r: () => number, hot: [number, number][]): Uint8Array {
  let b = new Uint8Array(seed);
  const steps = 1 + Math.floor(r() * 4);
  for (let s = 0; s < steps; s++) {
    const pickPos = (): number => {
      if (b.length === 0) return 0;
      if (r() < 0.7 && hot.length > 0) {
        const [lo, hi] = hot[Math.floor(r() * hot.length)]!;
        const a = lo < 0 ? Math.max(0, b.length + lo) : Math.min(lo, b.length - 1);
        const z = hi <= 0 ? Math.max(a + 1, b.length + hi) : Math.min(hi, b.length);
        return Math.min(b.length - 1, a + Math.floor(r() * Math.max(1, z - a)));
      }
      return Math.floor(r() * b.length);
    };
    const op = Math.floor(r() * 7);
    if (op === 0 && b.length) {
      const at = pickPos();
      b[at] = b[at]! ^ (1 << Math.floor(r() * 8));
    }
    else if (op === 1 && b.length) b[pickPos()] = Math.floor(r() * 256);
    else if (op === 2 && b.length >= 4) {
      // An extreme 32-bit value, where lengths and counts live.
      const at = Math.min(pickPos(), b.length - 4);
      const vals = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 0x10000, 0xffff, 0x7f];
      new DataView(b.buffer, b.byteOffset).setUint32(at, vals[Math.floor(r() * vals.length)]!, r() < 0.5);
    } else if (op === 3) b = b.subarray(0, Math.floor(r() * b.length)).slice();
    else if (op === 4) {
      const extra = Uint8Array.from({ length: 1 + Math.floor(r() * 64) }, () => Math.floor(r() * 256));
      const out = new Uint8Array(b.length + extra.length);
      out.set(b);
      out.set(extra, b.length);
      b = out;
    } else if (op === 5 && b.length > 2) {
      const at = pickPos();
      const len = 1 + Math.floor(r() * 16);
      b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + len))]);
    } else if (b.length) {
      // Digits in a text header (npy shape) turned into other digits or huge numbers.
      const at = pickPos();
      if (b[at]! >= 0x30 && b[at]! <= 0x39) b[at] = 0x30 + Math.floor(r() * 10);
      else b[at] = [0x30, 0x39, 0x2c, 0x28, 0x29, 0x27, 0x20, 0x5b][Math.floor(r() * 8)]!;
    }
  }
  return b;
}

interface Stats {
  slowest: number;
  ok: number;
  coded: Map<string, number>;
  ms: number;
}

async function runFuzz(name: string, seeds: Uint8Array[], hot: [number, number][], options: OpenOptions = {}): Promise<Stats> {
  const r = rng(0xc105 ^ name.length * 7919 ^ name.charCodeAt(0));
  const stats: Stats = { ok: 0, coded: new Map(), ms: 0, slowest: 0 };
  const t0 = performance.now();
  for (let i = 0; i < CASES; i++) {
    const input = mutate(seeds[i % seeds.length]!, r, hot);
    const c0 = performance.now();
    try {
      const s = await open(input, options);
      try {
        for await (const c of s.chunks({ maxBytes: 4096 })) {
          if (c.data.byteLength > 4096) throw new Error(`chunk of ${c.data.byteLength} bytes beyond the 4096-byte budget`);
        }
        if (s.n > 0) await s.rows([0, s.n - 1, Math.floor(s.n / 2)]);
      } finally {
        await s.close();
      }
      stats.ok++;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if ((err as Error)?.name !== 'ClosteraError' || typeof code !== 'string' || !CODES.has(code)) {
        throw new Error(`${name} fuzz case ${i}: uncoded failure ${String((err as Error)?.stack ?? err)}\ninput (base64): ${Buffer.from(input).toString('base64').slice(0, 2000)}`);
      }
      stats.coded.set(code, (stats.coded.get(code) ?? 0) + 1);
    } finally {
      const took = performance.now() - c0;
      if (took > stats.slowest) {
        stats.slowest = took;
        // Set CLOSTERA_FUZZ_TRACE=<file> to keep the slowest input for inspection.
        if (process.env.CLOSTERA_FUZZ_TRACE) writeFileSync(process.env.CLOSTERA_FUZZ_TRACE, Buffer.from(input));
      }
    }
  }
  stats.ms = performance.now() - t0;
  const summary = [...stats.coded].map(([k, v]) => `${k.replace('CLOSTERA_', '')}=${v}`).join(' ');
  console.log(`[fuzz] ${name}: ${CASES} cases in ${stats.ms.toFixed(0)} ms — ok=${stats.ok} ${summary} (slowest case ${stats.slowest.toFixed(1)} ms)`);
  return stats;
}

async function fileImage(name: string, write: (p: string) => Promise<void>): Promise<Uint8Array> {
  const p = join(dir, name);
  await write(p);
  // A plain copy: Buffer#slice is a view, and the mutator must never touch the seed.
  return new Uint8Array(readFileSync(p));
}

describe(`fuzz (${CASES} cases per format)`, () => {
  const v = matrix(24, 4);

  it('npy', async () => {
    const seeds = [
      npyImage('<f4', [24, 4], encode(v, 'float32')),
      npyImage('>f8', [24, 4], encode(v, 'float64', 'big'), 2),
      npyImage('<f2', [96], encode(v, 'float16'), 3),
      npyImage('|u1', [24, 4], encode(v.map(Math.abs), 'uint8')),
    ];
    const s = await runFuzz('npy', seeds, [[0, 128]]);
    expect(s.ok + [...s.coded.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
  });

  for (const [ext, dtype] of [['fvecs', 'float32'], ['bvecs', 'uint8'], ['ivecs', 'int32']] as const) {
    it(ext, async () => {
      const d = 4;
      const rows: number[] = [];
      const img = new Uint8Array(24 * (4 + d * (dtype === 'uint8' ? 1 : 4)));
      const dv = new DataView(img.buffer);
      let at = 0;
      for (let i = 0; i < 24; i++) {
        dv.setInt32(at, d, true);
        const payload = encode(v.subarray(i * d, i * d + d).map(Math.abs), dtype);
        img.set(payload, at + 4);
        at += 4 + payload.length;
        rows.push(i);
      }
      await runFuzz(ext, [img], [[0, 64]], { format: ext });
    });
  }

  it('raw', async () => {
    await runFuzz('raw', [encode(v, 'float32'), encode(v, 'float64')], [[0, 64]], { format: 'raw', d: 4 });
  });

  it('parquet', async () => {
    const list = await fileImage('seed-list.parquet', async (p) => {
      const w = createParquetWriter(p, { dtype: 'float32', cols: 4, rowGroupRows: 8 });
      await w.write(v);
      await w.close();
    });
    const scalar = await fileImage('seed-scalar.parquet', async (p) => {
      const w = createParquetWriter(p, { dtype: 'int32', cols: 0, codec: 'UNCOMPRESSED', rowGroupRows: 10 });
      await w.write(Int32Array.from({ length: 24 }, (_, i) => i));
      await w.close();
    });
    await runFuzz('parquet', [list, scalar], [[0, 8], [-600, 0]], { memoryLimitBytes: 1 << 20 });
  });

  it('arrow file and stream', async () => {
    const child = makeData({ type: new Float32(), length: v.length, data: v } as never) as never;
    const vec = makeVector(makeData({ type: new FixedSizeList(4, new Field('item', new Float32(), false)), length: 24, nullCount: 0, child }));
    const table = new Table({ emb: vec });
    await runFuzz('arrow', [tableToIPC(table, 'file'), tableToIPC(table, 'stream')], [[0, 400], [-300, 0]]);
  });

  it('npy via the streaming writer (sanity of the seed)', async () => {
    const img = await fileImage('seed-w.npy', async (p) => {
      const w = createNpyWriter(p, { dtype: 'float32', rowShape: [4] });
      await w.write(v);
      await w.close();
    });
    const s = await open(img);
    expect(s.n).toBe(24);
  });
});

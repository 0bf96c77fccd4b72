import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { open as openSource, type ChunkOptions, type OpenedSource, type VectorSource } from '../src/index.js';

/** Sources opened through [`open`] in this test file, closed after it (their file handles too). */
const opened: OpenedSource[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/**
 * `open` from the package, with the source closed after the test file: a test that reads a file
 * and drops the source would otherwise leave its handle to the garbage collector (node warns).
 */
export async function open(...args: Parameters<typeof openSource>): Promise<OpenedSource> {
  const s = await openSource(...args);
  opened.push(s);
  return s;
}

/** A temp directory removed after the test file. */
export function tempDir(prefix = 'clostera-io-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Read a whole source through chunks(), checking the chunk contract on the way. */
export async function collect(source: VectorSource, options?: ChunkOptions): Promise<Float32Array> {
  const start = options?.start ?? 0;
  const end = options?.end ?? source.n;
  const out = new Float32Array((end - start) * source.d);
  let next = start;
  for await (const c of source.chunks(options)) {
    expect(c.start).toBe(next);
    expect(c.data.length).toBe(c.rows * source.d);
    if (options?.maxBytes !== undefined) expect(c.data.byteLength).toBeLessThanOrEqual(options.maxBytes);
    out.set(c.data, (c.start - start) * source.d);
    next += c.rows;
  }
  expect(next).toBe(end);
  return out;
}

/** Await a promise (or call a function) and assert it fails with a ClosteraError of `code`. */
export async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<{ code: string; row?: number; expected?: unknown; actual?: unknown }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    const e = err as { code?: string; name?: string; message?: string };
    expect(e.name, e.message).toBe('ClosteraError');
    expect(e.code, e.message).toBe(code);
    return e as { code: string };
  }
  throw new Error(`expected a ${code} error, got success`);
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n x d matrix of values exactly representable in every dtype under test (small integers and halves). */
export function matrix(n: number, d: number, seed = 1, signed = true): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(r() * (signed ? 200 : 250)) - (signed ? 100 : 0);
  return out;
}

/** float32 → float16 bits (round to nearest even; enough for test data). */
export function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00 | (((x >>> 23) & 0xff) === 255 && mant ? 0x200 : 0);
  if (exp <= 0) return sign | (exp < -10 ? 0 : ((mant | 0x800000) >> (14 - exp)));
  return sign | (exp << 10) | (mant >> 13);
}

/** Build a .npy image by hand (any version, any descr, any byte order), for reader tests. */
export function npyImage(descr: string, shape: number[], data: Uint8Array, version = 1, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': ${descr.startsWith('[') ? descr : `'${descr}'`}, 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prelude = version === 1 ? 10 : 12;
  const total = Math.ceil((prelude + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - prelude - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, dict.length, true);
  else dv.setUint32(8, dict.length, true);
  out.set(Buffer.from(dict, version === 3 ? 'utf8' : 'latin1'), prelude);
  out.set(data, total);
  return out;
}

/** Encode float values as bytes of a dtype in a byte order. */
export function encode(values: Float32Array, dtype: string, order: 'little' | 'big' = 'little'): Uint8Array {
  const size = { float32: 4, float64: 8, float16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4 }[dtype]!;
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  const le = order === 'little';
  values.forEach((v, i) => {
    const o = i * size;
    switch (dtype) {
      case 'float32': dv.setFloat32(o, v, le); break;
      case 'float64': dv.setFloat64(o, v, le); break;
      case 'float16': dv.setUint16(o, toHalf(v), le); break;
      case 'int8': dv.setInt8(o, v); break;
      case 'uint8': dv.setUint8(o, v); break;
      case 'int16': dv.setInt16(o, v, le); break;
      case 'uint16': dv.setUint16(o, v, le); break;
      case 'int32': dv.setInt32(o, v, le); break;
      case 'uint32': dv.setUint32(o, v, le); break;
    }
  });
  return out;
}

/** Does the shared dataset directory exist? */
export const DATASETS = '/work/shared/datasets';

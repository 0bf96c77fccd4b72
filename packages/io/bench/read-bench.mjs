#!/usr/bin/env node
/**
 * Read-throughput benchmark of @clostera/io (not a test): one n x d float32 matrix stored as
 * .npy, raw .f32, .fvecs, Parquet (written by DuckDB, snappy, FLOAT[d]), Arrow IPC file and
 * stream; each read end to end through `open(...).chunks()`; side by side with DuckDB reading the
 * same Parquet into a Float32Array, and with a plain fs.read loop against the memory-mapped path.
 *
 *   npm run build -w @clostera/kernels && npm run build -w @clostera/io
 *   node packages/io/bench/read-bench.mjs [--n 1000000] [--d 128] [--reps 3] [--chunk-mib 64]
 *
 * Results: benchmarks/results/io-read.{json,md}. Files are read with a warm page cache (they
 * were just written and fit in RAM), so this measures decoding and copying, not the disk.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, openSync, writeSync, closeSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { FixedSizeList, Field, Float32, Table, makeData, makeVector, RecordBatchFileWriter, RecordBatchStreamWriter } from 'apache-arrow';
import { open, createNpyWriter, readNpyHeader, FileByteSource } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('n', 1_000_000);
const D = arg('d', 128);
const REPS = arg('reps', 3);
const CHUNK = arg('chunk-mib', 64) * 1024 * 1024;
const dir = join(root, 'benchmarks', 'tmp', 'io');
mkdirSync(dir, { recursive: true });
const payload = N * D * 4;
const MB = 1e6;

/**
 * The value stored at row i, component j: one MINSTD step of i*d+j, exact in doubles and in
 * DuckDB BIGINT alike, so DuckDB writes the identical Parquet. Near-random values keep the files
 * as incompressible as real embeddings.
 */
const value = (i, j) => Math.fround((((i * D + j) * 48271) % 2147483647) / 2147483647 - 0.5);
const BLOCK = 65536;
function block(r0, rows) {
  const out = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) for (let j = 0; j < D; j++) out[r * D + j] = value(r0 + r, j);
  return out;
}
/** Sparse checksum (every 1021st value) so every reader is checked at negligible cost. */
function sample(data, start) {
  let s = 0;
  const base = start * D;
  const first = (1021 - (base % 1021)) % 1021;
  for (let k = first; k < data.length; k += 1021) s += data[k];
  return s;
}
let expected = 0;
for (let g = 0; g < N * D; g += 1021) expected += value(Math.floor(g / D), g % D);

function log(...a) {
  console.error('[io-bench]', ...a);
}

async function generate() {
  const files = {
    npy: join(dir, `m-${N}x${D}.npy`),
    raw: join(dir, `m-${N}x${D}.f32`),
    fvecs: join(dir, `m-${N}x${D}.fvecs`),
    parquet: join(dir, `m-${N}x${D}.parquet`),
    arrowFile: join(dir, `m-${N}x${D}.arrow`),
    arrowStream: join(dir, `m-${N}x${D}.arrows`),
  };
  if (Object.values(files).every(existsSync)) return files;
  log(`writing ${N} x ${D} float32 in six formats to ${dir}`);
  const npy = createNpyWriter(files.npy, { dtype: 'float32', rowShape: [D] });
  const rawFd = openSync(files.raw, 'w');
  const vecsFd = openSync(files.fvecs, 'w');
  const field = new Field('emb', new FixedSizeList(D, new Field('item', new Float32(), false)), false);
  const batches = [];
  for (let r0 = 0; r0 < N; r0 += BLOCK) {
    const rows = Math.min(BLOCK, N - r0);
    const b = block(r0, rows);
    await npy.write(b);
    writeSync(rawFd, new Uint8Array(b.buffer));
    const v = new Uint8Array(rows * (4 + D * 4));
    const dv = new DataView(v.buffer);
    for (let r = 0; r < rows; r++) {
      dv.setInt32(r * (4 + D * 4), D, true);
      v.set(new Uint8Array(b.buffer, r * D * 4, D * 4), r * (4 + D * 4) + 4);
    }
    writeSync(vecsFd, v);
    const child = makeData({ type: new Float32(), length: rows * D, data: b });
    const data = makeData({ type: field.type, length: rows, nullCount: 0, child });
    batches.push(new Table({ emb: makeVector(data) }).batches[0]);
  }
  await npy.close();
  closeSync(rawFd);
  closeSync(vecsFd);
  // 64 Ki-row record batches, as an Arrow producer would write them.
  for (const [Writer, path] of [[RecordBatchFileWriter, files.arrowFile], [RecordBatchStreamWriter, files.arrowStream]]) {
    writeFileSync(path, Writer.writeAll(batches).toUint8Array(true));
  }
  batches.length = 0;
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (SELECT list_transform(range(${D}), j -> ((((i * ${D} + j) * 48271) % 2147483647) / 2147483647.0 - 0.5)::FLOAT)::FLOAT[${D}] AS emb
                 FROM range(${N}) t(i) ORDER BY i) TO '${files.parquet}' (FORMAT parquet, COMPRESSION snappy)`);
  con.closeSync();
  return files;
}

async function timeIt(name, fn) {
  const times = [];
  let check;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    check = await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const sec = times[Math.floor(times.length / 2)];
  const ok = Math.abs(check - expected) <= 1e-6 * Math.max(1, Math.abs(expected)) + 1e-3;
  log(`${name}: median ${sec.toFixed(3)} s of ${REPS}${ok ? '' : `  CHECKSUM MISMATCH ${check} != ${expected}`}`);
  return { name, seconds: sec, all: times, vectorsPerSecond: N / sec, mbPerSecond: payload / MB / sec, checksumOk: ok };
}

async function readAll(path, options = {}) {
  const s = await open(path, options);
  let sum = 0;
  for await (const c of s.chunks({ maxBytes: CHUNK })) sum += sample(c.data, c.start);
  await s.close();
  return sum;
}

/** Baseline: a plain positional fs.read loop of the .npy payload into fresh Float32Array chunks. */
async function fsReadLoop(path) {
  const fh = await openFile(path, 'r');
  const header = npyDataOffset;
  const rowsPer = Math.floor(CHUNK / (D * 4));
  let sum = 0;
  for (let r = 0; r < N; r += rowsPer) {
    const rows = Math.min(rowsPer, N - r);
    const out = new Float32Array(rows * D);
    const bytes = new Uint8Array(out.buffer);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await fh.read(bytes, done, bytes.length - done, header + r * D * 4 + done);
      done += bytesRead;
    }
    sum += sample(out, r);
  }
  await fh.close();
  return sum;
}

/** DuckDB reading the same Parquet into one Float32Array per chunk (vector by vector from its result chunks). */
async function duckdbRead(path) {
  const db = await DuckDBInstance.create(':memory:', { threads: String(cpus().length) });
  const con = await db.connect();
  const result = await con.stream(`SELECT emb FROM read_parquet('${path}')`);
  let sum = 0;
  let row = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const vec = chunk.getColumnVector(0);
    // The FLOAT child of an ARRAY vector is one Float32Array (a private field of node-api's
    // DuckDBArrayVector/DuckDBFloatVector; copied out like an application would).
    const items = vec.childData.items;
    const out = new Float32Array(chunk.rowCount * D);
    out.set(items.subarray(0, chunk.rowCount * D));
    sum += sample(out, row);
    row += chunk.rowCount;
  }
  con.closeSync();
  if (row !== N) throw new Error(`duckdb returned ${row} rows`);
  return sum;
}

const files = await generate();
const npyDataOffset = await (async () => {
  const b = await FileByteSource.open(files.npy);
  const h = await readNpyHeader(b);
  await b.close();
  return h.dataOffset;
})();
{
  const probe = await open(files.npy);
  const ok = probe.n === N && probe.d === D;
  await probe.close();
  if (!ok) throw new Error('npy size mismatch');
}
const results = [];
const size = (p) => statSync(p).size;
const run = async (label, format, path, fn) => {
  const r = await timeIt(label, fn);
  results.push({ ...r, format, fileBytes: size(path) });
};
await run('@clostera/io .npy (fs positional reads)', 'npy', files.npy, () => readAll(files.npy));
await run('@clostera/io .npy memmap (native mmap + page release)', 'npy-memmap', files.npy, () => readAll(files.npy, { memmap: true }));
await run('plain fs.read loop (same chunks, no decoding)', 'fs-read', files.npy, () => fsReadLoop(files.npy));
await run('@clostera/io raw .f32', 'raw', files.raw, () => readAll(files.raw, { d: D }));
await run('@clostera/io .fvecs', 'fvecs', files.fvecs, () => readAll(files.fvecs));
await run('@clostera/io Arrow IPC file (zero-copy FixedSizeList)', 'arrow-file', files.arrowFile, () => readAll(files.arrowFile));
await run('@clostera/io Arrow IPC stream', 'arrow-stream', files.arrowStream, () => readAll(files.arrowStream));
await run('@clostera/io Parquet (hyparquet, DuckDB-written snappy)', 'parquet', files.parquet, () => readAll(files.parquet));
await run('DuckDB read_parquet -> Float32Array (same file)', 'parquet-duckdb', files.parquet, () => duckdbRead(files.parquet));

const gitRev = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const memmapProbe = await open(files.npy, { memmap: true });
const memmapMode = memmapProbe.detection.memmap;
await memmapProbe.close();
const env = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  gitRev,
  date: new Date().toISOString(),
  memmapMode,
};
const config = { n: N, d: D, dtype: 'float32', payloadBytes: payload, chunkBytes: CHUNK, reps: REPS, cache: 'warm (files just written, fit in RAM)' };
const command = `node packages/io/bench/read-bench.mjs --n ${N} --d ${D} --reps ${REPS} --chunk-mib ${CHUNK / 2 ** 20}`;
const out = join(root, 'benchmarks', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'io-read.json'), JSON.stringify({ command, env, config, expectedChecksum: expected, results }, null, 2) + '\n');
const md = [
  '# @clostera/io read throughput',
  '',
  `\`${command}\` — ${N.toLocaleString('en-US')} x ${D} float32 (${(payload / MB).toFixed(0)} MB of values), ${CHUNK / 2 ** 20} MiB chunks, median of ${REPS}, warm page cache.`,
  '',
  `Environment: ${env.cpu} (${env.cores} cores, ${env.memoryGiB} GiB), Node ${env.node}, ${env.platform}, git ${gitRev}, ${env.date}. memmap mode: ${memmapMode}.`,
  '',
  '| reader | file MB | seconds | vectors/s | MB/s (values) | checksum |',
  '| --- | ---: | ---: | ---: | ---: | --- |',
  ...results.map((r) => `| ${r.name} | ${(r.fileBytes / MB).toFixed(0)} | ${r.seconds.toFixed(3)} | ${Math.round(r.vectorsPerSecond).toLocaleString('en-US')} | ${r.mbPerSecond.toFixed(0)} | ${r.checksumOk ? 'ok' : 'MISMATCH'} |`),
  '',
  'MB/s counts the float32 values delivered (n x d x 4 bytes), whatever the file size. Every reader',
  'hands out float32 chunks; "plain fs.read loop" only reads the .npy payload into chunks and is the',
  'ceiling for file-based readers. DuckDB uses all cores; @clostera/io reads on the JS thread.',
  '',
].join('\n');
writeFileSync(join(out, 'io-read.md'), md);
console.log(md);

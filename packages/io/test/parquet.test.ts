import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParquetWriter, writeCentroids, writeLabels, ParquetSource } from '../src/index.js';
import { collect, expectCode, matrix, tempDir, open } from './helpers.js';

const dir = tempDir();
const N = 5000;
const D = 12;

/** The value DuckDB computes for row i, component j below. */
const val = (i: number, j: number): number => ((i * 7 + j) % 101) - 50;
const expected = (n: number, d: number): Float32Array => {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = val(i, j);
  return out;
};

let con: DuckDBConnection;
beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  await con.run(`CREATE TABLE t AS SELECT i::INTEGER AS id,
      list_transform(range(${D}), j -> (((i * 7 + j) % 101) - 50)::FLOAT)::FLOAT[${D}] AS fixed,
      list_transform(range(${D}), j -> (((i * 7 + j) % 101) - 50)::DOUBLE) AS list64,
      ${Array.from({ length: 4 }, (_, j) => `(((i * 7 + ${j}) % 101) - 50)::FLOAT AS c${j}`).join(', ')},
      'row ' || i AS name
    FROM range(${N}) r(i)`);
});
afterAll(() => con?.closeSync());

async function duck(sql: string, file: string, opts: string): Promise<string> {
  const p = join(dir, file);
  await con.run(`COPY (${sql}) TO '${p}' (FORMAT parquet, ${opts})`);
  return p;
}

describe('Parquet written by DuckDB', () => {
  const CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw'];
  for (const codec of CODECS) {
    for (const version of ['v1', 'v2']) {
      it(`reads FixedSizeList, List and scalar columns (${codec}, pages ${version}, several row groups)`, async () => {
        const p = await duck('SELECT * FROM t ORDER BY id', `t-${codec}-${version}.parquet`, `COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 1024`);
        const fixed = await open(p);
        expect(fixed.detection).toEqual({ format: 'parquet', by: 'magic' });
        expect([fixed.n, fixed.d, fixed.dtype]).toEqual([N, D, 'float32']);
        expect((fixed as unknown as ParquetSource).columns.names).toEqual(['fixed']);
        expect(await collect(fixed, { maxBytes: 777 * D * 4 })).toEqual(expected(N, D));
        const list = await open(p, { column: 'list64' });
        expect([list.n, list.d, list.dtype]).toEqual([N, D, 'float64']);
        expect(await collect(list, { start: 900, end: 3100 })).toEqual(expected(N, D).subarray(900 * D, 3100 * D));
        const scalars = await open(p, { columns: ['c0', 'c1', 'c2', 'c3'] });
        expect([scalars.n, scalars.d]).toEqual([N, 4]);
        expect(await collect(scalars, { maxBytes: 4000 })).toEqual(expected(N, 4));
        const idx = [4999, 0, 1023, 1024, 2500, 2500];
        const picked = await fixed.rows(idx);
        idx.forEach((r, k) => expect(picked.subarray(k * D, (k + 1) * D)).toEqual(expected(N, D).subarray(r * D, (r + 1) * D)));
        await Promise.all([fixed.close(), list.close(), scalars.close()]);
      });
    }
  }

  it('reports nulls with their row', async () => {
    const nullVec = await duck(`SELECT CASE WHEN id = 1500 THEN NULL ELSE list64 END AS v FROM t ORDER BY id`, 'null-vec.parquet', 'ROW_GROUP_SIZE 1024');
    let s = await open(nullVec);
    expect(s.d).toBe(D);
    expect((await expectCode(collect(s), 'CLOSTERA_FORMAT')).row).toBe(1500);
    const nullInside = await duck(`SELECT list_transform(list64, (x, k) -> CASE WHEN id = 77 AND k = 3 THEN NULL ELSE x END) AS v FROM t ORDER BY id`, 'null-inside.parquet', 'ROW_GROUP_SIZE 1024');
    s = await open(nullInside);
    expect((await expectCode(collect(s), 'CLOSTERA_FORMAT')).row).toBe(77);
    const nullScalar = await duck(`SELECT c0, CASE WHEN id = 4321 THEN NULL ELSE c1 END AS c1 FROM t ORDER BY id`, 'null-scalar.parquet', 'ROW_GROUP_SIZE 1024');
    s = await open(nullScalar);
    expect((await expectCode(collect(s), 'CLOSTERA_FORMAT')).row).toBe(4321);
  });

  it('reports ragged lists, non-numeric and missing columns', async () => {
    const ragged = await duck(`SELECT CASE WHEN id = 2222 THEN list64[1:3] ELSE list64 END AS v FROM t ORDER BY id`, 'ragged.parquet', 'ROW_GROUP_SIZE 1024');
    const s = await open(ragged);
    const e = await expectCode(collect(s), 'CLOSTERA_FORMAT');
    expect([e.row, e.expected, e.actual]).toEqual([2222, D, 3]);
    const p = await duck('SELECT * FROM t ORDER BY id', 'all.parquet', 'ROW_GROUP_SIZE 2048');
    await expectCode(open(p, { column: 'name' }), 'CLOSTERA_INVALID_TYPE');
    await expectCode(open(p, { column: 'nope' }), 'CLOSTERA_INVALID_ARGUMENT');
    await expectCode(open(p, { columns: ['c0', 'fixed'] }), 'CLOSTERA_INVALID_TYPE');
    const strings = await duck('SELECT name FROM t', 'strings.parquet', 'ROW_GROUP_SIZE 2048');
    await expectCode(open(strings), 'CLOSTERA_INVALID_TYPE');
    const big = await duck('SELECT id::BIGINT AS b FROM t', 'bigint.parquet', 'ROW_GROUP_SIZE 2048');
    await expectCode(open(big, { column: 'b' }), 'CLOSTERA_UNSUPPORTED');
  });

  it('refuses a row group larger than the memory limit before reading it', async () => {
    const p = await duck('SELECT fixed FROM t', 'limit.parquet', 'ROW_GROUP_SIZE 100000');
    const e = await expectCode(open(p, { memoryLimitBytes: 10_000 }), 'CLOSTERA_OUT_OF_MEMORY');
    expect(e.expected).toBe('<= 10000');
  });

  it('validates NaN when asked', async () => {
    const p = await duck(`SELECT CASE WHEN id = 3000 THEN [1, 'nan'::FLOAT, 3] ELSE [1::FLOAT, 2, 3] END AS v FROM t ORDER BY id`, 'nan.parquet', 'ROW_GROUP_SIZE 1024');
    const s = await open(p, { validate: true });
    expect((await expectCode(collect(s), 'CLOSTERA_NON_FINITE')).row).toBe(3000);
  });
});

describe('Parquet writer', () => {
  it('round-trips every writable dtype as LIST and scalar columns, read back by hyparquet and DuckDB', async () => {
    for (const dtype of ['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'] as const) {
      const v = matrix(3000, 5, 4, !dtype.startsWith('u')).map((x) => (dtype.endsWith('8') ? (x % 100) + 0 : x));
      const p = join(dir, `w-${dtype}.parquet`);
      const w = createParquetWriter(p, { dtype, cols: 5, rowGroupRows: 700 });
      await w.write(v.subarray(0, 5 * 1234));
      await w.write(v.subarray(5 * 1234));
      expect(await w.close()).toBe(3000);
      const s = await open(p);
      expect([s.n, s.d, s.dtype]).toEqual([3000, 5, dtype]);
      expect(await collect(s, { maxBytes: 999 })).toEqual(v);
      const r = await con.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(list_sum(vector))::DOUBLE AS s FROM read_parquet('${p}')`);
      expect(r.getRowObjectsJS()[0]).toEqual({ n: 3000, s: v.reduce((a, b) => a + b, 0) });
    }
  });

  it('writes labels and centroids through the convenience writers', async () => {
    const labels = Uint32Array.from({ length: 2000 }, (_, i) => (i * 31) % 17);
    const lp = join(dir, 'labels.parquet');
    await writeLabels(lp, labels);
    const ls = await open(lp);
    expect([ls.n, ls.d, ls.dtype]).toEqual([2000, 1, 'uint32']);
    expect(Array.from(await collect(ls))).toEqual(Array.from(labels));
    const r = await con.runAndReadAll(`SELECT sum(label)::BIGINT AS s FROM read_parquet('${lp}')`);
    expect(Number(r.getRowObjectsJS()[0]!.s)).toBe(labels.reduce((a, b) => a + b, 0));
    const cent = matrix(16, 8);
    const cp = join(dir, 'centroids.parquet');
    await writeCentroids(cp, cent, 8);
    expect(await collect(await open(cp))).toEqual(cent);
  });

  it('reads Parquet held in memory', async () => {
    const p = join(dir, 'mem.parquet');
    await writeCentroids(p, matrix(10, 3), 3);
    const s = await open(readFileSync(p));
    expect(s.detection.format).toBe('parquet');
    expect(await collect(s)).toEqual(matrix(10, 3));
    writeFileSync(join(dir, 'x'), '');
  });
});

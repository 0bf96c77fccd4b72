import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Field, FixedSizeList, Float16, Float32, Float64, Int8, Int32, List, RecordBatch, Table, Uint8, Utf8,
  makeData, makeVector, tableToIPC, vectorFromArray, type DataType,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { collect, expectCode, matrix, tempDir, toHalf, open } from './helpers.js';

const dir = tempDir();

function fixedColumn(values: ArrayLike<number>, d: number, leaf: DataType, Ctor: { from(a: ArrayLike<number>): ArrayLike<number> }) {
  const child = makeData({ type: leaf, length: values.length, data: Ctor.from(values) } as never) as never;
  return makeVector(makeData({ type: new FixedSizeList(d, new Field('item', leaf, false)), length: values.length / d, nullCount: 0, child }));
}

function listColumn(rows: (number[] | null)[]) {
  return vectorFromArray(rows, new List(new Field('item', new Float64(), true)));
}

describe('Arrow', () => {
  const v = matrix(500, 6);

  it('serves FixedSizeList<Float32> without copying, across batches', async () => {
    const t1 = new Table({ emb: fixedColumn(v.subarray(0, 1200), 6, new Float32(), Float32Array) });
    const t2 = new Table({ emb: fixedColumn(v.subarray(1200), 6, new Float32(), Float32Array) });
    const table = t1.concat(t2);
    const s = await open(table);
    expect(s.detection).toEqual({ format: 'arrow-table', by: 'type' });
    expect([s.n, s.d, s.dtype]).toEqual([500, 6, 'float32']);
    const buffers = new Set(table.batches.map((b) => b.getChild('emb')!.data[0]!.children[0]!.values.buffer));
    for await (const c of s.chunks({ maxBytes: 6 * 4 * 64 })) expect(buffers.has(c.data.buffer)).toBe(true);
    expect(await collect(s, { maxBytes: 6 * 4 * 64 })).toEqual(v);
    expect(await s.rows([499, 0, 200, 201])).toEqual(Float32Array.from([...v.subarray(2994), ...v.subarray(0, 6), ...v.subarray(1200, 1212)]));
    const batch = await open(table.batches[1]!);
    expect(batch.n).toBe(300);
  });

  it('converts other leaf types, List columns and scalar columns', async () => {
    const small = v.map((x) => x % 100 + 0);
    const unsigned = small.map((x) => Math.abs(x));
    const cases: [Table, Float32Array, string][] = [
      [new Table({ e: fixedColumn(small, 6, new Float64(), Float64Array) }), small, 'float64'],
      [new Table({ e: fixedColumn(small, 6, new Int8(), Int8Array) }), small, 'int8'],
      [new Table({ e: fixedColumn(unsigned, 6, new Uint8(), Uint8Array) }), unsigned, 'uint8'],
      [new Table({ e: fixedColumn(small, 6, new Int32(), Int32Array) }), small, 'int32'],
      [new Table({ e: fixedColumn(Uint16Array.from(small, toHalf), 6, new Float16(), Uint16Array) }), small, 'float16'],
      [new Table({ e: listColumn(Array.from({ length: 500 }, (_, i) => Array.from(small.subarray(i * 6, i * 6 + 6)))) }), small, 'float64'],
    ];
    for (const [table, want, dtype] of cases) {
      const s = await open(table);
      expect([s.n, s.d, s.dtype]).toEqual([500, 6, dtype]);
      expect(await collect(s, { maxBytes: 1000 })).toEqual(want);
    }
    const scalars = new Table({ a: vectorFromArray([1, 2, 3], new Float32()), b: vectorFromArray([4, 5, 6], new Int32()), s: vectorFromArray(['x', 'y', 'z'], new Utf8()) });
    const s = await open(scalars);
    expect([s.n, s.d]).toEqual([3, 2]);
    expect(Array.from(await collect(s))).toEqual([1, 4, 2, 5, 3, 6]);
    await expectCode(open(scalars, { column: 's' }), 'CLOSTERA_INVALID_TYPE');
    await expectCode(open(scalars, { column: 'zz' }), 'CLOSTERA_INVALID_ARGUMENT');
  });

  it('reports ragged lists and nulls with their rows', async () => {
    const ragged = new Table({ e: listColumn([[1, 2], [3, 4], [5], [6, 7]]) });
    const e = await expectCode(collect(await open(ragged)), 'CLOSTERA_FORMAT');
    expect([e.row, e.expected, e.actual]).toEqual([2, 2, 1]);
    const nullRow = new Table({ e: listColumn([[1, 2], null, [5, 6]]) });
    expect((await expectCode(collect(await open(nullRow)), 'CLOSTERA_FORMAT')).row).toBe(1);
    const nullInside = new Table({ e: vectorFromArray([[1, 2], [3, null]] as never, new List(new Field('item', new Float64(), true))) });
    expect((await expectCode(collect(await open(nullInside)), 'CLOSTERA_FORMAT')).row).toBe(1);
    const nullScalar = new Table({ a: vectorFromArray([1, null, 3], new Float32()) });
    expect((await expectCode(collect(await open(nullScalar)), 'CLOSTERA_FORMAT')).row).toBe(1);
  });

  it('reads IPC files and streams from disk and from memory', async () => {
    const batches = [0, 1, 2].map((k) => new Table({ emb: fixedColumn(v.subarray(k * 600, k * 600 + 600), 6, new Float32(), Float32Array) }).batches[0]!);
    const table = new Table(batches as RecordBatch[]);
    for (const [kind, ext] of [['file', 'arrow'], ['stream', 'arrows']] as const) {
      const p = join(dir, `t.${ext}`);
      writeFileSync(p, tableToIPC(table, kind));
      const s = await open(p);
      expect(s.detection).toEqual({ format: `arrow-${kind}`, by: 'magic' });
      expect([s.n, s.d]).toEqual([300, 6]);
      expect(await collect(s, { maxBytes: 6 * 4 * 70 })).toEqual(v.subarray(0, 1800));
      expect(await s.rows([299, 100, 0])).toEqual(Float32Array.from([...v.subarray(1794, 1800), ...v.subarray(600, 606), ...v.subarray(0, 6)]));
      const m = await open(readFileSync(p));
      expect(await collect(m)).toEqual(v.subarray(0, 1800));
      await s.close();
    }
  });

  it('validates NaN with the row', async () => {
    const w = v.slice();
    w[6 * 123 + 1] = Infinity;
    const s = await open(new Table({ emb: fixedColumn(w, 6, new Float32(), Float32Array) }), { validate: true });
    expect((await expectCode(collect(s), 'CLOSTERA_NON_FINITE')).row).toBe(123);
  });
});

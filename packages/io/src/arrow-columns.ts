/**
 * Arrow column layouts that hold vectors, and their conversion to row-major float32:
 * FixedSizeList<numeric> (Float32 without nulls is served zero-copy), List<numeric> (every list
 * must have the same length) and sets of scalar numeric columns.
 */
import { DataType, Type, type Data, type RecordBatch, type Schema } from 'apache-arrow';
import { decodeInto, type DType } from './dtype.js';
import { argumentError, ErrorCode, formatError, ioError, unsupportedError } from './errors.js';
import type { ColumnSelection } from './parquet-schema.js';

/** The resolved vector layout of an Arrow schema. */
export interface ArrowVectorColumns {
  /** 'fixed' FixedSizeList, 'list' List/LargeList, 'scalar' one column per component. */
  kind: 'fixed' | 'list' | 'scalar';
  /** Column names to read (one unless scalar). */
  names: string[];
  /** Element type of the leaves (the widest when scalar columns differ). */
  dtype: DType;
  /** Dimension when the schema fixes it (FixedSizeList, scalar columns), else undefined. */
  d: number | undefined;
}

/** dtype of an Arrow primitive type, or undefined when it is not a supported number. */
function primitiveDType(t: DataType): DType | 'int64' | undefined {
  switch (t.typeId) {
    case Type.Float: {
      const p = (t as unknown as { precision: number }).precision;
      return p === 0 ? 'float16' : p === 1 ? 'float32' : 'float64';
    }
    case Type.Int: {
      const { bitWidth, isSigned } = t as unknown as { bitWidth: number; isSigned: boolean };
      if (bitWidth === 64) return 'int64';
      const table: Record<number, [DType, DType]> = { 8: ['int8', 'uint8'], 16: ['int16', 'uint16'], 32: ['int32', 'uint32'] };
      return table[bitWidth]?.[isSigned ? 0 : 1];
    }
    default:
      return undefined;
  }
}

function numeric(name: string, t: DataType): { kind: ArrowVectorColumns['kind']; dtype: DType; d: number | undefined } {
  let kind: ArrowVectorColumns['kind'] = 'scalar';
  let leaf = t;
  let d: number | undefined = 1;
  if (DataType.isFixedSizeList(t)) {
    kind = 'fixed';
    d = t.listSize;
    leaf = t.children[0]!.type;
  } else if (DataType.isList(t) || t.typeId === Type.LargeList) {
    kind = 'list';
    d = undefined;
    leaf = (t as unknown as { children: { type: DataType }[] }).children[0]!.type;
  }
  const dt = primitiveDType(leaf);
  if (dt === 'int64') {
    throw unsupportedError(`arrow: column ${name} holds Int64 values, which convert to float32 lossily`, { expected: 'Float16|Float32|Float64|Int8..Int32', actual: String(leaf) });
  }
  if (!dt) {
    throw ioError(ErrorCode.InvalidType, `arrow: column ${name} is not numeric (or a list of numbers)`, { expected: 'numeric or list<numeric>', actual: String(t) });
  }
  return { kind, dtype: dt, d };
}

const WIDTH: Record<DType, number> = { uint8: 1, int8: 2, float16: 3, uint16: 4, int16: 5, uint32: 6, int32: 7, float32: 8, float64: 9 };

/** Resolve the selection against an Arrow schema (default: first list column, else all numeric scalars). */
export function resolveArrowColumns(schema: Schema, sel: ColumnSelection): ArrowVectorColumns {
  const fields = new Map(schema.fields.map((f) => [f.name, f.type as DataType]));
  const get = (name: string): DataType => {
    const t = fields.get(name);
    if (!t) throw argumentError(`arrow: no column named ${JSON.stringify(name)}`, { expected: [...fields.keys()].join(', '), actual: name });
    return t;
  };
  if (sel.column !== undefined && sel.columns !== undefined) throw argumentError('arrow: pass either column or columns, not both');
  if (sel.column !== undefined) {
    const r = numeric(sel.column, get(sel.column));
    return { ...r, names: [sel.column] };
  }
  const scalarNames: string[] = [];
  let widest: DType = 'uint8';
  const candidates = sel.columns ?? [...fields.keys()];
  if (sel.columns !== undefined && sel.columns.length === 0) throw argumentError('arrow: columns must name at least one column');
  for (const name of candidates) {
    let r: ReturnType<typeof numeric>;
    if (sel.columns !== undefined) r = numeric(name, get(name));
    else {
      try {
        r = numeric(name, get(name));
      } catch {
        continue;
      }
    }
    if (r.kind !== 'scalar') {
      if (sel.columns === undefined) return { ...r, names: [name] };
      throw ioError(ErrorCode.InvalidType, `arrow: column ${name} is a list; pass it as column, not in columns`, { expected: 'scalar', actual: 'list' });
    }
    scalarNames.push(name);
    if (WIDTH[r.dtype] > WIDTH[widest]) widest = r.dtype;
  }
  if (scalarNames.length === 0) {
    throw ioError(ErrorCode.InvalidType, 'arrow: no numeric column or list-of-numbers column to read vectors from', {
      expected: 'numeric or list<numeric> column',
      actual: [...fields.keys()].join(', ') || '(no columns)',
    });
  }
  return { kind: 'scalar', names: scalarNames, dtype: widest, d: scalarNames.length };
}

/** The contiguous Data chunks of a column of a batch (a batch column is normally one chunk). */
function columnData(batch: RecordBatch, name: string): Data {
  const v = batch.getChild(name);
  if (!v) throw argumentError(`arrow: batch has no column ${name}`);
  if (v.data.length !== 1) throw formatError(`arrow: column ${name} of a record batch has ${v.data.length} chunks`);
  return v.data[0]!;
}

function firstNull(data: Data, from: number, count: number): number {
  if (data.nullCount === 0) return -1;
  for (let r = from; r < from + count; r++) if (!data.getValid(r)) return r;
  return -1;
}

function bytesOf(values: ArrayBufferView, start: number, count: number, size: number): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset + start * size, count * size);
}

const SIZE: Record<DType, number> = { float32: 4, float64: 8, float16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4 };

/**
 * Zero-copy view of rows `[from, from + count)` of a batch, when the column is a
 * FixedSizeList<Float32> without nulls; undefined otherwise.
 */
export function zeroCopyRows(batch: RecordBatch, cols: ArrowVectorColumns, d: number, from: number, count: number): Float32Array | undefined {
  if (cols.kind !== 'fixed' || cols.dtype !== 'float32') return undefined;
  const data = columnData(batch, cols.names[0]!);
  const child = data.children[0];
  if (!child || data.nullCount !== 0 || child.nullCount !== 0) return undefined;
  const values = child.values as Float32Array;
  if (!(values instanceof Float32Array) || values.length < (from + count) * d) return undefined;
  return values.subarray(from * d, (from + count) * d);
}

/**
 * Convert rows `[from, from + count)` of `batch` (batch-relative) into `out` at row slot
 * `outRow`. `rowBase` is the batch's first absolute row, for error messages.
 */
export function copyRows(batch: RecordBatch, cols: ArrowVectorColumns, d: number, from: number, count: number, out: Float32Array, outRow: number, rowBase: number): void {
  if (cols.kind === 'scalar') {
    const tmp = new Float32Array(count);
    for (let c = 0; c < cols.names.length; c++) {
      const data = columnData(batch, cols.names[c]!);
      const bad = firstNull(data, from, count);
      if (bad >= 0) throw formatError(`arrow: null in column ${cols.names[c]} at row ${rowBase + bad}`, { row: rowBase + bad, expected: 'number', actual: 'null' });
      const dt = primitiveDType(data.type as DataType) as DType;
      decodeInto(bytesOf(data.values as ArrayBufferView, from, count, SIZE[dt]), count, dt, 'little', tmp, 0);
      for (let r = 0; r < count; r++) out[(outRow + r) * d + c] = tmp[r]!;
    }
    return;
  }
  const name = cols.names[0]!;
  const data = columnData(batch, name);
  const bad = firstNull(data, from, count);
  if (bad >= 0) throw formatError(`arrow: null vector in column ${name} at row ${rowBase + bad}`, { row: rowBase + bad, expected: `list of ${d}`, actual: 'null' });
  const child = data.children[0]!;
  const size = SIZE[cols.dtype];
  if (cols.kind === 'fixed') {
    const childBad = firstNull(child, from * d, count * d);
    if (childBad >= 0) {
      const row = rowBase + Math.floor(childBad / d);
      throw formatError(`arrow: null inside the vector of row ${row}`, { row, expected: 'number', actual: 'null' });
    }
    const values = child.values as ArrayBufferView & { length: number };
    if (values.length < (from + count) * d) throw formatError(`arrow: column ${name} has fewer values than ${d} per row`, { expected: (from + count) * d, actual: values.length });
    decodeInto(bytesOf(values, from * d, count * d, size), count * d, cols.dtype, 'little', out, outRow * d);
    return;
  }
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  const values = child.values as ArrayBufferView & { length: number };
  for (let r = from; r < from + count; r++) {
    const a = Number(offsets[r]);
    const b = Number(offsets[r + 1]);
    if (b - a !== d) {
      throw formatError(`arrow: row ${rowBase + r} of column ${name} has ${b - a} components, expected ${d} (ragged lists)`, { row: rowBase + r, expected: d, actual: b - a });
    }
    if (a < 0 || b > values.length) throw formatError(`arrow: list offsets of row ${rowBase + r} run past the values`, { row: rowBase + r });
    if (firstNull(child, a, d) >= 0) throw formatError(`arrow: null inside the vector of row ${rowBase + r}`, { row: rowBase + r, expected: 'number', actual: 'null' });
    decodeInto(bytesOf(values, a, d, size), d, cols.dtype, 'little', out, (outRow + r - from) * d);
  }
}

/** The list length of the first non-null row of a List column, if any. */
export function firstListLength(batch: RecordBatch, cols: ArrowVectorColumns): number | undefined {
  const data = columnData(batch, cols.names[0]!);
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  for (let r = 0; r < data.length; r++) if (data.getValid(r)) return Number(offsets[r + 1]) - Number(offsets[r]);
  return undefined;
}

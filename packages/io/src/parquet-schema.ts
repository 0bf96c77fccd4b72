/**
 * Which Parquet columns make up the vectors: one list column (Arrow FixedSizeList and List are
 * both stored as a Parquet LIST) of a numeric leaf, or several scalar numeric columns taken
 * together as one vector per row.
 */
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetSchema } from 'hyparquet';
import type { DType } from './dtype.js';
import { argumentError, ErrorCode, ioError, unsupportedError } from './errors.js';

/** The resolved vector layout of a Parquet file. */
export interface ParquetVectorColumns {
  /** 'list': one column whose rows are vectors; 'scalar': one column per component. */
  kind: 'list' | 'scalar';
  /** Top-level column names to read (one for 'list'). */
  names: string[];
  /** Element type of the leaves (the widest when scalar columns differ). */
  dtype: DType;
}

/** Column selection accepted by the Parquet and Arrow readers. */
export interface ColumnSelection {
  /** Name of one list/FixedSizeList column holding the vectors. */
  column?: string;
  /** Names of scalar numeric columns taken together, in order, as the vector components. */
  columns?: string[];
}

/** dtype of a Parquet leaf, undefined when it is not numeric; INT64 and friends are unsupported. */
export function leafDType(el: SchemaElement): DType | 'int64' | undefined {
  const ct = el.converted_type;
  const lt = el.logical_type;
  switch (el.type) {
    case 'FLOAT': return 'float32';
    case 'DOUBLE': return 'float64';
    case 'INT32': {
      if (ct === 'DATE' || ct === 'TIME_MILLIS' || ct === 'DECIMAL' || lt?.type === 'DATE' || lt?.type === 'TIME' || lt?.type === 'DECIMAL') return undefined;
      if (ct === 'INT_8') return 'int8';
      if (ct === 'UINT_8') return 'uint8';
      if (ct === 'INT_16') return 'int16';
      if (ct === 'UINT_16') return 'uint16';
      if (ct === 'UINT_32') return 'uint32';
      if (lt?.type === 'INTEGER') {
        const bits = lt.bitWidth;
        if (bits === 8) return lt.isSigned ? 'int8' : 'uint8';
        if (bits === 16) return lt.isSigned ? 'int16' : 'uint16';
        return lt.isSigned ? 'int32' : 'uint32';
      }
      return 'int32';
    }
    case 'INT64':
      if ((ct === undefined || ct === 'INT_64' || ct === 'UINT_64') && (lt === undefined || lt.type === 'INTEGER')) return 'int64';
      return undefined;
    case 'FIXED_LEN_BYTE_ARRAY':
      return lt?.type === 'FLOAT16' ? 'float16' : undefined;
    default:
      return undefined;
  }
}

/** Walk a top-level field down to its leaf; returns how many REPEATED levels it crosses. */
function describe(field: SchemaTree): { leaf: SchemaElement; repeated: number; branching: boolean } {
  let node = field;
  let repeated = node.element.repetition_type === 'REPEATED' ? 1 : 0;
  while (node.children.length === 1) {
    node = node.children[0]!;
    if (node.element.repetition_type === 'REPEATED') repeated++;
  }
  return { leaf: node.element, repeated, branching: node.children.length > 1 };
}

function numericDType(name: string, field: SchemaTree): { kind: 'list' | 'scalar'; dtype: DType } {
  const { leaf, repeated, branching } = describe(field);
  const dt = branching ? undefined : leafDType(leaf);
  if (dt === 'int64') {
    throw unsupportedError(`parquet: column ${name} holds INT64 values, which convert to float32 lossily; cast it to INT32 or FLOAT`, {
      expected: 'FLOAT|DOUBLE|INT32|FLOAT16',
      actual: 'INT64',
    });
  }
  if (!dt || repeated > 1) {
    throw ioError(ErrorCode.InvalidType, `parquet: column ${name} is not numeric (or a list of numbers)`, {
      expected: 'numeric or list<numeric>',
      actual: branching ? 'struct' : repeated > 1 ? 'nested list' : (leaf.logical_type?.type ?? leaf.converted_type ?? leaf.type ?? 'group'),
    });
  }
  return { kind: repeated === 1 ? 'list' : 'scalar', dtype: dt };
}

const WIDTH: Record<DType, number> = { uint8: 1, int8: 2, float16: 3, uint16: 4, int16: 5, uint32: 6, int32: 7, float32: 8, float64: 9 };

/** Resolve the selection against the file schema (or pick a sensible default). */
export function resolveParquetColumns(metadata: FileMetaData, sel: ColumnSelection): ParquetVectorColumns {
  const root = parquetSchema(metadata);
  const byName = new Map(root.children.map((c) => [c.element.name, c]));
  const get = (name: string): SchemaTree => {
    const f = byName.get(name);
    if (!f) {
      throw argumentError(`parquet: no column named ${JSON.stringify(name)}`, { expected: [...byName.keys()].join(', '), actual: name });
    }
    return f;
  };
  if (sel.column !== undefined && sel.columns !== undefined) throw argumentError('parquet: pass either column or columns, not both');
  if (sel.column !== undefined) {
    const { kind, dtype } = numericDType(sel.column, get(sel.column));
    return { kind, names: [sel.column], dtype };
  }
  if (sel.columns !== undefined) {
    if (sel.columns.length === 0) throw argumentError('parquet: columns must name at least one column');
    let widest: DType = 'uint8';
    for (const name of sel.columns) {
      const { kind, dtype } = numericDType(name, get(name));
      if (kind !== 'scalar') {
        throw ioError(ErrorCode.InvalidType, `parquet: column ${name} is a list; pass it as column, not in columns`, { expected: 'scalar', actual: 'list' });
      }
      if (WIDTH[dtype] > WIDTH[widest]) widest = dtype;
    }
    return { kind: 'scalar', names: [...sel.columns], dtype: widest };
  }
  // Default: the first numeric list column; otherwise every numeric scalar column.
  const scalars: string[] = [];
  let widest: DType = 'uint8';
  for (const field of root.children) {
    let r: { kind: 'list' | 'scalar'; dtype: DType };
    try {
      r = numericDType(field.element.name, field);
    } catch {
      continue;
    }
    if (r.kind === 'list') return { kind: 'list', names: [field.element.name], dtype: r.dtype };
    scalars.push(field.element.name);
    if (WIDTH[r.dtype] > WIDTH[widest]) widest = r.dtype;
  }
  if (scalars.length === 0) {
    throw ioError(ErrorCode.InvalidType, 'parquet: no numeric column or list-of-numbers column to read vectors from', {
      expected: 'numeric or list<numeric> column',
      actual: [...byName.keys()].join(', ') || '(no columns)',
    });
  }
  return { kind: 'scalar', names: scalars, dtype: widest };
}

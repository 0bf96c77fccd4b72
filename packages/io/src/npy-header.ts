/**
 * The .npy header: magic, version, and the Python-literal dict
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`.
 * Parsing is strict and bounded: a header can neither claim more bytes than the file holds nor
 * make the parser allocate more than the header length it declares (capped).
 */
import type { ByteOrder, DType } from './dtype.js';
import { DTYPE_BYTES } from './dtype.js';
import { formatError, unsupportedError } from './errors.js';

/** The 6-byte magic every .npy starts with. */
export const NPY_MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Headers larger than this are rejected before reading them (numpy itself caps at 10 KB by default). */
export const NPY_MAX_HEADER_BYTES = 1 << 20;

/** A parsed .npy header. */
export interface NpyHeader {
  /** Format major version (1, 2 or 3). */
  version: number;
  /** Element type. */
  dtype: DType;
  /** Byte order of the elements. */
  order: ByteOrder;
  /** The shape tuple. */
  shape: number[];
  /** Byte offset where the array data starts. */
  dataOffset: number;
}

const DESCR: Record<string, DType> = {
  f2: 'float16', f4: 'float32', f8: 'float64',
  i1: 'int8', u1: 'uint8', b1: 'uint8',
  i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32',
};

/** Byte length of the fixed prelude (magic, version, header length) for a version. */
export function npyPreludeBytes(major: number): number {
  return major === 1 ? 10 : 12;
}

/** Read magic, version and header length from the first 12 bytes. */
export function parseNpyPrelude(head: Uint8Array): { version: number; headerLen: number; prelude: number } {
  if (head.length < 10) throw formatError('npy: file shorter than the 10-byte prelude', { expected: 10, actual: head.length });
  for (let i = 0; i < 6; i++) {
    if (head[i] !== NPY_MAGIC[i]) {
      throw formatError('npy: wrong magic', { expected: '\\x93NUMPY', actual: Buffer.from(head.subarray(0, 6)).toString('latin1') });
    }
  }
  const major = head[6]!;
  if (major < 1 || major > 3) throw unsupportedError(`npy: format version ${major} is not 1, 2 or 3`, { expected: '1|2|3', actual: major });
  const dv = new DataView(head.buffer, head.byteOffset, head.length);
  const prelude = npyPreludeBytes(major);
  if (head.length < prelude) throw formatError('npy: truncated prelude', { expected: prelude, actual: head.length });
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (headerLen > NPY_MAX_HEADER_BYTES) {
    throw formatError(`npy: header length ${headerLen} exceeds ${NPY_MAX_HEADER_BYTES}`, { expected: `<= ${NPY_MAX_HEADER_BYTES}`, actual: headerLen });
  }
  return { version: major, headerLen, prelude };
}

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

/** Tiny recursive-descent parser for the Python literal subset numpy writes. */
class PyLiteral {
  private i = 0;
  constructor(private readonly s: string) {}
  parse(): PyValue {
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) throw this.fail('trailing characters');
    return v;
  }
  private fail(why: string): Error {
    return formatError(`npy: header dict is malformed (${why} at ${this.i})`, { actual: this.s.slice(0, 200) });
  }
  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  private value(depth: number): PyValue {
    if (depth > 8) throw this.fail('nesting too deep');
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.dict(depth);
    if (c === '(' || c === '[') return this.seq(c === '(' ? ')' : ']', depth);
    if (c === "'" || c === '"') return this.str(c);
    const m = /^(True|False|None|-?\d+L?)/.exec(this.s.slice(this.i, this.i + 32));
    if (!m) throw this.fail('unexpected token');
    this.i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  }
  private str(q: string): string {
    const end = this.s.indexOf(q, this.i + 1);
    if (end < 0) throw this.fail('unterminated string');
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }
  private seq(close: string, depth: number): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) { this.i++; return out; }
      out.push(this.value(depth + 1));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw this.fail(`expected , or ${close}`);
    }
  }
  private dict(depth: number): { [k: string]: PyValue } {
    this.i++;
    const out: { [k: string]: PyValue } = Object.create(null);
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') { this.i++; return out; }
      const k = this.value(depth + 1);
      if (typeof k !== 'string') throw this.fail('non-string key');
      this.ws();
      if (this.s[this.i] !== ':') throw this.fail('expected :');
      this.i++;
      out[k] = this.value(depth + 1);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw this.fail('expected , or }');
    }
  }
}

/** Parse the header dict text (after the prelude) into dtype, order and shape. */
export function parseNpyDict(text: string, version: number, dataOffset: number): NpyHeader {
  const dict = new PyLiteral(text.replace(/[\s\0]+$/, '')).parse();
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) throw formatError('npy: header is not a dict');
  const { descr, fortran_order: fortran, shape } = dict as Record<string, PyValue>;
  if (typeof descr !== 'string') {
    throw unsupportedError('npy: structured dtypes are not supported', { expected: 'simple dtype such as <f4', actual: JSON.stringify(descr) });
  }
  if (typeof fortran !== 'boolean') throw formatError("npy: 'fortran_order' missing or not a bool", { actual: fortran });
  if (fortran) {
    throw unsupportedError('npy: Fortran (column-major) order is not supported; save with np.ascontiguousarray', {
      expected: 'fortran_order: False',
      actual: 'fortran_order: True',
    });
  }
  if (!Array.isArray(shape) || !shape.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
    throw formatError("npy: 'shape' missing or not a tuple of non-negative integers", { actual: JSON.stringify(shape) });
  }
  const m = /^([<>|=])?([a-zA-Z])(\d+)$/.exec(descr);
  const dtype = m ? DESCR[`${m[2]}${m[3]}`] : undefined;
  if (!m || !dtype) {
    throw unsupportedError(`npy: unsupported dtype ${descr}`, { expected: Object.keys(DESCR).join('|'), actual: descr });
  }
  const order: ByteOrder = m[1] === '>' ? 'big' : 'little';
  return { version, dtype, order, shape: shape as number[], dataOffset };
}

/** Rows and columns of a shape: `(n,)` is n x 1, `(n, a, b)` is n x (a*b); a 0-d array is rejected. */
export function shapeToMatrix(shape: number[]): { n: number; d: number } {
  if (shape.length === 0) throw unsupportedError('npy: 0-d (scalar) arrays are not vector sets', { actual: '()' });
  const n = shape[0]!;
  let d = 1;
  for (const s of shape.slice(1)) d *= s;
  if (!Number.isSafeInteger(d) || !Number.isSafeInteger(n * d)) {
    throw formatError('npy: shape overflows', { actual: JSON.stringify(shape) });
  }
  return { n, d };
}

/** Build a header block (prelude + dict + padding to a 64-byte boundary, version 1 or 2 as needed). */
export function buildNpyHeader(dtype: DType, shape: number[], shapeWidth = 0): Uint8Array {
  const code = Object.entries(DESCR).find(([k, v]) => v === dtype && k !== 'b1')![0];
  const descr = `${DTYPE_BYTES[dtype] === 1 ? '|' : '<'}${code}`;
  // A fixed-width shape field lets a streaming writer patch the row count in place at the end.
  const shapeText = (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`).padEnd(shapeWidth, ' ');
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let prelude = 10;
  let total = Math.ceil((prelude + dict.length + 1) / 64) * 64;
  if (total - prelude > 0xffff) {
    prelude = 12;
    total = Math.ceil((prelude + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - prelude;
  const out = new Uint8Array(total);
  out.set(NPY_MAGIC, 0);
  out[6] = prelude === 10 ? 1 : 2;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (prelude === 10) dv.setUint16(8, headerLen, true);
  else dv.setUint32(8, headerLen, true);
  const text = dict.padEnd(headerLen - 1, ' ') + '\n';
  out.set(Buffer.from(text, 'latin1'), prelude);
  return out;
}

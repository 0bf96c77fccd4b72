/**
 * `open(pathOrData, options)`: one entry point for every input. It detects the format, builds the
 * matching source and reports its choice in `source.detection`.
 */
import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';
import type { RecordBatch, Table } from 'apache-arrow';
import { asBytes, FileByteSource, MemoryByteSource, type ByteSource } from './byte-source.js';
import { detectExtension, detectMagic, formatFromOption, RAW_EXTENSION_DTYPE, type Detection, type DetectedBy, type FormatOption } from './detect.js';
import type { ByteOrder, DType } from './dtype.js';
import { argumentError, formatError, toCoded } from './errors.js';
import { MemorySource, type NumericArray } from './memory-source.js';
import { openMappedBytes } from './memmap.js';
import { openNpy } from './npy-reader.js';
import type { ColumnSelection } from './parquet-schema.js';
import { openRaw, readRawSidecar, type RawLayout } from './raw-reader.js';
import type { SourceFormat, VectorSource } from './source.js';
import { openVecs } from './vecs-reader.js';

/** Options of {@link open}. Format-specific fields are ignored by the other formats. */
export interface OpenOptions extends ColumnSelection {
  /** Skip detection and read as this format. */
  format?: FormatOption;
  /** Check every value is finite as it is read (`CLOSTERA_NON_FINITE` with the row). */
  validate?: boolean;
  /** Raw/in-memory: components per row (raw files may also take it from a `.json` sidecar). */
  d?: number;
  /** Raw: rows (default: from the file length). */
  n?: number;
  /** Raw: element type (default from the extension, else float32). */
  dtype?: DType;
  /** Raw: byte order (default little). */
  byteOrder?: ByteOrder;
  /** Raw: bytes before the first row. */
  offset?: number;
  /** npy/raw/vecs files: read through a memory mapping (native addon) instead of positional reads. */
  memmap?: boolean;
  /** Parquet: largest decoded row group to hold (default 1 GiB). */
  memoryLimitBytes?: number;
}

/** Anything {@link open} accepts. */
export type OpenInput = string | URL | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Table | RecordBatch;

/** A source plus the format decision `open()` made. */
export interface OpenedSource extends VectorSource {
  /** Which format was chosen, and whether by option, magic bytes, extension or input type. */
  readonly detection: Detection;
}

function withDetection<T extends VectorSource>(source: T, detection: Detection): T & OpenedSource {
  Object.defineProperty(source, 'detection', { value: detection, enumerable: true });
  return source as T & OpenedSource;
}

function isArrowObject(x: unknown): x is Table | RecordBatch {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.schema === 'object' && typeof o.numRows === 'number' && typeof o.getChild === 'function';
}

/** Read the first and last bytes for magic detection. */
async function sniff(bytes: ByteSource): Promise<{ head: Uint8Array; tail: Uint8Array }> {
  const head = new Uint8Array(Math.min(16, bytes.size));
  const tail = new Uint8Array(Math.min(4, bytes.size));
  await bytes.read(0, head);
  await bytes.read(bytes.size - tail.length, tail);
  return { head, tail };
}

/**
 * Open a vector source.
 *
 * - a path (or file URL): detected by magic bytes (.npy, Parquet, Arrow IPC file/stream), then by
 *   extension (.fvecs/.bvecs/.ivecs, raw .f32/.f64/.f16/.u8/.i8/.bin with `d` or a `.json` sidecar);
 * - an Arrow `Table` or `RecordBatch`: read in place;
 * - a typed array with `options.d`: an in-memory n x d matrix;
 * - bytes (ArrayBuffer, Uint8Array, Buffer) without `d`: a file image, detected by magic.
 *
 * Unrecognised input is `CLOSTERA_FORMAT`; the chosen format is in `source.detection`.
 */
export async function open(input: OpenInput, options: OpenOptions = {}): Promise<OpenedSource> {
  const validate = options.validate ?? false;
  if (isArrowObject(input)) {
    const { ArrowSource } = await import('./arrow-source.js');
    return withDetection(await ArrowSource.fromMemory(input, options), { format: 'arrow-table', by: 'type' });
  }
  if (typeof input !== 'string' && !(input instanceof URL)) {
    if (!(input instanceof ArrayBuffer) && !ArrayBuffer.isView(input) && !(typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer)) {
      throw argumentError('open: expected a path, a URL, bytes, a typed array or an Arrow Table/RecordBatch', { actual: typeof input });
    }
    const isBytes = input instanceof ArrayBuffer || input instanceof Uint8Array || !ArrayBuffer.isView(input);
    if (!isBytes || (options.d !== undefined && options.format === undefined)) {
      if (input instanceof DataView) throw argumentError('open: a DataView has no element type; pass a typed array');
      return withDetection(new MemorySource(input as NumericArray, options.d ?? 0, validate), { format: 'memory', by: 'type' });
    }
    return openBytes(new MemoryByteSource(asBytes(input)), undefined, options);
  }
  const path = input instanceof URL ? fileURLToPath(input) : input;
  // Parquet and Arrow do their own buffering, so the mapping only serves the fixed-stride formats.
  const bytes = await FileByteSource.open(path);
  return openBytes(bytes, path, options);
}

async function openBytes(bytes: ByteSource, path: string | undefined, options: OpenOptions): Promise<OpenedSource> {
  const validate = options.validate ?? false;
  let format: SourceFormat | undefined;
  let by: DetectedBy;
  try {
    const { head, tail } = await sniff(bytes);
    const magic = detectMagic(head, tail);
    const ext = path ? detectExtension(path) : undefined;
    if (options.format) {
      format = formatFromOption(options.format, magic);
      by = 'option';
    } else if (magic && (magic !== 'arrow-stream' || ext === undefined || ext.startsWith('arrow'))) {
      // The stream marker (0xFFFFFFFF) is weak evidence: a raw float file may start with NaN bits.
      format = magic;
      by = 'magic';
    } else if (ext) {
      format = ext === 'arrow-file' && magic === 'arrow-stream' ? 'arrow-stream' : ext;
      by = 'extension';
    } else if (options.d !== undefined) {
      format = 'raw';
      by = 'option';
    } else {
      throw formatError(`open: cannot tell the format of ${path ?? 'the given bytes'} (no known magic bytes or extension); pass options.format`, {
        expected: 'npy | parquet | arrow | fvecs | bvecs | ivecs | raw',
        actual: Buffer.from(head.subarray(0, 8)).toString('hex'),
      });
    }
  } catch (err) {
    await bytes.close();
    throw toCoded(err, 'open');
  }
  const detection: Detection = { format, by };
  try {
    return withDetection(await build(bytes, path, format, options, validate, detection), detection);
  } catch (err) {
    await bytes.close();
    throw toCoded(err, `${format}`);
  }
}

async function build(bytes: ByteSource, path: string | undefined, format: SourceFormat, options: OpenOptions, validate: boolean, detection: Detection): Promise<VectorSource> {
  const strided = async (): Promise<ByteSource> => {
    if (!options.memmap || !path) return bytes;
    await bytes.close();
    const mapped = await openMappedBytes(path);
    detection.memmap = mapped.memmapMode;
    return mapped;
  };
  // Close the (possibly new) mapping when the header turns out to be bad.
  const onStrided = async <T>(f: (b: ByteSource) => T | Promise<T>): Promise<T> => {
    const src = await strided();
    try {
      return await f(src);
    } catch (err) {
      await src.close();
      throw err;
    }
  };
  switch (format) {
    case 'npy':
      return onStrided((b) => openNpy(b, validate));
    case 'fvecs':
    case 'bvecs':
    case 'ivecs':
      return onStrided((b) => openVecs(b, format, validate));
    case 'raw': {
      let layout: RawLayout | undefined;
      if (options.d !== undefined) layout = { d: options.d };
      else if (path) layout = await readRawSidecar(path);
      if (!layout) throw argumentError('raw: pass options.d (and dtype/n) or put a .json sidecar with d next to the file');
      const extDtype = path ? RAW_EXTENSION_DTYPE[extname(path).toLowerCase()] : undefined;
      layout.dtype = options.dtype ?? layout.dtype ?? extDtype ?? 'float32';
      if (options.n !== undefined) layout.n = options.n;
      if (options.byteOrder !== undefined) layout.byteOrder = options.byteOrder;
      if (options.offset !== undefined) layout.offset = options.offset;
      return onStrided((b) => openRaw(b, layout!, validate));
    }
    case 'parquet': {
      const { ParquetSource } = await import('./parquet-source.js');
      return ParquetSource.open(bytes, { ...options, validate });
    }
    case 'arrow-file':
    case 'arrow-stream': {
      const { ArrowSource } = await import('./arrow-source.js');
      if (path) {
        await bytes.close();
        return ArrowSource.fromPath(path, format, { ...options, validate });
      }
      const all = new Uint8Array(bytes.size);
      await bytes.read(0, all);
      return ArrowSource.fromIpcBytes(all, format, { ...options, validate });
    }
    default:
      throw argumentError(`open: format ${format} cannot be opened from bytes`);
  }
}

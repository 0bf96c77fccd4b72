/**
 * `@clostera/io`: vector sources and sinks for Clostera.
 *
 * Read with {@link open} (or a format-specific opener) and iterate `source.chunks({ maxBytes })`;
 * write results with {@link writeLabels}, {@link writeCentroids}, {@link writePqCodes},
 * {@link writeDistances} or a streaming {@link createMatrixWriter}.
 * @packageDocumentation
 */
export { open, type OpenInput, type OpenOptions, type OpenedSource } from './open.js';
export type { Detection, DetectedBy, FormatOption } from './detect.js';
export {
  DEFAULT_CHUNK_BYTES,
  type ChunkOptions,
  type SourceFormat,
  type VectorChunk,
  type VectorSource,
} from './source.js';
export { DTYPE_BYTES, DTYPES, type ByteOrder, type DType } from './dtype.js';
export { FileByteSource, MemoryByteSource, type ByteSource } from './byte-source.js';
export { StridedSource, type StrideLayout } from './strided-source.js';
export { openNpy, readNpyHeader } from './npy-reader.js';
export { buildNpyHeader, type NpyHeader } from './npy-header.js';
export { openRaw, readRawSidecar, type RawLayout } from './raw-reader.js';
export { openVecs, type VecsFormat } from './vecs-reader.js';
export { MemorySource, type NumericArray } from './memory-source.js';
export { ParquetSource, DEFAULT_PARQUET_MEMORY_LIMIT, type ParquetOptions } from './parquet-source.js';
export type { ColumnSelection, ParquetVectorColumns } from './parquet-schema.js';
export { ArrowSource, type ArrowOptions } from './arrow-source.js';
export type { ArrowVectorColumns } from './arrow-columns.js';
export { openMappedBytes, type MappedByteSource, type MemmapMode } from './memmap.js';
export { AtomicFile } from './atomic-file.js';
export { createNpyWriter, type MatrixWriter, type NpyWriterOptions } from './npy-writer.js';
export { createParquetWriter, type ParquetWriterOptions } from './parquet-writer.js';
export type { WritableDType } from './storage.js';
export {
  createMatrixWriter,
  outputFormat,
  writeCentroids,
  writeDistances,
  writeLabels,
  writePqCodes,
  type MatrixWriterOptions,
  type OutputFormat,
  type WriteOptions,
} from './writers.js';
export { ClosteraError, ErrorCode, type ErrorDetails } from './errors.js';

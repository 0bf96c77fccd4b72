/**
 * Saving and loading models: an 8-byte magic, a little-endian u32 header length, a JSON header
 * (parameters, objective, statistics, warnings), then the centroids as little-endian float32 and
 * the labels as little-endian uint32, each 8-byte aligned. Written to a temporary file and renamed,
 * so an interrupted save never leaves a partial model at the target path.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { ClosteraError, ErrorCode } from '@clostera/kernels';
import { KMeansModel, type ModelData } from './model.js';

const MAGIC = Buffer.from('CLSTKM\u0000\u0001', 'latin1');
const FORMAT = 'clostera-kmeans';
const VERSION = 1;

const align8 = (v: number): number => Math.ceil(v / 8) * 8;
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesLE(a: Float32Array | Uint32Array): Buffer {
  const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (isLittleEndian) return b;
  const copy = Buffer.from(b);
  copy.swap32();
  return copy;
}

/** Serialises a model to bytes. */
export function encodeModel(model: ModelData): Buffer {
  const header = Buffer.from(
    JSON.stringify({ format: FORMAT, version: VERSION, params: model.params, objective: model.objective, stats: model.stats, trials: model.trials, refinement: model.refinement ?? null, bestRedo: model.bestRedo, warnings: model.warnings, labels: model.labels.length }),
    'utf8',
  );
  const start = align8(MAGIC.length + 4 + header.length);
  const labelsAt = align8(start + model.centroids.byteLength);
  const out = Buffer.alloc(labelsAt + model.labels.byteLength);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  bytesLE(model.centroids).copy(out, start);
  bytesLE(model.labels).copy(out, labelsAt);
  return out;
}

function formatError(message: string, expected?: unknown, actual?: unknown): ClosteraError {
  return new ClosteraError(ErrorCode.Format, message, { expected, actual });
}

/** Parses bytes written by {@link encodeModel}; malformed input is a `CLOSTERA_FORMAT` error. */
export function decodeModel(bytes: Buffer): KMeansModel {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw formatError('not a Clostera k-means model (wrong magic)', 'CLSTKM', bytes.subarray(0, 6).toString('latin1'));
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + headerLength > bytes.length) throw formatError('model header runs past the end of the file', bytes.length, MAGIC.length + 4 + headerLength);
  let header: any;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength).toString('utf8'));
  } catch {
    throw formatError('model header is not valid JSON');
  }
  if (header?.format !== FORMAT || header.version !== VERSION) throw formatError('unsupported model format or version', `${FORMAT} v${VERSION}`, `${header?.format} v${header?.version}`);
  const { k, d } = header.params ?? {};
  if (!Number.isInteger(k) || !Number.isInteger(d) || k < 1 || d < 1 || !Number.isInteger(header.labels) || header.labels < 0) throw formatError('model header has an invalid shape');
  const start = align8(MAGIC.length + 4 + headerLength);
  const labelsAt = align8(start + k * d * 4);
  if (labelsAt + header.labels * 4 !== bytes.length) throw formatError('model file size disagrees with its header', labelsAt + header.labels * 4, bytes.length);
  const centroids = new Float32Array(k * d);
  const labels = new Uint32Array(header.labels);
  for (let i = 0; i < centroids.length; i++) centroids[i] = bytes.readFloatLE(start + 4 * i);
  for (let i = 0; i < labels.length; i++) labels[i] = bytes.readUInt32LE(labelsAt + 4 * i);
  // Files written before `minTrainingPoints` existed were trained by FAISS's rule alone.
  return new KMeansModel({ params: { minTrainingPoints: 0, ...header.params }, centroids, labels, objective: header.objective, stats: header.stats, trials: Array.isArray(header.trials) ? header.trials : [], refinement: header.refinement ?? undefined, bestRedo: header.bestRedo, warnings: header.warnings });
}

/** Writes a model atomically (temporary file in the same directory, then rename). */
export async function saveModel(model: ModelData, path: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, encodeModel(model));
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new ClosteraError(ErrorCode.Io, `could not save the model to ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a model written by {@link saveModel}. */
export async function loadModel(path: string): Promise<KMeansModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ClosteraError(ErrorCode.Io, `could not read the model at ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeModel(bytes);
}

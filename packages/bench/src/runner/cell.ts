/**
 * Runs one benchmark cell (dataset, metric, K): a worker per contender, warm-up, interleaved timed
 * repetitions, peak memory, then quality measured on the first timed fit's centroids.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Availability, Contender } from '../contenders/types.js';
import type { Dataset } from '../datasets/types.js';
import { evaluateClustering } from '../metrics/evaluate.js';
import type { BenchMetric } from '../metrics/objective.js';
import type { Row, Settings } from '../results/schema.js';
import { WorkerHandle, WorkerTimeout } from '../worker/handle.js';
import type { RunReply } from '../worker/protocol.js';
import { median, roundOrder } from './stats.js';

/** What a cell needs. */
export interface CellInput {
  /** The dataset (rows as given to the contenders: unit-normalised for cos). */
  dataset: Dataset;
  /** The rows the contenders see (`dataset.x`, or its normalised copy under cos). */
  x: Float32Array;
  /** Raw float32 file holding `x`, handed to the workers. */
  dataFile: string;
  /** Metric. */
  metric: BenchMetric;
  /** Clusters. */
  k: number;
  /** Contenders in report order, with their probe results. */
  contenders: ReadonlyArray<{ contender: Contender; availability: Availability }>;
  /** Method settings. */
  settings: Settings;
  /** Scratch folder of this cell (configs, logs, result files). */
  dir: string;
  /** Progress lines. */
  log: (line: string) => void;
}

/** Per-contender state while the cell runs. */
interface Lane {
  contender: Contender;
  handle: WorkerHandle;
  times: number[];
  first?: Extract<RunReply, { type: 'result' }>;
  firstOut: string;
  failure?: { status: 'timeout' | 'error'; reason: string };
  notes: string[];
}

/** Environment of every worker: the same thread count for every library. */
export function workerEnv(threads: number): NodeJS.ProcessEnv {
  const t = String(threads);
  return { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t, CLOSTERA_NUM_THREADS: t };
}

/**
 * Idle time before every fit, so each is timed as a one-off call on a quiet machine. After a
 * fit, FAISS's OpenBLAS/OpenMP worker threads busy-wait before they sleep (measured: about
 * 120 ms of CPU in the 300 ms after `train` returns, on 2 threads); without the gap they slowed
 * whatever ran next (Clostera K=10: 40 ms alone, 59 ms right after FAISS) and FAISS itself when
 * its fits ran back to back (136-229 ms against 109-125 ms after idle).
 */
export const SETTLE_MS = 300;

async function fitOnce(lane: Lane, request: { k: number; maxIter: number; seed: number; out: string }, settings: Settings, what: string): Promise<Extract<RunReply, { type: 'result' }> | undefined> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  try {
    const reply = await lane.handle.run(request, settings.timeoutSeconds);
    if (reply.type === 'result') return reply;
    lane.failure = { status: 'error', reason: `${what}: ${reply.message}` };
  } catch (error) {
    lane.failure = error instanceof WorkerTimeout
      ? { status: 'timeout', reason: `${what} took longer than ${settings.timeoutSeconds} s` }
      : { status: 'error', reason: `${what}: ${(error as Error).message}` };
  }
  // An error reply leaves the worker alive (closed normally later, so its memory is still
  // measured); a timeout has already killed it.
  return undefined;
}

function readResult(out: string, k: number, d: number, n: number, withLabels: boolean): { centroids: Float32Array; labels?: Uint32Array } {
  const bytes = readFileSync(`${out}.centroids.f32`);
  if (bytes.byteLength !== k * d * 4) throw new Error(`centroid file holds ${bytes.byteLength} bytes, expected ${k} x ${d} float32`);
  const centroids = new Float32Array(k * d);
  new Uint8Array(centroids.buffer).set(bytes);
  if (!withLabels || !existsSync(`${out}.labels.u32`)) return { centroids };
  const lb = readFileSync(`${out}.labels.u32`);
  if (lb.byteLength !== n * 4) return { centroids };
  const labels = new Uint32Array(n);
  new Uint8Array(labels.buffer).set(lb);
  return { centroids, labels };
}

/** Runs the cell and returns one row per contender (missing and skipped ones included). */
export async function runCell(input: CellInput): Promise<Row[]> {
  const { dataset, metric, k, settings } = input;
  const key = { dataset: dataset.id, metric, k };
  const rows = new Map<string, Row>();
  const lanes: Lane[] = [];
  const shape = { n: dataset.n, d: dataset.d, k, metric, maxIter: settings.maxIter };
  for (const { contender, availability } of input.contenders) {
    if (!availability.available) {
      rows.set(contender.id, { ...key, contender: contender.id, status: 'missing', reason: availability.reason ?? 'not available', times: [] });
      continue;
    }
    const unsupported = contender.supports(shape);
    if (unsupported !== undefined) {
      rows.set(contender.id, { ...key, contender: contender.id, status: 'skipped', reason: unsupported, times: [] });
      continue;
    }
    const base = join(input.dir, contender.id);
    try {
      const handle = await WorkerHandle.start({
        command: contender.worker(),
        config: { contender: contender.id, data: input.dataFile, n: dataset.n, d: dataset.d, metric, threads: settings.threads },
        configPath: `${base}.config.json`,
        logPath: `${base}.log`,
        timePath: `${base}.time`,
        env: workerEnv(settings.threads),
        startTimeoutSeconds: Math.max(120, settings.timeoutSeconds),
      });
      lanes.push({ contender, handle, times: [], firstOut: `${base}-first`, notes: [] });
    } catch (error) {
      rows.set(contender.id, { ...key, contender: contender.id, status: 'error', reason: `worker did not start: ${(error as Error).message}`, times: [] });
    }
  }
  const active = (): Lane[] => lanes.filter((l) => l.failure === undefined);
  for (let w = 0; w < settings.warmup; w++) {
    for (const lane of roundOrder(active(), w)) {
      const request = { k, maxIter: Math.min(settings.warmupIter, settings.maxIter), seed: settings.seed, out: join(input.dir, `${lane.contender.id}-warm`) };
      await fitOnce(lane, request, settings, 'warm-up');
    }
  }
  for (let r = 0; r < settings.repeats; r++) {
    for (const lane of roundOrder(active(), r)) {
      const spent = lane.times.reduce((a, b) => a + b, 0);
      // Budget: once a row has used its timeout in total, further repetitions would only add time.
      if (r > 0 && spent >= settings.timeoutSeconds) continue;
      const out = r === 0 ? lane.firstOut : join(input.dir, `${lane.contender.id}-later`);
      const reply = await fitOnce(lane, { k, maxIter: settings.maxIter, seed: settings.seed, out }, settings, `repetition ${r + 1}`);
      if (reply === undefined) continue;
      lane.times.push(reply.seconds);
      if (r === 0) lane.first = reply;
      input.log(`    ${lane.contender.id.padEnd(18)} run ${r + 1}: ${reply.seconds.toFixed(3)} s`);
    }
  }
  for (const lane of lanes) {
    const memory = await lane.handle.close();
    const row: Row = { ...key, contender: lane.contender.id, status: 'ok', times: lane.times };
    if (memory.peakRssBytes !== undefined) row.peakRssBytes = memory.peakRssBytes;
    if (lane.first === undefined || lane.times.length === 0) {
      row.status = lane.failure?.status ?? 'error';
      row.reason = lane.failure?.reason ?? 'no timed fit finished';
      rows.set(lane.contender.id, row);
      continue;
    }
    if (lane.failure !== undefined) lane.notes.push(`${lane.failure.reason}; median over ${lane.times.length} repetitions`);
    if (lane.times.length < settings.repeats && lane.failure === undefined) lane.notes.push(`${lane.times.length} of ${settings.repeats} repetitions (time budget)`);
    row.seconds = median(lane.times);
    if (lane.first.iterations !== undefined) row.iterations = lane.first.iterations;
    if (lane.first.reportedObjective !== undefined) row.reportedObjective = lane.first.reportedObjective;
    if (lane.first.notes !== undefined) lane.notes.unshift(lane.first.notes);
    try {
      const result = readResult(lane.firstOut, k, dataset.d, dataset.n, lane.first.labels);
      row.quality = evaluateClustering({
        x: input.x,
        d: dataset.d,
        centroids: result.centroids,
        metric,
        threads: settings.threads,
        ...(dataset.labels === undefined ? {} : { truth: dataset.labels }),
        ...(result.labels === undefined ? {} : { ownLabels: result.labels }),
      });
    } catch (error) {
      row.status = 'error';
      row.reason = `cannot evaluate the result: ${(error as Error).message}`;
    }
    if (lane.notes.length > 0) row.notes = lane.notes.join('; ');
    rows.set(lane.contender.id, row);
  }
  return input.contenders.map(({ contender }) => rows.get(contender.id)!);
}

/**
 * Runs a whole plan: probes the contenders, loads each dataset once, writes the rows the workers
 * read, runs every cell and keeps the results file up to date after each cell.
 *
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../datasets/load.js';
import { normalizeRows } from '../datasets/normalize.js';
import { formatDatasetSpec, parseDatasetSpec } from '../datasets/spec.js';
import type { Dataset } from '../datasets/types.js';
import type { BenchMetric } from '../metrics/objective.js';
import { RESULTS_SCHEMA, type BenchResults, type Row } from '../results/schema.js';
import { runCell } from './cell.js';
import { collectEnvironment } from './environment.js';
import type { Plan } from './plan.js';
import { judgeCells } from './winner.js';

/** Where and how to run. */
export interface RunContext {
  /** Scratch folder; a fresh sub-folder is made for this run and removed at the end. */
  scratchDir: string;
  /** The command line, recorded in the results. */
  command: string;
  /** Keep the scratch sub-folder (data files, worker logs) for inspection. */
  keepScratch?: boolean;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Called with the results so far after every cell (to save them incrementally). */
  onProgress?: (results: BenchResults) => void;
}

function rowSummary(row: Row): string {
  if (row.status !== 'ok') return `${row.status}${row.reason === undefined ? '' : ` (${row.reason.slice(0, 120)})`}`;
  const q = row.quality;
  const parts = [`${row.seconds?.toFixed(3)} s`, `objective ${q?.objective.toPrecision(6)}`];
  if (q?.vMeasure !== undefined) parts.push(`V ${q.vMeasure.toFixed(3)}`);
  return parts.join(', ');
}

function writeRaw(path: string, x: Float32Array): void {
  writeFileSync(path, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
}

/** Runs the plan and returns the complete results. */
export async function runPlan(plan: Plan, context: RunContext): Promise<BenchResults> {
  const log = context.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const runDir = join(context.scratchDir, `run-${process.pid}-${Date.now()}`);
  mkdirSync(runDir, { recursive: true });
  const probed = await Promise.all(plan.contenders.map(async (contender) => ({ contender, availability: await contender.probe() })));
  const peerVersions: Record<string, string> = {};
  for (const { contender, availability } of probed) {
    log(`${contender.id.padEnd(18)} ${availability.available ? `available: ${availability.version ?? ''}` : `MISSING: ${availability.reason ?? ''}`}`);
    // The Python peers' libraries, once per family (the npm packages are recorded directly).
    if (availability.version !== undefined && (contender.family === 'faiss' || contender.family === 'sklearn')) peerVersions[contender.family] = availability.version;
  }
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    suite: plan.suite,
    command: context.command,
    startedAt: new Date().toISOString(),
    environment: collectEnvironment(plan.settings.threads, peerVersions),
    settings: plan.settings,
    datasets: [],
    contenders: probed.map(({ contender, availability }) => ({
      id: contender.id,
      label: contender.label,
      family: contender.family,
      description: contender.description,
      available: availability.available,
      ...(availability.version === undefined ? {} : { version: availability.version }),
      ...(availability.reason === undefined ? {} : { reason: availability.reason }),
    })),
    rows: [],
    cells: [],
  };
  const totalCells = plan.cases.reduce((s, c) => s + c.metrics.length * c.ks.length, 0);
  let cellIndex = 0;
  const started = performance.now();
  let loaded: { dataset: Dataset; files: Map<BenchMetric, { x: Float32Array; file: string }> } | undefined;
  try {
    for (const [caseIndex, testCase] of plan.cases.entries()) {
      // Consecutive cases on the same dataset reuse it; only one dataset is held at a time.
      if (loaded?.dataset.id !== formatDatasetSpec(parseDatasetSpec(testCase.dataset))) {
        const t0 = performance.now();
        const dataset = await loadDataset(testCase.dataset);
        const loadSeconds = (performance.now() - t0) / 1000;
        loaded = { dataset, files: new Map() };
        if (!results.datasets.some((d) => d.id === dataset.id)) {
          results.datasets.push({
            id: dataset.id,
            title: dataset.title,
            n: dataset.n,
            d: dataset.d,
            ...(dataset.classes === undefined ? {} : { classes: dataset.classes }),
            source: dataset.source,
            ...(dataset.series === undefined ? {} : { series: dataset.series }),
            loadSeconds,
          });
        }
        log(`dataset ${dataset.id}: ${dataset.n} x ${dataset.d} loaded in ${loadSeconds.toFixed(1)} s`);
      }
      const { dataset, files } = loaded;
      for (const metric of testCase.metrics) {
        let data = files.get(metric);
        if (data === undefined) {
          const x = metric === 'cos' ? normalizeRows(dataset.x, dataset.d) : dataset.x;
          data = { x, file: join(runDir, `data-${caseIndex}-${metric}.f32`) };
          writeRaw(data.file, x);
          files.set(metric, data);
        }
        for (const k of testCase.ks) {
          cellIndex++;
          const elapsed = ((performance.now() - started) / 1000).toFixed(0);
          log(`[${cellIndex}/${totalCells}] ${dataset.id} ${metric} K=${k} (elapsed ${elapsed} s)`);
          const dir = join(runDir, `cell-${cellIndex}`);
          mkdirSync(dir, { recursive: true });
          const rows = await runCell({ dataset, x: data.x, dataFile: data.file, metric, k, contenders: probed, settings: plan.settings, dir, log });
          for (const row of rows) log(`  ${row.contender.padEnd(18)} ${rowSummary(row)}`);
          results.rows.push(...rows);
          results.cells = judgeCells(results.rows);
          context.onProgress?.(results);
        }
      }
    }
  } finally {
    if (context.keepScratch !== true) rmSync(runDir, { recursive: true, force: true });
  }
  results.finishedAt = new Date().toISOString();
  results.environment.loadAverage.end = loadavg();
  return results;
}


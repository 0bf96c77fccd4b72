/**
 * Reading and writing results files, and writing the report and plots beside them.
 *
 * A run writes `<dir>/<stamp>-<suite>.json`, `<dir>/<stamp>-<suite>.md` and the plots in
 * `<dir>/<stamp>-<suite>/`; the stamp is the start time (UTC), so files sort chronologically.
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatError, ioError } from '../errors.js';
import { renderPlots } from '../plot/plots.js';
import { renderReport } from '../report/markdown.js';
import { RESULTS_SCHEMA, type BenchResults } from './schema.js';

/** Paths written by {@link writeOutputs}. */
export interface WrittenOutputs {
  /** The results JSON. */
  json: string;
  /** The Markdown report. */
  report: string;
  /** The SVG plots. */
  plots: string[];
}

/** `<stamp>-<suite>` from the start time, e.g. `20250101-120000-quick`. */
export function resultsBaseName(results: BenchResults): string {
  const stamp = results.startedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${results.suite}`;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes the results JSON only (used after every cell, so an interrupted run keeps what it measured). */
export function writeResultsJson(results: BenchResults, dir: string, base = resultsBaseName(results)): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${base}.json`);
  writeAtomic(path, JSON.stringify(results, null, 1) + '\n');
  return path;
}

/**
 * Writes the results JSON, the Markdown report and the SVG plots.
 *
 * @throws {@link ClosteraError} `CLOSTERA_IO` when the folder is not writable.
 */
export function writeOutputs(results: BenchResults, dir: string, base = resultsBaseName(results)): WrittenOutputs {
  try {
    const json = writeResultsJson(results, dir, base);
    const plotDir = join(dir, base);
    const plots = renderPlots(results);
    mkdirSync(plotDir, { recursive: true });
    const plotPaths = plots.map((p) => {
      const path = join(plotDir, p.file);
      writeAtomic(path, p.svg);
      return path;
    });
    const report = join(dir, `${base}.md`);
    writeAtomic(report, renderReport(results, { plots: { folder: basename(plotDir), files: plots } }));
    return { json, report, plots: plotPaths };
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('CLOSTERA_') === true) throw error;
    throw ioError(`cannot write results to ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads a results file.
 *
 * @throws {@link ClosteraError} `CLOSTERA_IO` when unreadable, `CLOSTERA_FORMAT` when it is not a
 *   results file of this schema.
 */
export function readResults(path: string): BenchResults {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw ioError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: Partial<BenchResults>;
  try {
    parsed = JSON.parse(text) as Partial<BenchResults>;
  } catch (error) {
    throw formatError(`${path} is not JSON`, { cause: error });
  }
  if (parsed.schema !== RESULTS_SCHEMA || !Array.isArray(parsed.rows) || !Array.isArray(parsed.contenders)) {
    throw formatError(`${path} is not a ${RESULTS_SCHEMA} results file`, { expected: RESULTS_SCHEMA, actual: parsed.schema });
  }
  return parsed as BenchResults;
}

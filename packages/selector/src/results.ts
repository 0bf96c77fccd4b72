/**
 * The part of a `@clostera/bench` results file (schema `clostera-bench/1`, see
 * `packages/bench/src/results/schema.ts`) the replay reads. Declared here structurally so this
 * package does not depend on the bench package (which loads native code).
 *
 * @module
 */
import { SelectorError } from './errors.js';

/** Schema tag of the results files the replay understands. */
export const RESULTS_SCHEMA = 'clostera-bench/1';

/** A dataset of a run: its id and shape. */
export interface ResultsDataset {
  /** Dataset id (the key rows use). */
  id: string;
  /** Short name. */
  title?: string;
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
}

/** A contender of a run: its id and engine family (`'clostera'` for ours). */
export interface ResultsContender {
  /** Contender id. */
  id: string;
  /** Engine family. */
  family: string;
}

/** One contender on one cell. */
export interface ResultsRow {
  /** Dataset id. */
  dataset: string;
  /** Metric. */
  metric: string;
  /** Clusters. */
  k: number;
  /** Contender id. */
  contender: string;
  /** `'ok'` when measured. */
  status: string;
  /** Why it is not `ok`. */
  reason?: string;
  /** Median seconds. */
  seconds?: number;
  /** Quality; the objective is what the replay compares. */
  quality?: { objective: number };
}

/** A results file, as far as the replay is concerned. */
export interface ResultsFile {
  /** Always {@link RESULTS_SCHEMA}. */
  schema: string;
  /** Suite name. */
  suite: string;
  /** ISO start time. */
  startedAt?: string;
  /** Run settings; `seed` tells repeated measurements of one cell apart. */
  settings?: { seed?: number };
  /** Datasets of the run. */
  datasets: ResultsDataset[];
  /** Contenders of the run. */
  contenders: ResultsContender[];
  /** Every (cell, contender) row. */
  rows: ResultsRow[];
}

/** Checks the schema tag and the arrays the replay needs; anything else is `CLOSTERA_FORMAT`. */
export function asResultsFile(value: unknown, name = 'results'): ResultsFile {
  const v = value as Partial<ResultsFile> | null;
  if (v === null || typeof v !== 'object' || v.schema !== RESULTS_SCHEMA) {
    throw new SelectorError('CLOSTERA_FORMAT', `${name} is not a ${RESULTS_SCHEMA} results file`, RESULTS_SCHEMA, v?.schema);
  }
  if (!Array.isArray(v.datasets) || !Array.isArray(v.contenders) || !Array.isArray(v.rows)) {
    throw new SelectorError('CLOSTERA_FORMAT', `${name} lacks datasets, contenders or rows`);
  }
  return v as ResultsFile;
}

/**
 * The result of a clustering command, as data (`--json`) and as aligned text.
 *
 * @module
 */
import { formatStep } from '@clostera/selector';
import type { Clusterer } from '../clusterer.js';

/** A written output file. */
export interface WrittenFile {
  /** What it holds. */
  kind: 'labels' | 'centroids' | 'model';
  /** Where, as given on the command line. */
  path: string;
  /** A short description (`uint32, 10000 rows`). */
  description: string;
}

/** What `cluster` and `demo` report. */
export interface ClusterReport {
  /** The input: where from, format, shape and element type. */
  input: { path: string; format: string; n: number; d: number; dtype: string };
  /** Clusters. */
  k: number;
  /** Metric. */
  metric: string;
  /** `--algorithm` as given. */
  requested: string;
  /** The backend that ran. */
  algorithm: string;
  /** The rule's training set and path when `auto` chose. */
  selection?: { training: string; rule: string; path: string[]; extrapolated: string[] };
  /** Rows trained on, and whether they were a sample. */
  training: { rows: number; sampled: boolean };
  /** Lloyd iterations run (all restarts). */
  iterations: number;
  /** Fit seconds. */
  seconds: number;
  /** Final objective over every row. */
  objective: number;
  /** Engine warnings. */
  warnings: string[];
  /** Files written. */
  outputs: WrittenFile[];
  /** External scores against ground truth, when known (demo). */
  scores?: Record<string, number>;
}

/** Builds the report of a fitted clusterer. */
export function clusterReport(c: Clusterer, input: ClusterReport['input'], requested: string, outputs: WrittenFile[]): ClusterReport {
  const s = c.selection;
  const report: ClusterReport = {
    input,
    k: c.k,
    metric: c.metric,
    requested,
    algorithm: c.algorithm,
    training: { rows: c.training.rows, sampled: c.training.sampled },
    iterations: c.stats.length,
    seconds: c.seconds,
    objective: c.objective,
    warnings: c.model.warnings,
    outputs,
  };
  if (s !== undefined) {
    report.selection = { training: s.training, rule: s.rule, path: s.path.map(formatStep), extrapolated: s.extrapolated };
  }
  return report;
}

const int = (v: number): string => v.toLocaleString('en-US');

/** Aligned text: one labelled line per fact. */
export function formatReport(r: ClusterReport): string {
  const lines: string[] = [];
  const row = (label: string, text: string): void => {
    const [first, ...rest] = text.split('\n');
    lines.push(`${label.padEnd(10)}${first}`);
    for (const more of rest) lines.push(`${''.padEnd(10)}${more}`);
  };
  row('input', `${r.input.path}: ${r.input.format}, N = ${int(r.input.n)}, D = ${int(r.input.d)} (${r.input.dtype})`);
  row('k-means', `K = ${int(r.k)}, metric ${r.metric}`);
  row('backend', `${r.algorithm}${r.requested === 'auto' ? ` (auto${r.selection ? `, training on ${r.selection.training === 'all' ? 'all rows' : 'the default subsample'}` : ''})` : ' (as requested)'}`);
  if (r.selection !== undefined) {
    row('why', [...r.selection.path.map((p, i) => `${i + 1}. ${p}`), ...r.selection.extrapolated.map((e) => `note: ${e}; extrapolated`)].join('\n'));
  }
  if (r.training.sampled) row('sample', `trained on a seeded sample of ${int(r.training.rows)} rows (the input exceeds --max-ram); every row labelled`);
  row('time', `${r.seconds.toFixed(2)} s, ${r.iterations} iterations`);
  row('objective', `${r.objective.toPrecision(7)} (${r.metric === 'l2' ? 'mean squared distance' : 'mean of 1 - cos'})`);
  if (r.scores !== undefined) {
    row('quality', Object.entries(r.scores).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '));
  }
  for (const w of r.warnings) row('warning', w);
  if (r.outputs.length === 0) row('wrote', 'nothing (use --out labels.npy and --centroids centroids.npy)');
  else row('wrote', r.outputs.map((o) => `${o.path} (${o.kind}: ${o.description})`).join('\n'));
  return lines.join('\n') + '\n';
}

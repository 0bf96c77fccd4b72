/**
 * Replays benchmark results through the rule: for every measured cell, what the rule picks, how
 * its measured objective compares with the best of our configurations there, and with the best
 * peer (FAISS, scikit-learn, ...).
 *
 * The pass/fail comparison is against our own measured configurations: the rule can only choose
 * among backends that exist, so a peer that beats every one of them is an engine gap, reported in
 * {@link ReplayCell.peerGap}, not a wrong choice.
 *
 * @module
 */
import { configurationOf } from './configurations.js';
import type { ResultsFile, ResultsRow } from './results.js';
import { select } from './select.js';
import type { SelectorMetric } from './types.js';

/** Relative objective gap above which the rule's choice fails a cell (the bench's winner rule uses the same 2.5%). */
export const REPLAY_TOLERANCE = 0.025;

/** The rule's result on one measured cell. */
export interface ReplayCell {
  /** Dataset id. */
  dataset: string;
  /** Rows of the cell's dataset (N). */
  n: number;
  /** Components per row (D). */
  d: number;
  /** Clusters (K). */
  k: number;
  /** Metric of the cell. */
  metric: SelectorMetric;
  /** Seed of the run, when the results file records it. */
  seed?: number;
  /** Contender that runs the rule's choice. */
  chosen: string;
  /** Its measured objective, when it was measured. */
  chosenObjective?: number;
  /** Its median seconds, when measured. */
  chosenSeconds?: number;
  /** Our best-objective contender in the cell. */
  best: string;
  /** Its objective. */
  bestObjective: number;
  /** Relative gap of the choice over our best (0 when the choice is the best); `Infinity` when the choice was not measured. */
  gap: number;
  /** The best peer contender (another family), when one was measured. */
  bestPeer?: string;
  /** Relative gap of our best over the best peer (negative when ours is better). */
  peerGap?: number;
  /** Contenders of our family that are not mapped to a configuration (their rows still count for `best`). */
  unmapped: string[];
  /** `gap <= tolerance` and the choice was measured. */
  pass: boolean;
  /** Why the cell fails, when it does. */
  reason?: string;
}

const gapOf = (objective: number, best: number): number => (best > 0 ? (objective - best) / best : objective - best);

function measured(r: ResultsRow): r is ResultsRow & { quality: { objective: number } } {
  return r.status === 'ok' && r.quality !== undefined && Number.isFinite(r.quality.objective);
}

/**
 * Replays one results file. Cells without any measured row of ours are left out (there is
 * nothing to compare the rule against).
 */
export function replay(results: ResultsFile, tolerance: number = REPLAY_TOLERANCE): ReplayCell[] {
  const family = new Map(results.contenders.map((c) => [c.id, c.family]));
  const ours = (id: string): boolean => family.get(id) === 'clostera' || configurationOf(id) !== undefined;
  const cells = new Map<string, ResultsRow[]>();
  for (const r of results.rows) {
    const key = JSON.stringify([r.dataset, r.metric, r.k]);
    const list = cells.get(key) ?? [];
    list.push(r);
    cells.set(key, list);
  }
  const out: ReplayCell[] = [];
  for (const rows of cells.values()) {
    const first = rows[0]!;
    const ds = results.datasets.find((x) => x.id === first.dataset);
    if (ds === undefined || (first.metric !== 'l2' && first.metric !== 'cos')) continue;
    const ourRows = rows.filter((r) => ours(r.contender) && measured(r));
    if (ourRows.length === 0) continue;
    const best = ourRows.reduce((a, b) => (b.quality!.objective < a.quality!.objective ? b : a));
    const peers = rows.filter((r) => !ours(r.contender) && measured(r));
    const bestPeer = peers.length === 0 ? undefined : peers.reduce((a, b) => (b.quality!.objective < a.quality!.objective ? b : a));
    const selection = select({ n: ds.n, d: ds.d, k: first.k, metric: first.metric });
    const chosenRow = rows.find((r) => r.contender === selection.contender);
    const cell: ReplayCell = {
      dataset: first.dataset,
      n: ds.n,
      d: ds.d,
      k: first.k,
      metric: first.metric,
      ...(results.settings?.seed === undefined ? {} : { seed: results.settings.seed }),
      chosen: selection.contender,
      best: best.contender,
      bestObjective: best.quality!.objective,
      gap: Infinity,
      unmapped: [...new Set(rows.filter((r) => ours(r.contender) && configurationOf(r.contender) === undefined).map((r) => r.contender))],
      pass: false,
    };
    if (bestPeer !== undefined) {
      cell.bestPeer = bestPeer.contender;
      cell.peerGap = gapOf(best.quality!.objective, bestPeer.quality!.objective);
    }
    if (chosenRow !== undefined && measured(chosenRow)) {
      cell.chosenObjective = chosenRow.quality.objective;
      if (chosenRow.seconds !== undefined) cell.chosenSeconds = chosenRow.seconds;
      cell.gap = gapOf(chosenRow.quality.objective, cell.bestObjective);
      cell.pass = cell.gap <= tolerance;
      if (!cell.pass) cell.reason = `the choice ${cell.chosen} is ${(100 * cell.gap).toFixed(2)}% above the best (${cell.best})`;
    } else {
      cell.reason = `the choice ${cell.chosen} was not measured here (${chosenRow === undefined ? 'no row' : `${chosenRow.status}${chosenRow.reason ? `: ${chosenRow.reason}` : ''}`})`;
    }
    out.push(cell);
  }
  return out;
}

/** A results file by name (its name sorts by start time, as the bench names them). */
export interface NamedResults {
  /** File name, e.g. `20261123-171331-custom.json`. */
  name: string;
  /** Its contents. */
  results: ResultsFile;
}

const cellKey = (c: ReplayCell): string => JSON.stringify([c.dataset, c.metric, c.k, c.seed ?? null]);

/**
 * Replays several results files and keeps, for each cell (dataset, metric, K, seed), only the
 * newest file in which the rule's choice was measured: an older file measured older engines (or
 * lacked a configuration added since), and a newer measurement of the same cell supersedes it.
 * Cells that no newer file measured are all kept, so every cell still counts once.
 *
 * @returns per file (in name order), its cells that are not superseded.
 */
export function replayLatest(files: readonly NamedResults[]): Array<{ name: string; cells: ReplayCell[] }> {
  const ordered = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const replayed = ordered.map((f) => ({ name: f.name, cells: replay(f.results) }));
  const newest = new Map<string, number>();
  replayed.forEach((f, index) => {
    for (const c of f.cells) if (c.chosenObjective !== undefined) newest.set(cellKey(c), index);
  });
  return replayed.map((f, index) => ({
    name: f.name,
    cells: f.cells.filter((c) => (newest.get(cellKey(c)) ?? index) <= index),
  }));
}

/** Renders replayed cells as a Markdown table (dataset, shape, choice, gap to our best, our best vs the best peer). */
export function replayTable(cells: readonly ReplayCell[]): string {
  const pct = (g: number | undefined): string => {
    if (g === undefined) return '';
    if (!Number.isFinite(g)) return 'unmeasured';
    const text = (100 * g).toFixed(2);
    // A gap that rounds to zero prints as +0.00%, never -0.00%.
    return Number(text) === 0 ? '+0.00%' : `${g > 0 ? '+' : ''}${text}%`;
  };
  const lines = [
    '| dataset | N | D | K | metric | rule picks | gap to our best | our best | our best vs best peer | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of cells) {
    const peer = c.bestPeer === undefined ? '' : `${pct(c.peerGap)} (${c.bestPeer})`;
    lines.push(`| ${c.dataset} | ${c.n} | ${c.d} | ${c.k} | ${c.metric} | ${c.chosen} | ${pct(c.gap)} | ${c.best} | ${peer} | ${c.pass ? 'pass' : 'FAIL'} |`);
  }
  return lines.join('\n');
}

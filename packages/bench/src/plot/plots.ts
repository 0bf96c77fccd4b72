/**
 * The plots of a results file: time against K, time against N, and quality against time.
 *
 * @module
 */
import type { BenchResults, Row } from '../results/schema.js';
import { renderChart, type Panel, type Series } from './charts.js';
import { PALETTE } from './svg.js';

/** A rendered plot. */
export interface PlotFile {
  /** File name (no folder), e.g. `time-vs-k-fmnist-l2.svg`. */
  file: string;
  /** Caption for the report. */
  title: string;
  /** The SVG document. */
  svg: string;
}

/** A file-name-safe slug of a dataset id or series key. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'data';
}

function okRows(results: BenchResults): Row[] {
  return results.rows.filter((r) => r.status === 'ok' && r.seconds !== undefined && r.quality !== undefined);
}

function colours(results: BenchResults): Map<string, { name: string; color: string }> {
  const map = new Map<string, { name: string; color: string }>();
  results.contenders.forEach((c, i) => map.set(c.id, { name: c.label, color: PALETTE[i % PALETTE.length]! }));
  return map;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

function seriesOf(rows: readonly Row[], x: (r: Row) => number, y: (r: Row) => number, palette: ReturnType<typeof colours>, note: (r: Row) => string): Series[] {
  return [...groupBy(rows, (r) => r.contender)].map(([id, list]) => {
    const c = palette.get(id) ?? { name: id, color: '#888' };
    return { name: c.name, color: c.color, points: list.map((r) => ({ x: x(r), y: y(r), note: note(r) })) };
  });
}

function legendFor(panels: Panel[]): Array<{ name: string; color: string }> {
  const seen = new Map<string, string>();
  for (const p of panels) for (const s of p.series) if (!seen.has(s.name)) seen.set(s.name, s.color);
  return [...seen].map(([name, color]) => ({ name, color }));
}

const secondsNote = (r: Row): string => `${r.seconds!.toPrecision(3)} s, objective ${r.quality!.objective.toPrecision(5)}`;

/** Time against K, one chart per (dataset, metric) with at least two K values. */
function timeVsK(results: BenchResults, palette: ReturnType<typeof colours>): PlotFile[] {
  const out: PlotFile[] = [];
  for (const [, rows] of groupBy(okRows(results), (r) => `${r.dataset}\u0000${r.metric}`)) {
    if (new Set(rows.map((r) => r.k)).size < 2) continue;
    const { dataset, metric } = rows[0]!;
    const title = `Fit time vs K: ${results.datasets.find((d) => d.id === dataset)?.title ?? dataset}, ${metric}`;
    const panel: Panel = { title: `${dataset} (${metric})`, xLabel: 'K (clusters)', yLabel: 'median fit time (s)', xLog: true, yLog: true, lines: true, series: seriesOf(rows, (r) => r.k, (r) => r.seconds!, palette, secondsNote) };
    out.push({ file: `time-vs-k-${slug(dataset)}-${metric}.svg`, title, svg: renderChart({ title, subtitle: `${results.settings.maxIter} iterations, ${results.settings.threads} threads`, panels: [panel], legend: legendFor([panel]) }) });
  }
  return out;
}

/** Time against N, one chart per (series, metric, K) with at least two sizes. */
function timeVsN(results: BenchResults, palette: ReturnType<typeof colours>): PlotFile[] {
  const seriesOfDataset = new Map(results.datasets.map((d) => [d.id, d]));
  const rows = okRows(results).filter((r) => seriesOfDataset.get(r.dataset)?.series !== undefined);
  const out: PlotFile[] = [];
  for (const [, group] of groupBy(rows, (r) => `${seriesOfDataset.get(r.dataset)!.series}\u0000${r.metric}\u0000${r.k}`)) {
    if (new Set(group.map((r) => r.dataset)).size < 2) continue;
    const { metric, k } = group[0]!;
    const series = seriesOfDataset.get(group[0]!.dataset)!.series!;
    const title = `Fit time vs N: ${series}, ${metric}, K=${k}`;
    const panel: Panel = { title: `${series} (${metric}, K=${k})`, xLabel: 'N (rows)', yLabel: 'median fit time (s)', xLog: true, yLog: true, lines: true, series: seriesOf(group, (r) => seriesOfDataset.get(r.dataset)!.n, (r) => r.seconds!, palette, secondsNote) };
    out.push({ file: `time-vs-n-${slug(series)}-${metric}-k${k}.svg`, title, svg: renderChart({ title, subtitle: `${results.settings.maxIter} iterations, ${results.settings.threads} threads`, panels: [panel], legend: legendFor([panel]) }) });
  }
  return out;
}

/** Objective against time, one chart per (dataset, metric), one panel per K. */
function qualityVsTime(results: BenchResults, palette: ReturnType<typeof colours>): PlotFile[] {
  const out: PlotFile[] = [];
  for (const [, rows] of groupBy(okRows(results), (r) => `${r.dataset}\u0000${r.metric}`)) {
    const { dataset, metric } = rows[0]!;
    const panels: Panel[] = [...groupBy(rows, (r) => String(r.k))].map(([k, list]) => ({
      title: `K=${k}`,
      xLabel: 'median fit time (s)',
      yLabel: metric === 'l2' ? 'objective: mean squared distance' : 'objective: mean 1 - cos',
      xLog: true,
      yLog: false,
      lines: false,
      series: seriesOf(list, (r) => r.seconds!, (r) => r.quality!.objective, palette, secondsNote),
    }));
    const title = `Quality vs time: ${results.datasets.find((d) => d.id === dataset)?.title ?? dataset}, ${metric} (lower-left is better)`;
    out.push({ file: `quality-vs-time-${slug(dataset)}-${metric}.svg`, title, svg: renderChart({ title, subtitle: dataset, panels, legend: legendFor(panels) }) });
  }
  return out;
}

/** Every plot of a results file. */
export function renderPlots(results: BenchResults): PlotFile[] {
  const palette = colours(results);
  return [...timeVsK(results, palette), ...timeVsN(results, palette), ...qualityVsTime(results, palette)];
}

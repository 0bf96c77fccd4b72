/**
 * The Markdown report of a results file: environment and method, the verdict of every cell,
 * one detailed table per cell, missing contenders with their reasons, and links to the plots.
 *
 * @module
 */
import { MIN_SPEEDUP, QUALITY_TOLERANCE } from '../runner/winner.js';
import { SETTLE_MS } from '../runner/cell.js';
import type { PlotFile } from '../plot/plots.js';
import type { BenchResults, CellSummary, Row } from '../results/schema.js';
import { cell, formatBytes, formatGap, formatNumber, formatScore, formatSeconds } from './format.js';

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** Plots to link, and the folder (relative to the report) they are written to. */
  plots?: { folder: string; files: PlotFile[] };
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function environmentSection(r: BenchResults): string {
  const e = r.environment;
  const bf16 = 'error' in e.simd || e.simd.bf16Speedup === undefined ? '' : `; bf16 dot product ${e.simd.bf16Speedup.toFixed(2)}x the f32 FMA rate`;
  const simd = 'error' in e.simd ? `unknown (${e.simd.error})` : `${e.simd.inUse} (available: ${e.simd.available.join(', ')}${bf16})`;
  const git = 'error' in e.git ? e.git.error : `${e.git.revision.slice(0, 12)}${e.git.dirty ? ' (uncommitted changes)' : ''}`;
  const vars = Object.entries(e.variables).map(([k, v]) => `${k}=${v}`).join(', ');
  const versions = Object.entries(e.versions).map(([k, v]) => `${k}: ${v}`).join('; ');
  return [
    `- Machine: ${e.cpuModel}, ${e.cores} cores, ${formatBytes(e.memoryBytes)}, ${e.os}`,
    `- SIMD level: ${simd}; threads per contender: ${e.threads}`,
    `- Git revision: ${git}`,
    `- Versions: ${versions}`,
    ...(vars === '' ? [] : [`- Environment: ${vars}`]),
    `- Load average (1/5/15 min): ${loadText(e.loadAverage?.start)} at start, ${loadText(e.loadAverage?.end)} at end`,
  ].join('\n');
}

function loadText(load: number[] | undefined): string {
  return load === undefined ? 'unknown' : load.map((v) => v.toFixed(2)).join(' / ');
}

/**
 * A warning when the machine was busy before the run started (the start load has none of this
 * run's own work in it): other work competing for the cores skews every timing.
 */
function busyWarning(r: BenchResults): string | undefined {
  const e = r.environment;
  const start = e.loadAverage?.start?.[0];
  if (start === undefined || start < 0.5 * e.cores) return undefined;
  return `**Warning:** the machine was busy when this run started (1-minute load average ${start.toFixed(1)} on ${e.cores} cores); absolute times are noisy, and ratios between interleaved contenders are the more reliable reading.`;
}

function methodSection(r: BenchResults): string {
  const s = r.settings;
  return [
    `- Every contender runs in its own worker process, which loads the data once per cell. Each row: ${s.warmup} untimed warm-up fit(s) of ${s.warmupIter} iterations, then ${s.repeats} timed fits of ${s.maxIter} iterations, interleaved between contenders (the order rotates each round) with ${SETTLE_MS} ms of idle time before each fit, so threads a previous fit left spinning do not slow the next; the median fit time is reported (data loading excluded).`,
    `- Per-fit timeout ${s.timeoutSeconds} s; a row stops repeating once its timed fits used that much in total. Seed ${s.seed}; ${s.threads} threads for every contender (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, threadpoolctl, faiss.omp_set_num_threads, CLOSTERA_NUM_THREADS).`,
    `- Quality is measured on the first timed fit's centroids over all rows by the same code for everyone (\`@clostera/kernels\` nearest-centroid assignment): l2 objective = mean squared distance; cos objective = mean (1 - cos); V-measure, NMI, ARI against the ground truth; imbalance factor = k * sum(n_c^2) / n^2; empty = clusters with no row. Under cos every contender receives unit-norm rows.`,
    `- Peak memory: ${r.environment.rssMethod}; it includes the worker's copy of the data.`,
    `- Winner rule: **best** = lowest objective; **winner** = the fastest row within ${(QUALITY_TOLERANCE * 100).toFixed(1)}% of the best objective and at least ${MIN_SPEEDUP}x faster than the best row, otherwise the best row.`,
  ].join('\n');
}

function contenderLabel(r: BenchResults, id: string | undefined): string {
  if (id === undefined) return '—';
  return r.contenders.find((c) => c.id === id)?.label ?? id;
}

function summarySection(r: BenchResults): string {
  const rows = r.cells.map((c) => [
    cell(datasetTitle(r, c.dataset)),
    c.metric,
    String(c.k),
    contenderLabel(r, c.best),
    contenderLabel(r, c.winner),
    c.speedup === undefined ? '—' : `${c.speedup.toFixed(2)}x`,
    formatGap(c.qualityGap),
  ]);
  return table(['dataset', 'metric', 'K', 'best quality', 'quality-speed winner', 'winner speed-up', 'winner objective gap'], rows);
}

function datasetTitle(r: BenchResults, id: string): string {
  const d = r.datasets.find((x) => x.id === id);
  return d === undefined ? id : `${d.title} (${d.n}x${d.d})`;
}

function cellTable(r: BenchResults, summary: CellSummary): string {
  const rows = r.rows.filter((x) => x.dataset === summary.dataset && x.metric === summary.metric && x.k === summary.k);
  const best = rows.find((x) => x.contender === summary.best)?.quality?.objective;
  const bestSeconds = rows.find((x) => x.contender === summary.best)?.seconds;
  const hasTruth = rows.some((x) => x.quality?.vMeasure !== undefined);
  const cos = summary.metric === 'cos';
  const header = [
    'contender',
    'time (s)',
    'vs best',
    'iter',
    'objective',
    'gap',
    ...(cos ? ['mean cos'] : []),
    ...(hasTruth ? ['V-measure', 'homog.', 'compl.', 'NMI', 'ARI'] : []),
    'imbalance',
    'empty',
    'peak RSS',
    'notes',
  ];
  const body = rows.map((x: Row) => {
    const marks = `${x.contender === summary.best ? ' ★' : ''}${x.contender === summary.winner ? ' ⚡' : ''}`;
    const name = `${contenderLabel(r, x.contender)}${marks}`;
    if (x.status !== 'ok' || x.quality === undefined) {
      const blanks = header.length - 3;
      return [name, `**${x.status}**`, ...Array<string>(blanks).fill(''), cell(x.reason ?? '')];
    }
    const q = x.quality;
    const ratio = bestSeconds !== undefined && x.seconds !== undefined && x.seconds > 0 ? `${(bestSeconds / x.seconds).toFixed(2)}x` : '—';
    const gap = best === undefined ? undefined : best > 0 ? (q.objective - best) / best : q.objective - best;
    const notes = [x.notes, q.unusableCentroids > 0 ? `${q.unusableCentroids} unusable centroids` : undefined, q.labelAgreement !== undefined && q.labelAgreement < 0.999 ? `own labels agree ${(q.labelAgreement * 100).toFixed(1)}%` : undefined]
      .filter((s): s is string => s !== undefined)
      .join('; ');
    return [
      name,
      formatSeconds(x.seconds),
      ratio,
      x.iterations === undefined ? '—' : String(x.iterations),
      formatNumber(q.objective, 6),
      formatGap(gap),
      ...(cos ? [formatScore(q.meanSimilarity)] : []),
      ...(hasTruth ? [formatScore(q.vMeasure), formatScore(q.homogeneity), formatScore(q.completeness), formatScore(q.nmi), formatScore(q.ari)] : []),
      formatNumber(q.imbalance, 3),
      String(q.emptyClusters),
      formatBytes(x.peakRssBytes),
      cell(notes),
    ];
  });
  return table(header, body);
}

function contendersSection(r: BenchResults): string {
  return table(
    ['contender', 'id', 'status', 'what runs', 'version or reason'],
    r.contenders.map((c) => [cell(c.label), `\`${c.id}\``, c.available ? 'available' : '**missing**', cell(c.description), cell((c.available ? c.version : c.reason) ?? '')]),
  );
}

/** Renders the report. */
export function renderReport(r: BenchResults, options: ReportOptions = {}): string {
  const out: string[] = [];
  out.push(`# Clostera benchmark: ${r.suite} suite`, '');
  out.push(`Command: \`${r.command}\``, '');
  out.push(`Started ${r.startedAt}${r.finishedAt === undefined ? ' (unfinished)' : `, finished ${r.finishedAt}`}.`, '');
  const missing = r.contenders.filter((c) => !c.available);
  if (missing.length > 0) out.push(`**Missing contenders** (reported in every cell, never skipped silently): ${missing.map((c) => `\`${c.id}\``).join(', ')}.`, '');
  const busy = busyWarning(r);
  if (busy !== undefined) out.push(busy, '');
  out.push('## Environment', '', environmentSection(r), '');
  out.push('## Method', '', methodSection(r), '');
  out.push('## Contenders', '', contendersSection(r), '');
  out.push('## Summary', '', 'Best quality = lowest objective; winner = the quality-speed winner (see Method).', '', summarySection(r), '');
  out.push('## Results by cell', '', '★ best quality, ⚡ quality-speed winner. "vs best" = speed relative to the best-quality row (above 1 is faster); "gap" = objective relative to the best.', '');
  for (const summary of r.cells) {
    out.push(`### ${datasetTitle(r, summary.dataset)}, ${summary.metric}, K=${summary.k}`, '', `Dataset \`${summary.dataset}\`.`, '', cellTable(r, summary), '');
  }
  out.push('## Datasets', '', table(['id', 'n x d', 'classes', 'source', 'load (s)'], r.datasets.map((d) => [`\`${cell(d.id)}\``, `${d.n}x${d.d}`, d.classes === undefined ? '—' : String(d.classes), cell(d.source), d.loadSeconds.toFixed(1)])), '');
  if (options.plots !== undefined && options.plots.files.length > 0) {
    out.push('## Plots', '');
    for (const p of options.plots.files) out.push(`- [${p.title}](${options.plots.folder}/${p.file})`);
    out.push('');
  }
  return out.join('\n');
}

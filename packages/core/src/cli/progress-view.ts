/**
 * How a run shows progress on stderr: a cli-progress bar with an ETA on a terminal, plain
 * `progress:` lines otherwise (logs and pipes get one line per stage change, per iteration, and
 * per tenth of a streaming pass, never carriage returns).
 *
 * @module
 */
import cliProgress from 'cli-progress';
import type { IterationStats } from '@clostera/kmeans';
import type { ClustererProgress, Stage } from '../progress.js';

/** What a command tells its progress display. */
export interface ProgressView {
  /** A progress report from the library. */
  update(p: ClustererProgress): void;
  /** A finished Lloyd iteration. */
  iteration(s: IterationStats): void;
  /** A free-form status line (e.g. "cancelling"). */
  note(message: string): void;
  /** Removes the bar (if any); later reports are ignored. */
  stop(): void;
}

const STAGE_TEXT: Record<Stage, string> = {
  read: 'reading',
  sample: 'sampling',
  seed: 'seeding',
  lloyd: 'iterating',
  final: 'labelling',
  predict: 'labelling',
};

function detail(p: ClustererProgress): string {
  if (p.stage === 'lloyd') return `iteration ${p.iteration + 1}/${p.maxIter}${p.redos > 1 ? `, restart ${p.redo + 1}/${p.redos}` : ''}`;
  return `${p.rowsDone.toLocaleString('en-US')}/${p.rows.toLocaleString('en-US')} rows`;
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  return s < 60 ? `${s.toFixed(s < 10 ? 1 : 0)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** A terminal bar: percentage, ETA, stage and detail, redrawn at most 10 times a second. */
function barView(stream: NodeJS.WriteStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      format: '{stage} [{bar}] {percentage}% | ETA {eta_formatted} | {detail}',
      stream,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const SCALE = 1000;
  let started = false;
  let stopped = false;
  return {
    update(p) {
      if (stopped) return;
      const payload = { stage: STAGE_TEXT[p.stage].padEnd(10), detail: detail(p) };
      if (!started) {
        bar.start(SCALE, 0, payload);
        started = true;
      }
      bar.update(Math.round(p.fraction * SCALE), payload);
    },
    iteration() {},
    note(message) {
      if (started && !stopped) bar.stop();
      stopped = true;
      stream.write(`${message}\n`);
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

/** Plain lines for logs and pipes. */
function lineView(stream: NodeJS.WritableStream): ProgressView {
  const t0 = performance.now();
  let stage: Stage | undefined;
  let tenth = -1;
  let fraction = 0;
  let stopped = false;
  const eta = (): string => {
    const elapsed = (performance.now() - t0) / 1000;
    return fraction > 0 ? `, ETA ${seconds((elapsed / fraction) * (1 - fraction))}` : '';
  };
  const line = (text: string): void => {
    if (!stopped) stream.write(`progress: ${text} (${Math.round(100 * fraction)}%${eta()})\n`);
  };
  return {
    update(p) {
      fraction = p.fraction;
      if (p.stage !== stage) {
        stage = p.stage;
        tenth = -1;
        if (p.stage !== 'lloyd') line(`${STAGE_TEXT[p.stage]} ${p.rows.toLocaleString('en-US')} rows`);
      }
      // Streaming passes can be long: say how far they are every tenth.
      if (p.stage === 'read' || p.stage === 'sample' || p.stage === 'predict') {
        const t = p.rows > 0 ? Math.floor((10 * p.rowsDone) / p.rows) : 10;
        if (t > tenth && t < 10 && t > 0) line(`${STAGE_TEXT[p.stage]} ${detail(p)}`);
        tenth = Math.max(tenth, t);
      }
    },
    iteration(s) {
      line(`iteration ${s.iteration + 1}${s.redo > 0 ? ` (restart ${s.redo + 1})` : ''}: objective ${s.objective.toPrecision(6)}, ${s.changed.toLocaleString('en-US')} rows changed, ${s.seconds.toFixed(3)} s`);
    },
    note(message) {
      stream.write(`${message}\n`);
    },
    stop() {
      stopped = true;
    },
  };
}

/** A view that shows nothing (`--quiet`). */
const silentView: ProgressView = { update() {}, iteration() {}, note() {}, stop() {} };

/** The progress display for this process: a bar on a TTY stderr, lines otherwise, nothing when quiet. */
export function createProgressView(options: { quiet: boolean; stream?: NodeJS.WriteStream }): ProgressView {
  if (options.quiet) return silentView;
  const stream = options.stream ?? process.stderr;
  return stream.isTTY ? barView(stream) : lineView(stream);
}

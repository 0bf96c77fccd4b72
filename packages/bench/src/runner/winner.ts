/**
 * The winner rule of a cell (dataset, metric, K).
 *
 * The best-quality row has the lowest objective (ties go to the faster row). The quality-speed
 * winner is the fastest row whose objective is within 2.5% of the best and that is at least 1.5x
 * faster than the best-quality row; when no row qualifies, the best-quality row wins. Quality
 * counts first: a fast row with a clearly worse objective never wins.
 *
 * @module
 */
import type { CellSummary, Row } from '../results/schema.js';

/** Relative objective gap to the best row that still counts as equal quality. */
export const QUALITY_TOLERANCE = 0.025;

/** Speed-up over the best-quality row needed to win on speed. */
export const MIN_SPEEDUP = 1.5;

interface Ranked {
  contender: string;
  objective: number;
  seconds: number;
}

function rankable(rows: readonly Row[]): Ranked[] {
  const out: Ranked[] = [];
  for (const r of rows) {
    if (r.status !== 'ok' || r.quality === undefined || r.seconds === undefined) continue;
    if (!Number.isFinite(r.quality.objective) || !Number.isFinite(r.seconds)) continue;
    out.push({ contender: r.contender, objective: r.quality.objective, seconds: r.seconds });
  }
  return out;
}

/** Relative gap of `objective` over `best` (objectives are non-negative; a zero best compares absolutely). */
export function qualityGap(objective: number, best: number): number {
  return best > 0 ? (objective - best) / best : objective - best;
}

/**
 * Judges one cell from its rows (rows of other cells must not be passed). Rows that are not `ok`
 * or lack a quality or a time take no part.
 */
export function judgeCell(rows: readonly Row[]): Pick<CellSummary, 'best' | 'winner' | 'speedup' | 'qualityGap'> {
  const ranked = rankable(rows);
  if (ranked.length === 0) return {};
  let best = ranked[0]!;
  for (const r of ranked) {
    if (r.objective < best.objective || (r.objective === best.objective && r.seconds < best.seconds)) best = r;
  }
  let winner = best;
  for (const r of ranked) {
    if (r === best) continue;
    const closeEnough = qualityGap(r.objective, best.objective) <= QUALITY_TOLERANCE;
    const fastEnough = r.seconds * MIN_SPEEDUP <= best.seconds;
    if (closeEnough && fastEnough && (winner === best || r.seconds < winner.seconds)) winner = r;
  }
  return {
    best: best.contender,
    winner: winner.contender,
    speedup: winner.seconds > 0 ? best.seconds / winner.seconds : 1,
    qualityGap: qualityGap(winner.objective, best.objective),
  };
}

/** Judges every cell present in `rows`, in first-appearance order. */
export function judgeCells(rows: readonly Row[]): CellSummary[] {
  const cells = new Map<string, { key: Pick<CellSummary, 'dataset' | 'metric' | 'k'>; rows: Row[] }>();
  for (const r of rows) {
    const id = `${r.dataset}\u0000${r.metric}\u0000${r.k}`;
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = { key: { dataset: r.dataset, metric: r.metric, k: r.k }, rows: [] };
      cells.set(id, cell);
    }
    cell.rows.push(r);
  }
  return [...cells.values()].map((c) => ({ ...c.key, ...judgeCell(c.rows) }));
}

/**
 * Axis scales and tick choice for the hand-written SVG charts.
 *
 * @module
 */

/** Maps data values to pixels along one axis. */
export interface Scale {
  /** Pixel position of a data value. */
  (value: number): number;
  /** Tick values worth labelling, inside the domain. */
  ticks: number[];
  /** Whether the scale is logarithmic. */
  log: boolean;
}

/** Domain padded so points do not sit on the frame; a degenerate domain is widened. */
export function paddedDomain(values: readonly number[], log: boolean): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (finite.length === 0) return log ? [1, 10] : [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (log) {
    if (lo === hi) return [lo / 2, hi * 2];
    const f = Math.pow(hi / lo, 0.06);
    return [lo / f, hi * f];
  }
  if (lo === hi) {
    const w = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    return [lo - w, hi + w];
  }
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

/** "Nice" linear ticks: about `count` steps of 1, 2 or 5 times a power of ten. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Logarithmic ticks: powers of ten, plus 2x and 5x when the domain spans less than three decades. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  const multipliers = last - first <= 3 ? [1, 2, 5] : [1];
  for (let e = first; e <= last; e++) {
    for (const m of multipliers) {
      const v = Number((m * Math.pow(10, e)).toPrecision(12));
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  // A domain inside one decade may hold no power of ten: fall back to linear ticks.
  return ticks.length >= 2 ? ticks : linearTicks(lo, hi, 4);
}

/**
 * A scale from the data domain `[lo, hi]` onto the pixel range `[from, to]` (to may be smaller
 * than from, as for a y axis pointing up).
 */
export function makeScale(domain: [number, number], range: [number, number], log: boolean): Scale {
  const [lo, hi] = domain;
  const [from, to] = range;
  const f = log ? Math.log10 : (v: number): number => v;
  const a = f(lo);
  const b = f(hi);
  const scale = ((value: number) => from + ((f(value) - a) / (b - a || 1)) * (to - from)) as Scale;
  scale.ticks = log ? logTicks(lo, hi) : linearTicks(lo, hi);
  scale.log = log;
  return scale;
}

/** Short tick label: 3 significant digits, k/M suffixes for large values, no trailing zeros. */
export function tickLabel(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (abs !== 0 && abs < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

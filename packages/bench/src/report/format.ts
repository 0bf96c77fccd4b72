/**
 * Number formatting for the Markdown report.
 *
 * @module
 */

/** Seconds with three significant digits (`0.0123`, `1.23`, `123`). */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  return s >= 100 ? s.toFixed(0) : s.toPrecision(3);
}

/** A value with `digits` significant digits, or a dash. */
export function formatNumber(v: number | undefined, digits = 4): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-4)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** A score in [0, 1] (or ARI's [-1, 1]) with three decimals. */
export function formatScore(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3);
}

/** Bytes as MiB (or GiB past 10 GiB). */
export function formatBytes(b: number | undefined): string {
  if (b === undefined) return '—';
  const mib = b / 1048576;
  return mib >= 10240 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(0)} MiB`;
}

/** A relative gap as a signed percentage (`+1.2%`). */
export function formatGap(gap: number | undefined): string {
  if (gap === undefined || !Number.isFinite(gap)) return '—';
  const pct = gap * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 2 : 1)}%`;
}

/** Escapes the characters that break a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

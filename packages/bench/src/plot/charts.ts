/**
 * Chart layouts: a grid of panels (line or scatter plots) sharing one legend, rendered as SVG.
 *
 * @module
 */
import { makeScale, paddedDomain, tickLabel } from './scales.js';
import { el, svgDocument, text } from './svg.js';

/** One point; `note` becomes its hover tooltip. */
export interface Point {
  /** x value. */
  x: number;
  /** y value. */
  y: number;
  /** Tooltip text. */
  note?: string;
}

/** A named, coloured set of points. */
export interface Series {
  /** Legend name. */
  name: string;
  /** Stroke and fill colour. */
  color: string;
  /** The points (sorted by x before drawing lines). */
  points: Point[];
}

/** One panel of a chart. */
export interface Panel {
  /** Panel heading. */
  title: string;
  /** x axis label. */
  xLabel: string;
  /** y axis label. */
  yLabel: string;
  /** Logarithmic x axis. */
  xLog: boolean;
  /** Logarithmic y axis. */
  yLog: boolean;
  /** Connect each series' points with a line (time series) or not (scatter). */
  lines: boolean;
  /** The data. */
  series: Series[];
}

/** A chart: a title, panels in a grid, one legend. */
export interface Chart {
  /** Heading of the whole figure (also the SVG title). */
  title: string;
  /** Optional line under the heading. */
  subtitle?: string;
  /** Panels, laid out row by row. */
  panels: Panel[];
  /** Legend entries (every series name that appears, once). */
  legend: Array<{ name: string; color: string }>;
}

const PANEL_W = 420;
const PANEL_H = 300;
const MARGIN = { left: 62, right: 14, top: 26, bottom: 46 };
const LEGEND_W = 200;
const HEADER_H = 52;

function renderPanel(panel: Panel, ox: number, oy: number): string {
  const x0 = ox + MARGIN.left;
  const x1 = ox + PANEL_W - MARGIN.right;
  const y0 = oy + PANEL_H - MARGIN.bottom;
  const y1 = oy + MARGIN.top;
  const all = panel.series.flatMap((s) => s.points);
  const sx = makeScale(paddedDomain(all.map((p) => p.x), panel.xLog), [x0, x1], panel.xLog);
  const sy = makeScale(paddedDomain(all.map((p) => p.y), panel.yLog), [y0, y1], panel.yLog);
  const parts: string[] = [];
  parts.push(text(ox + PANEL_W / 2, oy + 16, panel.title, { 'text-anchor': 'middle', 'font-weight': 'bold' }));
  for (const t of sx.ticks) {
    const px = sx(t);
    parts.push(el('line', { x1: px, y1: y0, x2: px, y2: y1, stroke: '#e3e3e3' }));
    parts.push(text(px, y0 + 16, tickLabel(t), { 'text-anchor': 'middle', 'font-size': 11 }));
  }
  for (const t of sy.ticks) {
    const py = sy(t);
    parts.push(el('line', { x1: x0, y1: py, x2: x1, y2: py, stroke: '#e3e3e3' }));
    parts.push(text(x0 - 6, py + 4, tickLabel(t), { 'text-anchor': 'end', 'font-size': 11 }));
  }
  parts.push(el('rect', { x: x0, y: y1, width: x1 - x0, height: y0 - y1, fill: 'none', stroke: '#444' }));
  parts.push(text((x0 + x1) / 2, y0 + 36, panel.xLabel, { 'text-anchor': 'middle' }));
  const ly = (y0 + y1) / 2;
  parts.push(text(ox + 14, ly, panel.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 ${ox + 14} ${ly})` }));
  if (all.length === 0) parts.push(text((x0 + x1) / 2, ly, 'no data', { 'text-anchor': 'middle', fill: '#888' }));
  for (const s of panel.series) {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (panel.lines && pts.length > 1) {
      parts.push(el('polyline', { points: pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '), fill: 'none', stroke: s.color, 'stroke-width': 2 }));
    }
    for (const p of pts) {
      const tip = el('title', {}, escapeTip(`${s.name}: ${p.note ?? `${tickLabel(p.x)}, ${tickLabel(p.y)}`}`));
      parts.push(el('circle', { cx: sx(p.x), cy: sy(p.y), r: 4.5, fill: s.color, stroke: 'white', 'stroke-width': 1 }, tip));
    }
  }
  return el('g', {}, parts.join('\n'));
}

function escapeTip(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders a chart as a standalone SVG document. */
export function renderChart(chart: Chart): string {
  const columns = Math.max(1, Math.min(3, chart.panels.length));
  const rows = Math.max(1, Math.ceil(chart.panels.length / columns));
  // Widen the figure when the heading is longer than the panels (about 9.5 px per bold 16 px glyph).
  const width = Math.max(columns * PANEL_W + LEGEND_W, Math.ceil(chart.title.length * 9.5) + 32);
  const height = Math.max(HEADER_H + rows * PANEL_H + 10, HEADER_H + 24 * chart.legend.length + 20);
  const parts: string[] = [text(16, 24, chart.title, { 'font-size': 16, 'font-weight': 'bold' })];
  if (chart.subtitle !== undefined) parts.push(text(16, 42, chart.subtitle, { fill: '#555' }));
  chart.panels.forEach((panel, i) => {
    parts.push(renderPanel(panel, (i % columns) * PANEL_W, HEADER_H + Math.floor(i / columns) * PANEL_H));
  });
  const lx = columns * PANEL_W + 10;
  chart.legend.forEach((entry, i) => {
    const y = HEADER_H + 20 + i * 24;
    parts.push(el('circle', { cx: lx + 8, cy: y - 4, r: 6, fill: entry.color }));
    parts.push(text(lx + 22, y, entry.name));
  });
  return svgDocument(width, height, parts.join('\n'), chart.title);
}

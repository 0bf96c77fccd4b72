/**
 * Minimal SVG writing: escaping and element helpers, so charts need no plotting dependency.
 *
 * @module
 */

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Attribute values: strings are escaped, numbers rounded to 0.01 px to keep files small. */
export type Attributes = Record<string, string | number | undefined>;

function attrs(a: Attributes): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? Number(v.toFixed(2)) : escapeXml(v!)}"`)
    .join('');
}

/** One element; `children` is already-rendered markup, or text when `text` is true. */
export function el(name: string, attributes: Attributes = {}, children = ''): string {
  return children === '' ? `<${name}${attrs(attributes)}/>` : `<${name}${attrs(attributes)}>${children}</${name}>`;
}

/** A text element with escaped content. */
export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return el('text', { x, y, ...attributes }, escapeXml(content));
}

/** A complete standalone SVG document. */
export function svgDocument(width: number, height: number, body: string, title: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">\n` +
    `<title>${escapeXml(title)}</title>\n` +
    el('rect', { x: 0, y: 0, width, height, fill: 'white' }) +
    '\n' +
    body +
    '\n</svg>\n'
  );
}

/** Colour-blind-friendly palette (Okabe-Ito plus two), assigned to contenders in report order. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999933', '#8C564B', '#7F7F7F'];

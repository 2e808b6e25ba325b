/**
 * The element tree satori lays out, built without JSX or React: plain objects of the shape React
 * elements have. Every box is a flex container (satori requires it of boxes with several children).
 */

export type Style = Record<string, string | number>;

export interface Element {
  type: string;
  props: { style?: Style; children?: Child[] | Child; [attribute: string]: unknown };
  key: null;
}

export type Child = Element | string | null | undefined | false;

/** An element with attributes (an svg, an img) and children. */
export function el(type: string, props: Record<string, unknown>, ...children: Child[]): Element {
  const kept = children.filter((c) => c !== null && c !== undefined && c !== false);
  return { type, props: { ...props, ...(kept.length && { children: kept.length === 1 ? kept[0] : kept }) }, key: null };
}

/** A flex box. */
export function box(style: Style, ...children: Child[]): Element {
  return el('div', { style: { display: 'flex', boxSizing: 'border-box', ...style } }, ...children);
}

/**
 * One line of text, cut with an ellipsis where its box ends: for text of unknown length (names,
 * titles, large numbers). Each clip is a mask the rasteriser draws apart, so text of known length
 * uses `label`.
 */
export function line(text: string, style: Style = {}): Element {
  return el('div', { style: { display: 'flex', minWidth: 0, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', ...style } }, text);
}

/** One line of text of known length, never clipped. */
export function label(text: string, style: Style = {}): Element {
  return el('div', { style: { display: 'flex', whiteSpace: 'nowrap', ...style } }, text);
}

/** The attribute that carries a painted box's SVG (see `painted`). */
export const PAINT = 'data-paint';

/**
 * A box of a fixed size drawn from SVG shapes given in its own coordinates (0,0 at its top left),
 * placed where the layout puts the box: for many small shapes, a heatmap's cells, which satori
 * would otherwise lay out and paint one element at a time. The SVG must come from this module's
 * callers, never from user text: it goes into the picture as written.
 */
export function painted(width: number, height: number, svg: string, style: Style = {}): Element {
  return el('div', { style: { display: 'flex', width, height, flexShrink: 0, ...style }, [PAINT]: svg });
}

/** An SVG rectangle with rounded corners, optionally with a border drawn inside its edge (as CSS's border-box). */
export function rect(x: number, y: number, w: number, h: number, r: number, fill: string, border?: { width: number; color: string }): string {
  const base = `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="${fill}"/>`;
  if (!border) return base;
  const b = border.width;
  return `${base}<rect x="${x + b / 2}" y="${y + b / 2}" width="${w - b}" height="${h - b}" rx="${Math.max(0, r - b / 2)}" fill="none" stroke="${border.color}" stroke-width="${b}"/>`;
}

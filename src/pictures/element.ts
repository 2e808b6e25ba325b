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

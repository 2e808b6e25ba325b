import { GLYPHS, REPLACEMENT } from './glyphs.js';

/**
 * Direction marks and overrides, isolates, and invisible controls: in a name they can reorder or
 * hide what follows (U+202E turns "evil.exe" around), and the cards draw left to right only.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Zero-width characters, joiners and variation selectors. */
const INVISIBLE = /[\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff]|\p{Variation_Selector}/gu;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * User text made safe to draw: invisible and direction controls removed, whitespace collapsed,
 * and every character the bundled font cannot draw (emoji, scripts it lacks, right-to-left text,
 * which it could not lay out in order anyway) shown as one replacement glyph per character as a
 * reader sees it. Cut to `max` characters with an ellipsis. Never throws; never fetches anything.
 */
export function drawable(text: string, max: number, covers: (codePoint: number) => boolean): string {
  const cleaned = text.normalize('NFC').replace(CONTROLS, '').replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  let missing = 0;
  for (const { segment } of segmenter.segment(cleaned)) {
    // Joiners and variation selectors only matter inside an emoji, which is replaced whole.
    const base = segment.replace(INVISIBLE, '');
    if (!base) continue;
    let shown = base;
    if (base !== ' ' && !GLYPHS[base] && ![...base].every((ch) => covers(ch.codePointAt(0)!))) shown = REPLACEMENT;
    // A long run of characters the font lacks reads no better for every one of them drawn.
    missing = shown === REPLACEMENT ? missing + 1 : 0;
    if (missing > 3) continue;
    if (out.length >= max) {
      out[max - 1] = '…';
      break;
    }
    out.push(shown);
  }
  return out.join('').trim() || REPLACEMENT;
}

/** A count with thousands separators, a score with at most one decimal. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const rounded = Math.round(n * 10) / 10;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(rounded) ? 0 : 1 });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** User text for alt text: the characters as given, without controls that would reorder or hide them, cut to `max`. */
export function plainText(text: string, max: number): string {
  const cleaned = text.normalize('NFC').replace(CONTROLS, '').replace(/\s+/g, ' ').trim();
  const graphemes = [...segmenter.segment(cleaned)].map((s) => s.segment);
  return graphemes.length > max ? `${graphemes.slice(0, max - 1).join('')}…` : cleaned;
}

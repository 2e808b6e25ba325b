import type { Nodes, Root, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * Markdown as a syntax tree (mdast, the tree remark uses), parsed one way for every platform:
 * CommonMark plus GitHub's tables, strikethrough, task lists, footnotes and bare links. Each
 * platform writes the same tree in its own dialect, so parsing, escapes and structure are shared
 * and only the writing differs.
 */
export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(markdown, GFM);
}

// Built once: assembling the extensions costs more than parsing a short message.
const GFM = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

/** The literal text of a node: what a reader would read with every mark taken away. */
export function literalText(n: Nodes): string {
  if (n.type === 'image' || n.type === 'imageReference') return n.alt ?? '';
  if (n.type === 'break') return ' ';
  if ('value' in n && typeof n.value === 'string') return n.type === 'inlineCode' ? n.value.replace(/\n/g, ' ') : n.value;
  if ('children' in n) return n.children.map((c) => literalText(c)).join('');
  return '';
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u;
const ZERO_WIDTH = /\p{Mn}|\p{Cf}|\p{Me}/u;

/** Columns a string takes in a monospaced font: wide for CJK and emoji, none for joiners and accents. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
}

/**
 * Widest a table may be as a grid: about what a phone shows of a code block without scrolling.
 * A wider table is written as records, one per line.
 */
export const PHONE_COLUMNS = 40;

/** A table's cells as literal text (formatting would misalign the columns of a grid). */
export function tableCells(t: Table): string[][] {
  return t.children.map((row) => row.children.map((cell) => literalText(cell).trim()));
}

/** A table as aligned monospace lines: `a │ b`, a rule under the header. */
export function tableGrid(rows: string[][]): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (r: string[]) =>
    widths
      .map((w, i) => {
        const c = r[i] ?? '';
        return c + ' '.repeat(w - displayWidth(c));
      })
      .join(' │ ')
      .trimEnd();
  const out = rows.map(line);
  if (out.length > 1) out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('─┼─'));
  return out;
}

/** The widest line of a grid, in columns. */
export function gridWidth(lines: readonly string[]): number {
  return Math.max(0, ...lines.map(displayWidth));
}

/** Links every platform may show: the web and e-mail. Anything else (javascript:, file:, relative paths) is shown as text. */
export function safeLinkUrl(url: string, protocols: readonly string[] = ['http:', 'https:', 'mailto:']): URL | undefined {
  try {
    const parsed = new URL(url);
    return protocols.includes(parsed.protocol) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

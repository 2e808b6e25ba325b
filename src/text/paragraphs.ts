import type { Nodes } from 'mdast';
import { parseMarkdown } from './markdown-tree.js';

/**
 * Study content is written as documents, hard-wrapped at about 100 columns, where Markdown reads a
 * line break inside a paragraph as a space. Replies carry chat Markdown, where every newline is a
 * line break (as Discord and Slack show it, and as commands write their lines). This turns the
 * first into the second: the soft line breaks inside paragraphs and headings become spaces, so a
 * paragraph arrives as one line that the reader's screen wraps. Hard breaks (two trailing spaces
 * or a backslash), lists, block quotes, tables and code keep their lines.
 */
export function unwrapParagraphs(markdown: string): string {
  const source = markdown.replace(/\r\n?/g, '\n');
  if (!source.includes('\n')) return source;
  const cuts: [number, number][] = [];
  const visit = (n: Nodes) => {
    if (n.type === 'paragraph' || n.type === 'heading') {
      const start = n.children[0]?.position?.start.offset;
      const end = n.children.at(-1)?.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const hard = hardBreaks(n);
      for (let i = source.indexOf('\n', start); i >= 0 && i < end; i = source.indexOf('\n', i + 1)) {
        if (hard.some(([s, e]) => i >= s && i < e)) continue;
        let a = i;
        while (a > start && (source[a - 1] === ' ' || source[a - 1] === '\t')) a--;
        // The next line's container prefix: indentation under a list item, `>` of a block quote.
        let b = i + 1;
        while (b < end && (source[b] === ' ' || source[b] === '\t' || source[b] === '>')) b++;
        cuts.push([a, b]);
      }
      return;
    }
    if ('children' in n) for (const c of n.children) visit(c);
  };
  visit(parseMarkdown(source));
  let out = source;
  for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = `${out.slice(0, a)} ${out.slice(b)}`;
  return out;
}

function hardBreaks(n: Nodes): [number, number][] {
  if (n.type === 'break') {
    const p = n.position;
    return p?.start.offset !== undefined && p.end.offset !== undefined ? [[p.start.offset, p.end.offset]] : [];
  }
  return 'children' in n ? n.children.flatMap((c) => hardBreaks(c)) : [];
}

import type { List, Nodes, PhrasingContent, RootContent, Table } from 'mdast';
import { gridWidth, literalText, parseMarkdown, PHONE_COLUMNS, tableCells, tableGrid } from './markdown-tree.js';

/**
 * The one walk over a Markdown tree that every platform's writer shares: blocks, lists, quotes,
 * tables and inline runs. A platform says how each thing looks (its markers, escapes, links, code
 * blocks); the structure, and the rules below, are the same everywhere:
 *
 * - Replies carry chat Markdown, where a newline inside a paragraph is a line break (commands write
 *   lines that way). Documents (lessons) are unwrapped into that form first: see paragraphs.ts.
 * - No emphasis, strike or inline-code marker spans a line break: a run that does is closed at the
 *   end of each line and reopened on the next, because Slack's markers never cross a newline and
 *   a marker left open shows as a literal asterisk.
 * - Tables become aligned monospace grids when they fit a phone, else one record per line.
 * - Code blocks inside a list item are written unindented, as indentation would land inside the code.
 */
export abstract class ChatWriter {
  private readonly definitions = new Map<string, string>();
  /** Marks already open around the current run: a nested one adds nothing (`**a **b** c**`). */
  private readonly open = new Set<'strong' | 'emphasis' | 'delete'>();

  /** The bullet of an unordered list item, marker and space ("- ", "• "). */
  protected abstract readonly bullet: string;
  /** Widest table written as a grid, in columns. */
  protected readonly gridColumns: number = PHONE_COLUMNS;

  /** Literal text, escaped so that it stays literal. `lineStart` when it begins an output line. */
  protected abstract text(value: string, lineStart: boolean): string;
  protected abstract strong(inner: string): string;
  protected abstract emphasis(inner: string): string;
  protected abstract strike(inner: string): string;
  protected abstract inlineCode(value: string): string;
  /** `label` is written already; `plainLabel` is its literal text. */
  protected abstract link(url: string, label: string, plainLabel: string): string;
  protected abstract image(url: string, alt: string): string;
  protected abstract heading(depth: number, inner: string): string;
  /** A code block; `language` is the info string's first word ("" when none). */
  protected abstract codeBlock(code: string, language: string): string;
  protected abstract quote(body: string): string;
  protected abstract rule(): string;

  /** Indentation of lines that continue a list item after a marker `markerWidth` wide. */
  protected itemIndent(markerWidth: number): number {
    return markerWidth;
  }

  /** A grid of table lines: a code block by default. */
  protected grid(lines: string[]): string {
    return this.codeBlock(lines.join('\n'), '');
  }

  /** Writes a whole Markdown text. */
  write(markdown: string): string {
    const root = parseMarkdown(markdown);
    this.definitions.clear();
    this.collectDefinitions(root);
    // Blank lines at either end go; the first line keeps its indentation (a terminal code frame).
    return this.blocks(root.children)
      .replace(/^(?:[ \t]*\n)+/, '')
      .trimEnd();
  }

  private collectDefinitions(n: Nodes): void {
    if (n.type === 'definition') this.definitions.set(n.identifier, n.url);
    if ('children' in n) for (const c of n.children) this.collectDefinitions(c);
  }

  protected blocks(nodes: readonly RootContent[], sep = '\n\n'): string {
    return nodes
      .map((n) => this.block(n))
      .filter((s) => s !== '')
      .join(sep);
  }

  protected block(n: RootContent): string {
    switch (n.type) {
      case 'paragraph':
        return this.inline(n.children);
      case 'heading':
        return this.heading(n.depth, this.inline(n.children));
      case 'thematicBreak':
        return this.rule();
      case 'blockquote':
        return this.quote(this.blocks(n.children));
      case 'list':
        return this.list(n);
      case 'code':
        return this.codeBlock(n.value, (n.lang ?? '').toLowerCase());
      case 'html':
        return this.text(n.value, true);
      case 'table':
        return this.table(n);
      case 'definition':
        return '';
      case 'footnoteDefinition':
        return `${this.text(`[^${n.identifier}]:`, true)} ${this.blocks(n.children, ' ')}`;
      default:
        return 'children' in n ? this.blocks(n.children as RootContent[]) : 'value' in n ? this.text(String(n.value), true) : '';
    }
  }

  private list(n: List): string {
    const start = n.start ?? 1;
    return n.children
      .map((item, i) => {
        let marker = n.ordered ? `${start + i}. ` : this.bullet;
        if (item.checked === true) marker = `${n.ordered ? marker : ''}☑ `;
        else if (item.checked === false) marker = `${n.ordered ? marker : ''}☐ `;
        const pad = ' '.repeat(this.itemIndent(marker.length));
        const parts = item.children.map((c) => {
          const out = this.block(c);
          return c.type === 'code' ? out : out.split('\n').join(`\n${pad}`);
        });
        const body = parts.filter((p) => p !== '').join(item.spread ? `\n\n${pad}` : `\n${pad}`);
        // A code block first in an item still starts on its own line.
        return item.children[0]?.type === 'code' ? `${marker.trimEnd()}\n${body}` : marker + body;
      })
      .join(n.spread ? '\n\n' : '\n')
      .replace(/[ \t]+$/gm, '');
  }

  /** A grid when it fits a phone; otherwise one record per line: the first cell, then `column: value`. */
  private table(t: Table): string {
    const cells = tableCells(t);
    const grid = tableGrid(cells);
    if (gridWidth(grid) <= this.gridColumns || t.children.length < 2) return this.grid(grid);
    const header = t.children[0]!.children.map((c) => this.inline(c.children, false));
    return t.children
      .slice(1)
      .map((row, r) => {
        // The label is bold as a whole: bold inside it would nest.
        const label = cells[r + 1]?.[0] ? this.within('strong', row.children[0]?.children ?? []) : '';
        const fields = row.children
          .slice(1)
          .map((c, i) => ({
            key: cells[0]?.[i + 1] ? (header[i + 1] ?? '') : '',
            value: cells[r + 1]?.[i + 1] ? this.inline(c.children, false) : '',
          }))
          .filter((f) => f.value !== '')
          .map((f) => (f.key ? `${f.key}: ${f.value}` : f.value));
        const rest = fields.join(' · ');
        return `${this.bullet}${label ? this.strong(label) : ''}${label && rest ? ' — ' : ''}${rest}`;
      })
      .join('\n');
  }

  /** A run of inline content; `lineStart` when it begins an output line (a paragraph does). */
  protected inline(nodes: readonly PhrasingContent[], lineStart = true): string {
    let out = '';
    for (const n of nodes) out += this.phrase(n, out === '' ? lineStart : out.endsWith('\n'));
    return out;
  }

  /** Inline content inside a mark of this kind: marks of the same kind nested in it add nothing. */
  protected within(kind: 'strong' | 'emphasis' | 'delete', nodes: readonly PhrasingContent[]): string {
    if (this.open.has(kind)) return this.inline(nodes, false);
    this.open.add(kind);
    try {
      return this.inline(nodes, false);
    } finally {
      this.open.delete(kind);
    }
  }

  private marked(kind: 'strong' | 'emphasis' | 'delete', nodes: readonly PhrasingContent[]): string {
    const nested = this.open.has(kind);
    const inner = this.within(kind, nodes);
    if (nested) return inner;
    return kind === 'strong' ? this.strong(inner) : kind === 'emphasis' ? this.emphasis(inner) : this.strike(inner);
  }

  private phrase(n: PhrasingContent, lineStart: boolean): string {
    switch (n.type) {
      case 'text':
        return this.text(n.value, lineStart);
      case 'strong':
      case 'emphasis':
      case 'delete':
        return this.marked(n.type, n.children);
      case 'inlineCode':
        return this.inlineCode(n.value.replace(/\n/g, ' '));
      case 'break':
        return '\n';
      case 'link':
        return this.link(n.url, this.inline(n.children, lineStart), literalText(n));
      case 'linkReference': {
        const url = this.definitions.get(n.identifier);
        const label = this.inline(n.children, lineStart);
        return url ? this.link(url, label, literalText(n)) : label;
      }
      case 'image':
        return this.image(n.url, n.alt ?? n.title ?? '');
      case 'imageReference': {
        const url = this.definitions.get(n.identifier);
        return url ? this.image(url, n.alt ?? '') : this.text(n.alt ?? '', lineStart);
      }
      case 'html':
        return this.text(n.value, lineStart);
      case 'footnoteReference':
        return this.text(`[^${n.identifier}]`, lineStart);
      default:
        return '';
    }
  }
}

/**
 * Wraps each line of `inner` in a pair of marks, so that no mark spans a line break; whitespace at
 * either end of a line stays outside the marks (markers touching a space are not markers).
 */
export function markEachLine(inner: string, open: string, close = open): string {
  return inner
    .split('\n')
    .map((line) => {
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(line)!;
      return m[2] ? `${m[1]}${open}${m[2]}${close}${m[3]}` : line;
    })
    .join('\n');
}

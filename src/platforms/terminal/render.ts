import type { Message } from '../../chat/reply.js';
import { ChatWriter } from '../../text/chat-writer.js';
import { displayWidth } from '../../text/markdown-tree.js';

/** A numbered choice printed under a message: typing its number clicks it. */
export type TerminalChoice = { kind: 'button'; id: string; label: string } | { kind: 'select'; id: string; value: string; label: string };

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  italic(s: string): string;
  code(s: string): string;
}

export const plainStyle: Style = { bold: (s) => s, dim: (s) => s, italic: (s) => s, code: (s) => s };

export const ansiStyle: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  italic: (s) => `\x1b[3m${s}\x1b[23m`,
  code: (s) => `\x1b[36m${s}\x1b[39m`,
};

const ANSI = /\x1b\[[0-9;]*m/g;

/** Columns a line takes on screen, style codes aside. */
function visibleWidth(s: string): number {
  return displayWidth(s.replace(ANSI, ''));
}

/** Code lines and their labels are framed like this; the frame is never re-wrapped. */
const CODE_FRAME = /^ {2}[│┌]/;

class TerminalWriter extends ChatWriter {
  protected readonly bullet = '• ';
  protected override readonly gridColumns: number;

  constructor(
    private readonly style: Style,
    width: number | undefined,
  ) {
    super();
    // Code frames take four columns; without a known width, a grid as wide as a usual terminal.
    this.gridColumns = (width ?? 100) - 4;
  }

  protected text(value: string): string {
    return value;
  }

  protected strong(inner: string): string {
    return eachLine(inner, this.style.bold);
  }

  protected emphasis(inner: string): string {
    return eachLine(inner, this.style.italic);
  }

  protected strike(inner: string): string {
    return inner;
  }

  protected inlineCode(value: string): string {
    return this.style.code(value);
  }

  protected link(url: string, label: string, plainLabel: string): string {
    return !plainLabel.trim() || plainLabel === url ? url : `${label} <${url}>`;
  }

  protected image(url: string, alt: string): string {
    return `[image: ${alt || 'image'}] <${url}>`;
  }

  protected heading(_depth: number, inner: string): string {
    return eachLine(inner, this.style.bold);
  }

  protected codeBlock(code: string, language: string): string {
    const label = language === 'output' ? 'Output' : language;
    const lines = code.replace(/\n+$/, '').split('\n');
    return [...(label ? [this.style.dim(`  ┌ ${label}`)] : []), ...lines.map((l) => `  │ ${this.style.code(l)}`)].join('\n');
  }

  protected quote(body: string): string {
    return body
      .split('\n')
      .map((l) => `${this.style.dim('│')} ${l}`)
      .join('\n');
  }

  protected rule(): string {
    return this.style.dim('─'.repeat(40));
  }
}

function eachLine(s: string, f: (line: string) => string): string {
  return s
    .split('\n')
    .map((l) => (l ? f(l) : l))
    .join('\n');
}

/**
 * Word-wraps one line to `width` columns. Continuation lines hang under the text, after any
 * indentation, list marker or quote bar the line starts with (the bars are repeated).
 */
function wrapLine(line: string, width: number): string[] {
  if (visibleWidth(line) <= width || CODE_FRAME.test(line)) return [line];
  const plain = line.replace(ANSI, '');
  const lead = /^(?:\s|│ |[•☑☐] |\d+\. )*/.exec(plain)![0];
  const hang = lead.replace(/[^│]/g, ' ');
  if (visibleWidth(hang) >= width / 2) return [line];
  const out: string[] = [];
  let current = '';
  for (const word of line.split(/(?<= )/)) {
    if (current && visibleWidth(current + word.trimEnd()) > width) {
      out.push(current.trimEnd());
      current = hang + word;
    } else current += word;
  }
  if (current.trim()) out.push(current.trimEnd());
  return out;
}

/**
 * Markdown to terminal text: emphasis styled, links spelled out, code blocks framed, tables as
 * grids. With a `width`, prose is word-wrapped to it (paragraphs arrive as single lines).
 */
export function renderMarkdown(md: string, style: Style, width?: number): string {
  const out = new TerminalWriter(style, width).write(md);
  if (!width) return out;
  return out
    .split('\n')
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}

/**
 * Renders a message for the terminal and lists its buttons and select options as numbered
 * choices, numbered from `firstNumber`.
 */
export function renderMessage(m: Message, style: Style, firstNumber = 1, width?: number): { text: string; choices: TerminalChoice[] } {
  const lines: string[] = [];
  const choices: TerminalChoice[] = [];
  const toWidth = (line: string) => (width ? wrapLine(line, width) : [line]);
  if (m.title) lines.push(...toWidth(style.bold(`── ${m.title} ──`)));
  m.blocks.forEach((b, i) => {
    // A blank line between blocks of content; buttons and small print stay with what they follow.
    if (i > 0 && b.kind !== 'buttons' && b.kind !== 'note' && b.kind !== 'select') lines.push('');
    switch (b.kind) {
      case 'text':
        lines.push(renderMarkdown(b.markdown, style, width));
        break;
      case 'note':
        lines.push(style.dim(renderMarkdown(b.markdown, plainStyle, width)));
        break;
      case 'code':
        if (b.label) lines.push(style.dim(`  ┌ ${b.label}`));
        for (const l of b.code.split('\n')) lines.push(`  │ ${style.code(l)}`);
        break;
      case 'divider':
        lines.push(style.dim('─'.repeat(40)));
        break;
      case 'image':
        lines.push(`[image: ${b.alt}] ${b.url}`);
        break;
      case 'buttons': {
        const row = b.buttons
          .filter((x) => !x.disabled)
          .map((x) => {
            choices.push({ kind: 'button', id: x.id, label: x.label });
            return `[${firstNumber + choices.length - 1}] ${x.label}`;
          });
        // A row too wide for the terminal breaks between choices, never inside one.
        const packed: string[] = [];
        for (const choice of row) {
          const last = packed.length - 1;
          if (last >= 0 && (!width || visibleWidth(`${packed[last]}   ${choice}`) <= width)) packed[last] = `${packed[last]}   ${choice}`;
          else packed.push(choice);
        }
        lines.push(...packed.map((l) => style.bold(l)));
        break;
      }
      case 'select': {
        lines.push(style.dim(`${b.placeholder} (type a number)`));
        for (const o of b.options) {
          choices.push({ kind: 'select', id: b.id, value: o.value, label: o.label });
          lines.push(...toWidth(`  [${firstNumber + choices.length - 1}] ${o.label}${o.description ? style.dim(` — ${o.description}`) : ''}`));
        }
        break;
      }
    }
  });
  return { text: lines.join('\n'), choices };
}

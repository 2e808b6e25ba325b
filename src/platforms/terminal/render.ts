import { FenceTracker, fenceLanguage } from '../../text/markdown.js';
import type { Message } from '../../chat/reply.js';

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

/** Markdown to terminal text: emphasis styled, links spelled out, code blocks framed. */
export function renderMarkdown(md: string, style: Style): string {
  const out: string[] = [];
  const fences = new FenceTracker();
  for (const line of md.split('\n')) {
    const kind = fences.feed(line);
    if (kind === 'open') {
      const language = fenceLanguage(line);
      if (language) out.push(style.dim(`  ┌ ${language}`));
      continue;
    }
    if (kind === 'close') continue;
    if (kind === 'code') {
      out.push(`  │ ${style.code(line)}`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push(style.bold(heading[2]!));
      continue;
    }
    out.push(
      line
        .replace(/\*\*([^*]+)\*\*/g, (_, s: string) => style.bold(s))
        .replace(/(^|[^*\w])\*([^*\n]+)\*(?=[^*\w]|$)/g, (_, pre: string, s: string) => pre + style.italic(s))
        .replace(/`([^`]+)`/g, (_, s: string) => style.code(s))
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, t: string, u: string) => `${t} <${u}>`),
    );
  }
  return out.join('\n');
}

/**
 * Renders a message for the terminal and lists its buttons and select options as numbered
 * choices, numbered from `firstNumber`.
 */
export function renderMessage(m: Message, style: Style, firstNumber = 1): { text: string; choices: TerminalChoice[] } {
  const lines: string[] = [];
  const choices: TerminalChoice[] = [];
  if (m.title) lines.push(style.bold(`── ${m.title} ──`));
  m.blocks.forEach((b, i) => {
    // A blank line between blocks of content; buttons and small print stay with what they follow.
    if (i > 0 && b.kind !== 'buttons' && b.kind !== 'note' && b.kind !== 'select') lines.push('');
    switch (b.kind) {
      case 'text':
        lines.push(renderMarkdown(b.markdown, style));
        break;
      case 'note':
        lines.push(style.dim(renderMarkdown(b.markdown, plainStyle)));
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
        lines.push(style.bold(row.join('   ')));
        break;
      }
      case 'select': {
        lines.push(style.dim(`${b.placeholder} (type a number)`));
        for (const o of b.options) {
          choices.push({ kind: 'select', id: b.id, value: o.value, label: o.label });
          lines.push(`  [${firstNumber + choices.length - 1}] ${o.label}${o.description ? style.dim(` — ${o.description}`) : ''}`);
        }
        break;
      }
    }
  });
  return { text: lines.join('\n'), choices };
}

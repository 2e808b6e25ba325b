import { FenceTracker } from '../text/markdown.js';
import type { ContentProblem } from './problems.js';
import type { RunnableExample } from './types.js';

export interface ParsedMarkdown {
  frontMatter: string;
  frontMatterLine: number;
  body: string;
  bodyLine: number;
}

export function splitFrontMatter(source: string): ParsedMarkdown | undefined {
  const normalized = source.replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) return undefined;
  const end = normalized.indexOf('\n---', 4);
  if (end < 0) return undefined;
  const afterClose = normalized.indexOf('\n', end + 4);
  const frontMatter = normalized.slice(4, end + 1);
  const body = afterClose < 0 ? '' : normalized.slice(afterClose + 1);
  const bodyLine = normalized.slice(0, afterClose + 1).split('\n').length;
  return { frontMatter, frontMatterLine: 1, body, bodyLine };
}

/**
 * Finds the `python run` examples of a lesson body and the `output` blocks that follow them, and
 * rewrites the `python run` info strings to plain `python` for display.
 */
export function extractExamples(
  body: string,
  bodyLine: number,
  file: string,
  problems: ContentProblem[],
): { body: string; examples: RunnableExample[] } {
  const lines = body.split('\n');
  const blocks: { info: string; code: string; line: number; endIndex: number; startIndex: number }[] = [];
  const fences = new FenceTracker();
  let open: { info: string; start: number; content: string[] } | undefined;
  for (const [i, line] of lines.entries()) {
    const kind = fences.feed(line);
    if (kind === 'open')
      open = {
        info: line
          .trim()
          .replace(/^(`{3,}|~{3,})/, '')
          .trim(),
        start: i,
        content: [],
      };
    else if (kind === 'code') open?.content.push(line);
    else if (kind === 'close' && open) {
      blocks.push({ info: open.info, code: open.content.join('\n'), line: bodyLine + open.start, startIndex: open.start, endIndex: i });
      open = undefined;
    }
  }
  if (open) problems.push({ file, line: bodyLine + open.start, field: 'body', message: `code block opened with ${fences.closer} is never closed` });
  const examples: RunnableExample[] = [];
  blocks.forEach((b, n) => {
    if (!/^python\s+run$/.test(b.info)) return;
    const next = blocks[n + 1];
    const between = next
      ? lines
          .slice(b.endIndex + 1, next.startIndex)
          .join('')
          .trim()
      : 'x';
    if (next?.info !== 'output' || between !== '') {
      problems.push({
        file,
        line: b.line,
        field: 'body',
        message: 'a `python run` example must be followed by an ```output block holding what it prints',
      });
      return;
    }
    examples.push({ code: b.code, output: next.code, line: b.line });
  });
  const display = lines.map((l) => l.replace(/^(\s*(?:`{3,}|~{3,})\s*)python\s+run\s*$/, '$1python')).join('\n');
  return { body: display, examples };
}

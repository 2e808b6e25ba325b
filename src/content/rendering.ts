import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { displayWidth, gridWidth, parseMarkdown, PHONE_COLUMNS, safeLinkUrl, tableCells, tableGrid } from '../text/markdown-tree.js';
import { splitFrontMatter } from './lesson-file.js';
import type { ContentProblem } from './problems.js';
import { YamlSource } from './yaml-source.js';

/**
 * Markdown that is valid but cannot render well on Discord, Slack or in the terminal, found in
 * lessons, challenge statements and the text of questions and cards. These are warnings, not
 * problems: `content:check` prints them (file, line, what to do) and still passes.
 */
export type RenderingWarning = ContentProblem;

/** The longest run without a space a phone shows in a line (a code span, a URL) before it scrolls. */
const LONGEST_WORD = PHONE_COLUMNS;

/** The rendering warnings of one piece of Markdown; `at` turns a line of it into a place in its file. */
export function markdownWarnings(markdown: string, at: (line: number) => { file: string; line: number }, field = ''): RenderingWarning[] {
  const out: RenderingWarning[] = [];
  const warn = (n: Nodes, message: string) => {
    const w = { ...at(n.position?.start.line ?? 1), field, message };
    // Once per line: an opening and a closing HTML tag are one problem.
    if (!out.some((o) => o.line === w.line && o.message === w.message)) out.push(w);
  };
  const visit = (n: Nodes, inside: readonly string[]) => {
    switch (n.type) {
      case 'html':
        if (n.value.trim()) warn(n, 'raw HTML is shown as literal text on Discord, Slack and in the terminal: write it in Markdown');
        break;
      case 'heading':
        if (n.depth > 3) warn(n, `a level-${n.depth} heading: Discord shows headings down to ### only: use ## or ###, or a **bold** line`);
        break;
      case 'footnoteReference':
        warn(n, 'footnotes are not supported on Discord or Slack: put the note in the sentence or in parentheses');
        break;
      case 'blockquote':
        if (inside.includes('blockquote')) warn(n, 'a quote inside a quote: Discord cannot nest quotes: use one level');
        break;
      case 'code':
        if (inside.includes('listItem')) warn(n, 'a code block inside a list item cannot be indented on Discord or Slack: put it after the list');
        break;
      case 'image':
      case 'imageReference':
        warn(n, 'an image is shown as a link, not a picture, on every platform: link to it in a sentence instead');
        break;
      case 'link':
        if (!safeLinkUrl(n.url))
          warn(n, `the link to "${n.url}" is not a web or mail address, so Discord and Slack show only its text: link to an https:// page`);
        break;
      case 'table': {
        if (inside.includes('listItem') || inside.includes('blockquote')) {
          warn(n, 'a table inside a list or a quote cannot be indented on Discord or Slack: move it out, after a sentence that introduces it');
        }
        const cells = tableCells(n);
        if (gridWidth(tableGrid(cells)) > PHONE_COLUMNS) {
          const long = cells
            .flat()
            .flatMap((c) => c.split(/\s+/))
            .find((w) => displayWidth(w) > LONGEST_WORD);
          if (long) {
            warn(
              n,
              `too wide for a phone even as one record per line: "${long.slice(0, 30)}…" has ${displayWidth(long)} characters without a space (at most ${LONGEST_WORD}): shorten that cell`,
            );
          }
        }
        break;
      }
    }
    if ('children' in n) for (const c of n.children) visit(c, [...inside, n.type]);
  };
  visit(parseMarkdown(markdown), []);
  return out;
}

function markdownFiles(dir: string, depth: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) return depth > 0 ? markdownFiles(p, depth - 1) : [];
      return f.endsWith('.md') ? [p] : [];
    });
}

/** The Markdown text fields of a quiz or flashcard file, with their paths (`questions[3].why`). */
function yamlTexts(
  doc: Node | null | undefined,
  fields: ReadonlySet<string>,
  prefix: (string | number)[] = [],
): { path: (string | number)[]; value: string }[] {
  if (isMap(doc)) {
    return doc.items.flatMap((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as Node | null;
      if (fields.has(key) && isScalar(value) && typeof value.value === 'string') return [{ path: [...prefix, key], value: value.value }];
      return yamlTexts(value, fields, [...prefix, key]);
    });
  }
  if (isSeq(doc)) return doc.items.flatMap((item, i) => yamlTexts(item as Node, fields, [...prefix, i]));
  return [];
}

const fieldName = (p: (string | number)[]) => p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');

/** Every rendering warning in a content folder, in file order. Files that do not parse are left to the content check. */
export function renderingWarnings(dir: string): RenderingWarning[] {
  const root = path.resolve(dir);
  const name = (file: string) => path.relative(path.dirname(root), file) || file;
  const out: RenderingWarning[] = [];
  for (const file of markdownFiles(path.join(root, 'lessons'), 1)) {
    const parsed = splitFrontMatter(readFileSync(file, 'utf8'));
    if (!parsed) continue;
    out.push(...markdownWarnings(parsed.body, (line) => ({ file: name(file), line: parsed.bodyLine + line - 1 })));
  }
  for (const file of markdownFiles(path.join(root, 'challenges'), 1).filter((f) => path.basename(f) === 'statement.md')) {
    out.push(...markdownWarnings(readFileSync(file, 'utf8'), (line) => ({ file: name(file), line })));
  }
  const texts = new Set(['question', 'text', 'why', 'front', 'back']);
  for (const kind of ['quizzes', 'flashcards']) {
    const folder = path.join(root, kind);
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder)
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const src = new YamlSource(name(path.join(folder, f)), readFileSync(path.join(folder, f), 'utf8'));
      if (src.doc.errors.length) continue;
      for (const t of yamlTexts(src.doc.contents, texts)) {
        out.push(...markdownWarnings(t.value, () => ({ file: src.file, line: src.lineOf(t.path) }), fieldName(t.path)));
      }
    }
  }
  return out;
}

export function formatWarning(w: RenderingWarning): string {
  return `${w.file}:${w.line}: warning: ${w.field ? `${w.field}: ` : ''}${w.message}`;
}

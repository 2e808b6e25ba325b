import { describe, expect, it } from 'vitest';
import type { Nodes } from 'mdast';
import { loadContent } from '../../src/content/loader.js';
import { parseMarkdown } from '../../src/text/markdown-tree.js';
import { unwrapParagraphs } from '../../src/text/paragraphs.js';
import { COURSE_CONTENT } from './course.js';

/** The tree without positions, soft line breaks read as the spaces Markdown says they are. */
function meaning(markdown: string): string {
  const strip = (n: Nodes): unknown => {
    const { position: _where, ...rest } = n as Nodes & { position?: unknown };
    const out: Record<string, unknown> = { ...rest };
    if (n.type === 'text') out.value = n.value.replace(/[ \t]*\n[ \t]*/g, ' ');
    if (n.type === 'inlineCode') out.value = n.value.replace(/\n/g, ' ');
    if ('children' in n) out.children = n.children.map((c) => strip(c));
    return out;
  };
  return JSON.stringify(strip(parseMarkdown(markdown)));
}

describe('unwrapping hard-wrapped documents into chat Markdown', () => {
  it('turns soft line breaks into spaces; hard breaks, lists, quotes, code and tables keep their lines', () => {
    const doc = [
      'One line',
      'and the next,  ',
      'after a hard break.\\',
      'And after a backslash break.',
      '',
      '- an item',
      '  continued',
      '  - nested',
      '    too',
      '',
      '> a quote',
      '> continued',
      '>',
      '> second paragraph',
      '',
      '```',
      'code keeps',
      'its lines',
      '```',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      'A setext',
      'heading',
      '=======',
    ].join('\n');
    expect(unwrapParagraphs(doc)).toBe(
      [
        'One line and the next,  ',
        'after a hard break.\\',
        'And after a backslash break.',
        '',
        '- an item continued',
        '  - nested too',
        '',
        '> a quote continued',
        '>',
        '> second paragraph',
        '',
        '```',
        'code keeps',
        'its lines',
        '```',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        'A setext heading',
        '=======',
      ].join('\n'),
    );
  });

  it('joins emphasis, links and code spans that wrapped, so no mark is left open at a line end', () => {
    expect(unwrapParagraphs('let one be *without\ntouching the code* and `a\nb` and [a\nlink](https://x.example)')).toBe(
      'let one be *without touching the code* and `a b` and [a link](https://x.example)',
    );
  });

  it('changes nothing in the whole course but soft line breaks, and unwrapping twice changes nothing more', { timeout: 240_000 }, () => {
    const content = loadContent(COURSE_CONTENT);
    const documents = [
      ...content.lessons.map((l) => ({ where: l.file, md: l.body })),
      ...[...content.challengeById.values()].map((c) => ({ where: `challenge ${c.id}`, md: c.statement })),
      ...[...content.questionById.values()].flatMap((q) =>
        [q.question, ...q.options.flatMap((o) => [o.text, o.why])].map((md) => ({ where: q.id, md })),
      ),
      ...[...content.cardById.values()].flatMap((c) => [c.front, c.back].map((md) => ({ where: c.id, md }))),
    ];
    const changed: string[] = [];
    let joined = 0;
    // A text of one line has nothing to unwrap (most questions and cards).
    for (const { where, md } of documents.filter((d) => d.md.trim().includes('\n'))) {
      const once = unwrapParagraphs(md);
      if (meaning(once) !== meaning(md)) changed.push(`${where}: the meaning changed`);
      if (unwrapParagraphs(once) !== once) changed.push(`${where}: not stable`);
      joined += md.split('\n').length - once.split('\n').length;
    }
    expect(changed).toEqual([]);
    // The course is hard-wrapped: thousands of lines join their paragraphs.
    expect(joined).toBeGreaterThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { buttons, text } from '../../src/chat/reply.js';
import { userText } from '../../src/chat/user-text.js';
import { ansiStyle, plainStyle, renderMarkdown, renderMessage } from '../../src/platforms/terminal/render.js';
import { unwrapParagraphs } from '../../src/text/paragraphs.js';

const ANSI = /\x1b\[[0-9;]*m/g;

describe('Markdown in the terminal', () => {
  it('shows structure without Markdown: headings, lists, quotes, links, framed code with its language', () => {
    const md =
      '## Levels\n\n- one `code`\n  - nested\n\n> quoted **bold**\n\nSee [the docs](https://docs.python.org/3/).\n\n```python run\nprint(1)\n```\n\n```output\n1\n```';
    expect(renderMarkdown(md, plainStyle)).toBe(
      [
        'Levels',
        '',
        '• one code',
        '  • nested',
        '',
        '│ quoted bold',
        '',
        'See the docs <https://docs.python.org/3/>.',
        '',
        '  ┌ python',
        '  │ print(1)',
        '',
        '  ┌ Output',
        '  │ 1',
      ].join('\n'),
    );
  });

  it('tables are aligned grids, or records when wider than the terminal', () => {
    const md = '| level | value | use it for |\n| --- | --- | --- |\n| `DEBUG` | 10 | details useful while diagnosing |';
    expect(renderMarkdown(md, plainStyle)).toBe(
      [
        '  │ level │ value │ use it for',
        '  │ ──────┼───────┼────────────────────────────────',
        '  │ DEBUG │ 10    │ details useful while diagnosing',
      ].join('\n'),
    );
    expect(renderMarkdown(md, plainStyle, 40)).toBe('• DEBUG — value: 10 · use it for:\n  details useful while diagnosing');
  });

  it('backslash escapes and escaped names show as typed', () => {
    expect(renderMarkdown('\\*not italic\\*, \\_x\\_, \\[y\\](z), \\`c\\`, \\\\', plainStyle)).toBe('*not italic*, _x_, [y](z), `c`, \\');
    const name = '*ada* [x](y) `rm` # <@1> &amp; J.R.R. 100% {ok}';
    expect(renderMarkdown(`Hi ${userText(name, 500)}`, plainStyle)).toBe(`Hi ${name}`);
  });

  it('word-wraps paragraphs to the width, hanging list items and quotes under their text', () => {
    const md = unwrapParagraphs(
      'A record is emitted only if its level passes the logger level\nand then each handler level.\n\n- a list item long enough to wrap\n  past the width\n\n> a quote long enough to wrap past\n> the width',
    );
    const out = renderMarkdown(md, ansiStyle, 30);
    expect(out.replace(ANSI, '')).toBe(
      [
        'A record is emitted only if',
        'its level passes the logger',
        'level and then each handler',
        'level.',
        '',
        '• a list item long enough to',
        '  wrap past the width',
        '',
        '│ a quote long enough to wrap',
        '│ past the width',
      ].join('\n'),
    );
    // Without a width (a script reading the output) nothing is wrapped.
    expect(renderMarkdown(md, plainStyle).split('\n')[0]).toBe(
      'A record is emitted only if its level passes the logger level and then each handler level.',
    );
  });

  it('a narrow terminal gets the title and the row of choices wrapped too, never inside a choice', () => {
    const { text: out } = renderMessage(
      {
        title: 'Async iterators, async generators and async context managers',
        blocks: [text('x'), buttons(...['Again · 1m', 'Hard · 10m', 'Good · 1d', 'Easy · 4d'].map((label, i) => ({ id: `r:${i}`, label })))],
      },
      plainStyle,
      1,
      40,
    );
    expect(out.split('\n')).toEqual([
      '── Async iterators, async generators and',
      'async context managers ──',
      'x',
      '[1] Again · 1m   [2] Hard · 10m',
      '[3] Good · 1d   [4] Easy · 4d',
    ]);
  });
});

import { describe, expect, test } from 'vitest';
import { text } from '../../src/chat/reply.js';
import { userText } from '../../src/chat/user-text.js';
import { ComponentIds } from '../../src/platforms/discord/component-ids.js';
import { markdownToDiscord } from '../../src/platforms/discord/markdown.js';
import { renderMessage } from '../../src/platforms/discord/render.js';
import { unwrapParagraphs } from '../../src/text/paragraphs.js';
import { markerProblems } from '../text/rendered-checks.js';

/** What Discord shows of escaped text: the backslash before a punctuation character goes. */
const unescaped = (s: string) => s.replace(/\\([^\p{L}\p{N}\s])/gu, '$1');

describe("Markdown to Discord's Markdown", () => {
  test('a hard-wrapped lesson paragraph arrives as one line; lines a command writes stay lines', () => {
    const lesson =
      'A record is emitted only if its level passes\nthe logger level. Handler levels let one be\nnoisier than another.\n\n- a list item that\n  wraps\n- b';
    expect(markdownToDiscord(unwrapParagraphs(lesson))).toBe(
      'A record is emitted only if its level passes the logger level. Handler levels let one be noisier than another.\n\n- a list item that wraps\n- b',
    );
    expect(markdownToDiscord('**Answer**\nNone.')).toBe('**Answer**\nNone.');
  });

  test('no bold, italics or strike spans a line break: each line closes and reopens its marks', () => {
    expect(markdownToDiscord('**across a\\\nhard break** and *it\nalics* and ~~gone\nnow~~')).toBe(
      '**across a**\n**hard break** and *it*\n*alics* and ~~gone~~\n~~now~~',
    );
  });

  test('headings get a blank line before them and stop at ###; deeper ones are bold lines', () => {
    expect(markdownToDiscord('Some text\n## Levels\nMore text\n#### Detail')).toBe('Some text\n\n## Levels\n\nMore text\n\n**Detail**');
  });

  test('a table that fits a phone is an aligned grid; a wider one is one record per line', () => {
    expect(markdownToDiscord('| op | cost |\n|---|---|\n| `in` on a list | O(n) |')).toBe(
      '```\nop           │ cost\n─────────────┼─────\nin on a list │ O(n)\n```',
    );
    const wide = [
      '| level | value | use it for |',
      '| --- | --- | --- |',
      '| `DEBUG` | 10 | details useful while diagnosing |',
      '| `WARNING` | 30 | something *unexpected* that the program handled |',
    ].join('\n');
    expect(markdownToDiscord(wide)).toBe(
      [
        '- **`DEBUG`** — value: 10 · use it for: details useful while diagnosing',
        '- **`WARNING`** — value: 30 · use it for: something *unexpected* that the program handled',
      ].join('\n'),
    );
    // An empty corner cell: the record starts with its label, and empty cells are left out.
    expect(
      markdownToDiscord(
        '| | Protocol | ABC |\n|---|---|---|\n| works for classes you do not own | yes | only through `register()` |\n| shared code | | the usual reason |',
      ),
    ).toBe('- **works for classes you do not own** — Protocol: yes · ABC: only through `register()`\n- **shared code** — ABC: the usual reason');
  });

  test('lists nest, ordered lists keep their numbers, tasks show their boxes, quotes quote every line', () => {
    expect(markdownToDiscord('- a\n  - b\n    1. c\n\n3. three\n4. four\n\n- [ ] todo\n- [x] done')).toBe(
      '- a\n  - b\n    1. c\n\n3. three\n4. four\n\n☐ todo\n☑ done',
    );
    expect(markdownToDiscord('> a quote **in bold\nover two lines**\n>\n> and a second paragraph')).toBe(
      '> a quote **in bold**\n> **over two lines**\n> \n> and a second paragraph',
    );
  });

  test('code blocks keep their language; runnable examples show as Python and their output is labelled', () => {
    expect(markdownToDiscord('```python run\nprint("``` hi")\n```\n\n```output\n``` hi\n```')).toBe(
      '```python\nprint("`\u200b`\u200b` hi")\n```\n\n**Output**\n```\n`\u200b`\u200b` hi\n```',
    );
  });

  test('links are masked links to the web only; images become links; bare links stay as written', () => {
    expect(markdownToDiscord('[the docs](https://docs.python.org/3/library/asyncio.html)')).toBe(
      '[the docs](https://docs.python.org/3/library/asyncio.html)',
    );
    expect(markdownToDiscord('see https://example.com/a_(b) and www.example.com')).toBe(
      'see https://example.com/a_%28b%29 and http://www.example.com/',
    );
    expect(markdownToDiscord('[click](javascript:alert(1)) [notes](../x.md) [mail me](mailto:a@b.example)')).toBe(
      'click notes mail me (a@b.example)',
    );
    expect(markdownToDiscord('![a chart](https://example.com/c.png)')).toBe('[🖼 a chart](https://example.com/c.png)');
    // Discord refuses to hide a link behind text that looks like another link.
    expect(markdownToDiscord('[https://good.example](https://evil.example/)')).toBe('https://evil.example/');
  });

  test('backslash escapes show the character itself, never formatting', () => {
    const md = '\\*not italic\\*, \\_not\\_, \\[not a link\\](x), \\`not code\\`, a \\\\ backslash';
    const out = markdownToDiscord(md);
    expect(unescaped(out)).toBe('*not italic*, _not_, [not a link](x), `not code`, a \\ backslash');
    expect(markerProblems(out, 'discord')).toEqual([]);
    expect(out).not.toMatch(/(^|[^\\])[*_`[]/);
  });

  test('a display name escaped into Markdown reads literally: no formatting, no mention, no heading or list', () => {
    const names = [
      '*ada* _the_ ~~great~~ **kwargs',
      '[click me](https://evil.example) `rm -rf` \\o/',
      '<@123> <#456> <t:0:R> <:emoji:1> @everyone',
      '||spoiler|| __underlined__',
      '# heading',
      '-# small print',
      '> quote',
      '1. first',
      '- item',
      'www.evil.example',
      'https&colon;//evil.example &lt;@1&gt;',
    ];
    for (const name of names) {
      for (const md of [userText(name, 500), `Welcome, ${userText(name, 500)}!`]) {
        const out = markdownToDiscord(md);
        // Every special character is escaped; nothing starts a block.
        expect(out.replace(/\\./g, '')).not.toMatch(/[*_~`|<>[\]]/);
        expect(out).not.toMatch(/^(?:[#>-]|\d+\.)/m);
        // No URL Discord would make clickable: a zero-width space breaks "://" and "www.".
        expect(unescaped(out)).not.toMatch(/https?:\/\/|www\.[a-z]/);
        const shown = unescaped(out).replace(/\u200B/g, '');
        expect(shown === name || shown === `Welcome, ${name}!`).toBe(true);
      }
    }
  });

  test('channel links commands write stay links (they notify nobody); user and role mentions do not', () => {
    expect(markdownToDiscord('Posting in <#1300000000000000003>, not to <@123456789012345678> or <@&123456789012345678>.')).toBe(
      'Posting in <#1300000000000000003>, not to \\<@123456789012345678\\> or \\<@&123456789012345678\\>.',
    );
  });

  test('rendered messages carry Discord Markdown: text and notes converted, code kept literal', () => {
    const [m] = renderMessage({ blocks: [text('Hard-wrapped\nline? No: a chat line.\n\n| a | b |\n|---|---|\n| 1 | 2 |')] }, new ComponentIds());
    expect(m!.embeds[0]!.description).toBe('Hard-wrapped\nline? No: a chat line.\n\n```\na │ b\n──┼──\n1 │ 2\n```');
  });
});

import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content/check.js';
import { formatWarning, renderingWarnings } from '../../src/content/rendering.js';
import { FIXTURE_CONTENT } from '../support/app.js';

const dirs: string[] = [];
/** A copy of the fixture content, named `content` as the real folder is. */
function contentCopy(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'studybot-render-')), 'content');
  dirs.push(path.dirname(dir));
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const LESSON = 'lessons/alpha/01-first.md';

describe('content:check warns about Markdown that will not render well on a platform', () => {
  it('names the file, the line and what to do, for each construct', () => {
    const dir = contentCopy();
    const file = path.join(dir, LESSON);
    const before = readFileSync(file, 'utf8').split('\n').length;
    appendFileSync(
      file,
      [
        '',
        'Some <b>bold</b> in HTML.',
        '',
        '#### A deep heading',
        '',
        'A claim with a footnote[^1].',
        '',
        '[^1]: The note.',
        '',
        '> a quote',
        '> > inside a quote',
        '',
        '- an item with code',
        '',
        '  ```python',
        '  print(1)',
        '  ```',
        '',
        '![a chart](https://example.com/chart.png) and [the next lesson](../beta/01-x.md)',
        '',
        '| call | what it returns |',
        '| --- | --- |',
        '| `functools.lru_cache(maxsize=None)(function_with_a_long_name)` | a cached function |',
        '',
        '- a list with a table',
        '',
        '  | a | b |',
        '  | --- | --- |',
        '  | 1 | 2 |',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'challenges/add-two/statement.md'), 'Write `add(a, b)`.\n\n<details>the answer</details>\n');
    const quiz = path.join(dir, 'quizzes/alpha.yaml');
    writeFileSync(
      quiz,
      readFileSync(quiz, 'utf8').replace('why: The sum is computed first, then printed.', 'why: The sum is computed first,<br>then printed.'),
    );

    const at = (offset: number) => before + offset;
    expect(renderingWarnings(dir).map(formatWarning)).toEqual([
      // Once for the line, though it opens and closes a tag.
      `content/${LESSON}:${at(1)}: warning: raw HTML is shown as literal text on Discord, Slack and in the terminal: write it in Markdown`,
      `content/${LESSON}:${at(3)}: warning: a level-4 heading: Discord shows headings down to ### only: use ## or ###, or a **bold** line`,
      `content/${LESSON}:${at(5)}: warning: footnotes are not supported on Discord or Slack: put the note in the sentence or in parentheses`,
      `content/${LESSON}:${at(10)}: warning: a quote inside a quote: Discord cannot nest quotes: use one level`,
      `content/${LESSON}:${at(14)}: warning: a code block inside a list item cannot be indented on Discord or Slack: put it after the list`,
      `content/${LESSON}:${at(18)}: warning: an image is shown as a link, not a picture, on every platform: link to it in a sentence instead`,
      `content/${LESSON}:${at(18)}: warning: the link to "../beta/01-x.md" is not a web or mail address, so Discord and Slack show only its text: link to an https:// page`,
      `content/${LESSON}:${at(20)}: warning: too wide for a phone even as one record per line: "functools.lru_cache(maxsize=No…" has 60 characters without a space (at most 40): shorten that cell`,
      `content/${LESSON}:${at(26)}: warning: a table inside a list or a quote cannot be indented on Discord or Slack: move it out, after a sentence that introduces it`,
      'content/challenges/add-two/statement.md:3: warning: raw HTML is shown as literal text on Discord, Slack and in the terminal: write it in Markdown',
      'content/quizzes/alpha.yaml:8: warning: questions[0].options[0].why: raw HTML is shown as literal text on Discord, Slack and in the terminal: write it in Markdown',
    ]);
  });

  it('prints the warnings after the summary and still passes; clean content prints none', () => {
    const clean: string[] = [];
    expect(runContentCheck(FIXTURE_CONTENT, (l) => clean.push(l))).toBe(0);
    expect(clean.join('\n')).not.toContain('warning');

    const dir = contentCopy();
    appendFileSync(path.join(dir, LESSON), '\nA <span>span</span>.\n');
    appendFileSync(path.join(dir, LESSON), '\n#### Too deep\n');
    const lines: string[] = [];
    expect(runContentCheck(dir, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^✓ content OK/);
    expect(lines.filter((l) => l.includes(': warning: '))).toHaveLength(2);
    expect(lines.at(-1)).toBe('⚠ 2 rendering warnings: Markdown that will not read well on Discord, Slack or in the terminal');
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lessonPages } from '../../commands/lesson.js';
import { COURSE_CONTENT } from '../text/course.js';
import { readingProblems } from '../text/rendered-checks.js';
import { blockTexts, on } from './driver.js';
import { ada, slackHarness, type SlackHarness } from './harness.js';
import type { Visible } from './recorder.js';

const TABLE_LESSONS = ['architecture-logging', 'data-transactions', 'data-redis-structures'];

let h: SlackHarness | undefined;

beforeAll(async () => {
  // One learner opens all the course's lessons in a few minutes: more than the default 30 commands a minute.
  h = await slackHarness({ env: { CONTENT_DIR: COURSE_CONTENT, COMMANDS_PER_MINUTE: '1000', CLICKS_PER_MINUTE: '10000' } });
}, 300_000);

afterAll(async () => {
  await h?.stop();
});

const hasNext = (v: Visible) => blockTexts(v.blocks).includes('[Next page ▸]');

/**
 * Every lesson of the real course, read the way a learner reads it on Slack: /study lesson show,
 * then "Next page" to the end, through Bolt's receiver and a recording Web API.
 */
describe('the course through Slack: lessons read as paragraphs, tables as grids or records', () => {
  async function read(id: string): Promise<string[][]> {
    const { driver, recorder } = h!;
    const sent = await driver.command(ada, `lesson show ${id}`, 'C0COURSE');
    let shown = await recorder.waitForVisible(`lesson ${id}`, on(sent.responseUrl));
    const pages = [blockTexts(shown.blocks)];
    while (hasNext(shown)) {
      const click = await driver.click(ada, shown, 'Next page ▸');
      shown = await recorder.waitForVisible(`the next page of ${id}`, on(click.responseUrl));
      expect(shown.replaceOriginal).toBe(true);
      pages.push(blockTexts(shown.blocks));
    }
    return pages;
  }

  const problemsOf = (id: string, pages: string[][]) =>
    pages.flatMap((texts, i) => texts.flatMap((t) => readingProblems(`${id} page ${i + 1}/${pages.length}`, t, 'slack')));

  test('the three lessons with tables: records instead of rows, every page whole', async () => {
    const problems: string[] = [];
    const text: Record<string, string> = {};
    for (const id of TABLE_LESSONS) {
      const pages = await read(id);
      expect(pages).toHaveLength(lessonPages(h!.app.services.content.lessonById.get(id)!).length);
      problems.push(...problemsOf(id, pages));
      text[id] = pages.flat().join('\n');
    }
    expect(problems).toEqual([]);
    const Z = '\u200B';
    expect(text['architecture-logging']).toContain(`• ${Z}*\`INFO\`*${Z} — value: 20 · use it for: normal events: started, order paid, job finished`);
    expect(text['architecture-logging']).toContain(`how much detail each part of the application reports`);
    expect(text['data-transactions']).toContain(`• ${Z}*Serializable*${Z} — Dirty read: no`);
    expect(text['data-redis-structures']).toContain(`• ${Z}*Stream*${Z} — Key commands: \`XADD\`, \`XREADGROUP\`, \`XACK\``);
  });

  test('every other lesson of the course too', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    let pages = 0;
    for (const lesson of h!.app.services.content.lessons) {
      if (TABLE_LESSONS.includes(lesson.id)) continue;
      const shown = await read(lesson.id);
      pages += shown.length;
      problems.push(...problemsOf(lesson.id, shown));
    }
    expect(problems).toEqual([]);
    expect(pages).toBeGreaterThan(h!.app.services.content.lessons.length * 2);
  });
});

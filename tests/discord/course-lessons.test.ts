import { describe, expect, test } from 'vitest';
import { lessonPages } from '../../commands/lesson.js';
import { COURSE_CONTENT } from '../text/course.js';
import { readingProblems } from '../text/rendered-checks.js';
import type { Json } from './fake-discord.js';
import { useDiscord } from './harness.js';

/** The lessons with tables that once arrived as raw `| a | b |` rows and ragged paragraphs. */
const TABLE_LESSONS = ['architecture-logging', 'data-transactions', 'data-redis-structures'];

/** The embed descriptions and the "Next page" button of a callback or edit body. */
function page(body: Json | undefined): { text: string; next: string | undefined } {
  const data = (body?.data as Json | undefined) ?? {};
  const text = ((data.embeds as Json[] | undefined) ?? []).map((e) => String(e.description ?? '')).join('\n\n');
  const buttons = ((data.components as Json[] | undefined) ?? []).flatMap((r) => (r.components as Json[]) ?? []);
  const next = buttons.find((b) => b.label === 'Next page ▸');
  return { text, next: next ? String(next.custom_id) : undefined };
}

/**
 * Every lesson of the real course, read the way a learner reads it: /lesson show, then "Next page"
 * to the end, through discord.js and a fake Discord. What arrives must have no table rows and no
 * sentence broken across lines.
 */
describe('the course through a fake Discord: lessons read as paragraphs, tables as grids or records', () => {
  // One learner opens every lesson and pages through it in a few minutes: more than a person's default limits.
  const get = useDiscord({ env: { CONTENT_DIR: COURSE_CONTENT, COMMANDS_PER_MINUTE: '1000', CLICKS_PER_MINUTE: '10000' } });

  async function read(id: string): Promise<string[]> {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'lesson', { path: ['show'], options: { id } });
    let shown = page((await fake.callback(sent)).body);
    const pages = [shown.text];
    const message = fake.original(sent);
    while (shown.next) {
      const click = fake.click(fake.users.ada, message, shown.next);
      const cb = await fake.callback(click);
      expect(cb.body?.type).toBe(7);
      shown = page(cb.body);
      pages.push(shown.text);
    }
    return pages;
  }

  test('the three lessons with tables: records instead of rows, every page whole', async () => {
    const problems: string[] = [];
    const text: Record<string, string> = {};
    for (const id of TABLE_LESSONS) {
      const pages = await read(id);
      const lesson = get().app.services.content.lessonById.get(id)!;
      expect(pages).toHaveLength(lessonPages(lesson).length);
      for (const [i, p] of pages.entries()) problems.push(...readingProblems(`${id} page ${i + 1}/${pages.length}`, p, 'discord'));
      text[id] = pages.join('\n\n');
    }
    expect(problems).toEqual([]);
    expect(text['architecture-logging']).toContain('- **`ERROR`** — value: 40 · use it for: an operation failed');
    expect(text['architecture-logging']).toContain('The logger level is the main dial; handler levels let one handler be noisier than another');
    expect(text['data-transactions']).toContain('- **Read Committed (default)** — Dirty read: no · Non-repeatable: possible');
    expect(text['data-redis-structures']).toContain(
      '- **Hash** — Key commands: `HSET`, `HGET`, `HGETALL`, `HINCRBY` · Typical uses: one object with fields',
    );
  });

  test('every other lesson of the course too', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    let pages = 0;
    for (const lesson of get().app.services.content.lessons) {
      if (TABLE_LESSONS.includes(lesson.id)) continue;
      const shown = await read(lesson.id);
      pages += shown.length;
      for (const [i, p] of shown.entries()) problems.push(...readingProblems(`${lesson.id} page ${i + 1}/${shown.length}`, p, 'discord'));
    }
    expect(problems).toEqual([]);
    expect(pages).toBeGreaterThan(get().app.services.content.lessons.length * 2);
  });
});

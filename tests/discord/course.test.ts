import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ComponentIds } from '../../src/platforms/discord/component-ids.js';
import { restMessage } from '../../src/platforms/discord/payload.js';
import { renderMessage, type DiscordMessage } from '../../src/platforms/discord/render.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { COURSE_CONTENT, courseMessages, helpMessages, type CourseMessage } from '../text/course.js';
import { readingProblems } from '../text/rendered-checks.js';
import { messageProblems } from './fake-refusals.js';

/** Loading and rendering 2,400 messages takes seconds, or minutes on a busy machine. */
const RENDER_TIMEOUT = 300_000;

/**
 * The whole course as Discord shows it: every page of every lesson, every question and every
 * answer to it, both sides of every card, every challenge and every help text, rendered by the
 * adapter's own code. Each problem names the lesson (question, card…) and page it is on.
 */
describe('the whole course on Discord', () => {
  let app: TestApp | undefined;
  let messages: CourseMessage[] = [];
  const rendered = new Map<string, DiscordMessage[]>();

  beforeAll(async () => {
    app = await createTestApp({ content: COURSE_CONTENT });
    messages = [...courseMessages(app.services.content), ...(await helpMessages(app, 'discord'))];
    for (const { where, message } of messages) rendered.set(where, renderMessage(message, new ComponentIds()));
  }, RENDER_TIMEOUT);
  afterAll(async () => {
    await app?.stop();
  });

  test('reads well everywhere: no table rows, no mid-sentence breaks, no stray markers, closed code blocks', () => {
    const problems: string[] = [];
    for (const [where, parts] of rendered) {
      parts.forEach((p, i) => {
        const at = parts.length > 1 ? `${where} (message ${i + 1} of ${parts.length})` : where;
        for (const e of p.embeds) problems.push(...readingProblems(at, e.description ?? '', 'discord'));
      });
    }
    expect(problems).toEqual([]);
  });

  test("fits Discord's limits: 4,096 characters per description, 6,000 and 10 embeds per message; a lesson page is one message", () => {
    const problems: string[] = [];
    for (const [where, parts] of rendered) {
      if (where.startsWith('lesson ') && parts.length !== 1) problems.push(`${where}: sent as ${parts.length} messages`);
      parts.forEach((p, i) => {
        problems.push(...messageProblems(restMessage(p).body as Record<string, unknown>).map((x) => `${where} (message ${i + 1}): ${x}`));
      });
    }
    expect(problems).toEqual([]);
    expect(rendered.size).toBe(messages.length);
  });

  test('tables arrive as grids or records, headings as headings, runnable examples with their language', () => {
    const page = (id: string) =>
      [...rendered]
        .filter(([w]) => w.startsWith(`lesson ${id} page`))
        .flatMap(([, parts]) => parts.flatMap((p) => p.embeds.map((e) => e.description ?? '')))
        .join('\n');
    const logging = page('architecture-logging');
    expect(logging).toContain('- **`WARNING`** — value: 30 · use it for: something unexpected that the program handled (the default threshold)');
    expect(logging).toMatch(/\n\n## Levels\n\n/);
    expect(logging).toContain('```python\nimport logging\n');
    expect(page('data-transactions')).toContain('- **Serializable** — Dirty read: no · Non-repeatable: no · Phantom: no · Serialization anomaly: no');
    expect(page('data-redis-structures')).toMatch(
      /- \*\*Sorted set\*\* — Key commands: `ZADD`, `ZINCRBY`, `ZREVRANGE`, `ZRANK` · Typical uses: leaderboards/,
    );
  });
});

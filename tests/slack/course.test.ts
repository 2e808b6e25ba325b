import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LIMITS, renderMessage } from '../../src/platforms/slack/blocks.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { COURSE_CONTENT, courseMessages, helpMessages, type CourseMessage } from '../text/course.js';
import { readingProblems } from '../text/rendered-checks.js';
import { blockTexts } from './driver.js';
import { type Block, blockProblems } from './recorder.js';

/** Loading and rendering 2,400 messages takes seconds, or minutes on a busy machine. */
const RENDER_TIMEOUT = 300_000;

/**
 * The whole course as Slack shows it, rendered by the adapter's own Block Kit code with commands
 * written as /study subcommands. Each problem names the lesson (question, card…) and page it is on.
 */
describe('the whole course on Slack', () => {
  let app: TestApp | undefined;
  let messages: CourseMessage[] = [];
  /** The blocks as Slack receives them (JSON). */
  const rendered = new Map<string, { blocks: Block[] }>();

  beforeAll(async () => {
    app = await createTestApp({ content: COURSE_CONTENT });
    messages = [...courseMessages(app.services.content), ...(await helpMessages(app, 'slack'))];
    const opts = { commandNames: app.router.commands.map((c) => c.name), commandPrefix: 'study' };
    for (const { where, message } of messages)
      rendered.set(where, { blocks: JSON.parse(JSON.stringify(renderMessage(message, opts).blocks)) as Block[] });
  }, RENDER_TIMEOUT);
  afterAll(async () => {
    await app?.stop();
  });

  test('reads well everywhere: no table rows, no mid-sentence breaks, no stray markers, closed code blocks', () => {
    const problems: string[] = [];
    for (const [where, m] of rendered) {
      for (const text of blockTexts(m.blocks)) problems.push(...readingProblems(where, text, 'slack'));
    }
    expect(problems).toEqual([]);
  });

  test("fits Slack's limits: 3,000 characters per text object, 50 blocks, nothing cut", () => {
    const problems: string[] = [];
    for (const [where, m] of rendered) {
      problems.push(...blockProblems(m.blocks, LIMITS.blocksPerMessage).map((x) => `${where}: ${x}`));
      if (JSON.stringify(m.blocks).includes('this message was too long for Slack')) problems.push(`${where}: cut short`);
    }
    expect(problems).toEqual([]);
    expect(rendered.size).toBe(messages.length);
  });

  test('tables arrive as records, headings as bold lines, commands as /study subcommands', () => {
    const page = (id: string) =>
      [...rendered]
        .filter(([w]) => w.startsWith(`lesson ${id} page`))
        .flatMap(([, m]) => blockTexts(m.blocks))
        .join('\n');
    const Z = '\u200B';
    const logging = page('architecture-logging');
    expect(logging).toContain(`• ${Z}*\`ERROR\`*${Z} — value: 40 · use it for: an operation failed`);
    expect(logging).toMatch(/\n\n\*Levels\*\n\n/);
    expect(page('data-transactions')).toContain(
      `• ${Z}*Repeatable Read*${Z} — Dirty read: no · Non-repeatable: no · Phantom: no (in PostgreSQL) · Serialization anomaly: possible`,
    );
    const help = blockTexts(rendered.get('help quiz')!.blocks).join('\n');
    expect(help).toContain('`/study quiz asyncio`');
  });
});

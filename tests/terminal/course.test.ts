import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMessage, type Style } from '../../src/platforms/terminal/render.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { COURSE_CONTENT, courseMessages, helpMessages, type CourseMessage } from '../text/course.js';
import { readingProblems } from '../text/rendered-checks.js';

/** Styles made visible, so the checks can tell formatting from Markdown left over. */
const marked: Style = { bold: (s) => `⟪${s}⟫`, italic: (s) => `⟨${s}⟩`, code: (s) => `⟦${s}⟧`, dim: (s) => s };

/** Loading and rendering 2,400 messages takes seconds, or minutes on a busy machine. */
const RENDER_TIMEOUT = 300_000;

/** The whole course as the terminal chat prints it, by the adapter's own rendering code. */
describe('the whole course in the terminal', () => {
  let app: TestApp | undefined;
  let messages: CourseMessage[] = [];

  beforeAll(async () => {
    app = await createTestApp({ content: COURSE_CONTENT });
    messages = [...courseMessages(app.services.content), ...(await helpMessages(app, 'terminal'))];
  }, RENDER_TIMEOUT);
  afterAll(async () => {
    await app?.stop();
  });

  test('reads well everywhere: no table rows, no mid-sentence breaks, no Markdown left over', { timeout: RENDER_TIMEOUT }, () => {
    const problems: string[] = [];
    for (const { where, message } of messages) problems.push(...readingProblems(where, renderMessage(message, marked).text, 'terminal'));
    expect(problems).toEqual([]);
    expect(messages.length).toBeGreaterThan(1000);
  });

  test('word-wrapped to a narrow terminal, prose stays within its width', { timeout: RENDER_TIMEOUT }, () => {
    const problems: string[] = [];
    for (const { where, message } of messages) {
      const { text } = renderMessage(message, { bold: (s) => s, italic: (s) => s, code: (s) => s, dim: (s) => s }, 1, 60);
      for (const line of text.split('\n')) {
        // Code keeps its lines; a single word longer than the width cannot be broken.
        if (/^ {2}[│┌]/.test(line) || !/\s\S/.test(line.trim())) continue;
        if ([...line].length > 60) problems.push(`${where}: ${[...line].length} columns: «${line}»`);
      }
    }
    expect(problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded, shownOptions } from '../support/seeded.js';
import { COURSE_CONTENT } from '../text/course.js';
import { shown } from './driver.js';
import { ada, bob, slackHarness, type SlackHarness } from './harness.js';
import type { SlackUser } from './recorder.js';

const QUESTIONS = 100;

/** The same blind strategies as on Discord, through Bolt: a hundred questions each, never much better than chance. */
describe('Slack: blind guessing does not pay', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await slackHarness({
      env: { CONTENT_DIR: COURSE_CONTENT, COMMANDS_PER_MINUTE: '10000', CLICKS_PER_MINUTE: '10000' },
      random: seeded(7122026),
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function play(user: SlackUser, pick: (options: { letter: string; text: string }[]) => string): Promise<number> {
    const { driver, recorder } = h;
    let right = 0;
    for (let i = 0; i < QUESTIONS; i++) {
      // Ten channels, ten questions each: a study group's pace, within Slack's posting limits.
      const channel = `C0FAIR${user.name.toUpperCase()}${i % 10}`;
      const before = recorder.visible.length;
      await driver.command(user, 'quiz', channel);
      const question = await recorder.waitForVisible(
        'the question',
        (v) => v.via === 'chat.postMessage' && v.channel === channel && recorder.visible.indexOf(v) >= before,
      );
      const options = shownOptions(shown(question));
      expect(options.length, shown(question)).toBeGreaterThanOrEqual(3);
      const clicked = await driver.click(user, question, new RegExp(`^${pick(options)}$`));
      const verdict = shown(await recorder.waitForVisible('the verdict', (v) => v.via === 'response_url' && v.url === clicked.responseUrl));
      if (verdict.includes('Correct!')) right++;
      else expect(verdict).toContain('Not quite.');
    }
    return right / QUESTIONS;
  }

  it('always the first button, or always the longest option: at most 35% right', { timeout: 600_000 }, async () => {
    const first = await play(ada, (o) => o[0]!.letter);
    const longest = await play(bob, (o) => [...o].sort((a, b) => b.text.length - a.text.length)[0]!.letter);
    expect(first).toBeLessThanOrEqual(0.35);
    expect(longest).toBeLessThanOrEqual(0.35);
    expect(h.recorder.rateLimited).toEqual([]);
  });
});

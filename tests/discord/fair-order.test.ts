import { describe, expect, test } from 'vitest';
import { seeded, shownOptions } from '../support/seeded.js';
import { COURSE_CONTENT } from '../text/course.js';
import { customIds, type FakeUser, shownText } from './fake-discord.js';
import { useDiscord } from './harness.js';

const QUESTIONS = 100;

/**
 * Guessing blind through the chat, as a learner gaming the weekly board would: a hundred /quiz
 * questions from the real bank, answered by always clicking the first button, or always the
 * button of the longest option. Each post shuffles its options, so neither beats chance by much.
 */
describe('Discord: blind guessing does not pay', () => {
  const get = useDiscord({
    env: { CONTENT_DIR: COURSE_CONTENT, COMMANDS_PER_MINUTE: '10000', CLICKS_PER_MINUTE: '10000' },
    random: seeded(20261207),
  });

  async function play(user: FakeUser, pick: (options: { letter: string; text: string }[]) => string): Promise<number> {
    const { fake } = get();
    let right = 0;
    for (let i = 0; i < QUESTIONS; i++) {
      const quiz = fake.slash(user, 'quiz');
      const posted = await fake.callback(quiz);
      const text = shownText(posted.body);
      const options = shownOptions(text);
      expect(options.length, text).toBeGreaterThanOrEqual(3);
      const letter = pick(options);
      const id = customIds(posted.body)[options.findIndex((o) => o.letter === letter)]!;
      const verdict = shownText((await fake.callback(fake.click(user, fake.original(quiz), id))).body);
      if (verdict.includes('Correct!')) right++;
      else expect(verdict).toContain('Not quite.');
    }
    return right / QUESTIONS;
  }

  test('always the first button: about one in four', { timeout: 300_000 }, async () => {
    const score = await play(get().fake.users.ada, (o) => o[0]!.letter);
    expect(score).toBeLessThanOrEqual(0.35);
  });

  test('always the longest option: no better', { timeout: 300_000 }, async () => {
    const score = await play(get().fake.users.bob, (o) => [...o].sort((a, b) => b.text.length - a.text.length)[0]!.letter);
    expect(score).toBeLessThanOrEqual(0.35);
  });
});

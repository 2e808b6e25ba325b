import { describe, expect, test } from 'vitest';
import { quizButtons, reviewQuizButtons } from '../support/quiz.js';
import { customIds, shownText } from './fake-discord.js';
import { useDiscord } from './harness.js';

const EPHEMERAL = 1 << 6;

describe('Discord: mistakes come back in /review', () => {
  const get = useDiscord();

  test('a wrong answer, then /review: the missed question first, then that lesson’s cards, each saying why; the review ends with what moved', async () => {
    const { fake, app } = get();
    const user = fake.users.bob;
    const quiz = fake.slash(user, 'quiz', { options: { track: 'beta' } });
    const posted = await fake.callback(quiz);
    const { wrong } = quizButtons(app.services, customIds(posted.body));
    const verdict = await fake.callback(fake.click(user, fake.original(quiz), wrong[0]!));
    expect(shownText(verdict.body)).toContain('Not quite.');

    const review = fake.slash(user, 'review');
    const first = await fake.callback(review);
    expect(first.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, embeds: [{ title: 'Review' }] } });
    expect(shownText(first.body)).toMatch(/❌ You missed this in a quiz on \w{3} \d+ \w{3}\./);
    expect(shownText(first.body)).toContain('Does `sorted()` change the list it is given?');
    const card = fake.original(review);

    const back = await fake.callback(fake.click(user, card, fake.buttonId(card, 'Show answer')));
    expect(back.body!.type).toBe(7);
    expect(shownText(back.body)).toMatch(/You chose \*\*/);
    const next = await fake.callback(fake.click(user, fake.original(review), fake.buttonId(fake.original(review), 'Good')));
    expect(next.body!.type).toBe(7);
    expect(shownText(next.body)).toContain('🔁 Back because you missed a question on this lesson in a quiz');
    expect(shownText(next.body)).toContain('sorted vs list.sort?');

    // To the end: the last card rated, what moved is summed up in the same private message.
    let body = next.body;
    for (let i = 0; i < 10 && !shownText(body).includes('Review done'); i++) {
      const m = fake.original(review);
      const ids = customIds(body);
      if (ids.some((id) => id.startsWith('review:reveal:'))) {
        await fake.callback(fake.click(user, m, fake.buttonId(m, 'Show answer')));
        body = (await fake.callback(fake.click(user, fake.original(review), fake.buttonId(fake.original(review), 'Good')))).body;
      } else body = (await fake.callback(fake.click(user, m, reviewQuizButtons(app.services, ids).right))).body;
    }
    expect(shownText(body)).toMatch(/Review done:\*\* \d+ cards? reviewed/);
    expect(shownText(body)).toContain('The only beta lesson');
    expect(fake.original(review).flags & EPHEMERAL).toBe(EPHEMERAL);
  });
});

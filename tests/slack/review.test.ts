import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLabels, buttonLabels, on, shown } from './driver.js';
import { linus, slackHarness, type SlackHarness } from './harness.js';

describe('Slack: mistakes come back in /study review', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await slackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a wrong answer, then /study review: the missed question first, then that lesson’s cards, each saying why', async () => {
    const { driver, recorder, app } = h;
    await driver.command(linus, 'quiz beta', 'C0REVIEW');
    const question = await recorder.waitForVisible('the question', (v) => v.via === 'chat.postMessage' && v.channel === 'C0REVIEW');
    const wrong = await driver.click(linus, question, answerLabels(app.services, question.blocks).wrong[0]!);
    expect(shown(await recorder.waitForVisible('the verdict', on(wrong.responseUrl)))).toContain('Not quite.');

    const sent = await driver.command(linus, 'review', 'C0REVIEW');
    const front = await recorder.waitForVisible('the first card', on(sent.responseUrl));
    expect(front.ephemeral).toBe(true);
    expect(shown(front)).toMatch(/❌ You missed this in a quiz on \w{3} \d+ \w{3}\./);
    expect(shown(front)).toContain('Does `sorted()` change the list it is given?');
    expect(buttonLabels(front.blocks)).toEqual(['Show answer']);

    const reveal = await driver.click(linus, front, 'Show answer');
    const back = await recorder.waitForVisible('the answer', on(reveal.responseUrl));
    expect(back).toMatchObject({ replaceOriginal: true, ephemeral: true });
    expect(shown(back)).toMatch(/You chose /);
    const rate = await driver.click(linus, back, /^Good/);
    const next = await recorder.waitForVisible('the next card', on(rate.responseUrl));
    expect(next).toMatchObject({ replaceOriginal: true, ephemeral: true });
    expect(shown(next)).toContain('🔁 Back because you missed a question on this lesson in a quiz');
    expect(shown(next)).toContain('sorted vs list.sort?');
  });
});

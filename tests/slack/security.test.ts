import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLabels, on, shown } from './driver.js';
import { ada, mallory, slackHarness, type SlackHarness } from './harness.js';
import type { Visible } from './recorder.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Every mrkdwn text of a message, as Slack would parse it. */
const rawText = (v: Visible) => JSON.stringify(v.blocks);

describe('Slack: names and clicks', () => {
  it('shows a display name with a masked link, backticks and a bidi override as plain text on the board', async () => {
    const { driver, recorder, app } = h;
    await driver.command(mallory, 'quiz beta', 'C0NAMES');
    const question = await recorder.waitForVisible('the question', (v) => v.via === 'chat.postMessage' && v.channel === 'C0NAMES');
    const answered = await driver.click(mallory, question, answerLabels(app.services, question.blocks).right);
    await recorder.waitForVisible('the verdict', on(answered.responseUrl));
    const board = await driver.command(ada, 'leaderboard all', 'C0NAMES');
    const shownBoard = await recorder.waitForVisible('the board', on(board.responseUrl));
    const raw = rawText(shownBoard);
    // No Slack link token (<url|label> or <url>) and no code block come from the name.
    expect(raw).not.toMatch(/<https?:\/\/evil/);
    expect(raw).not.toContain('```');
    expect(raw).not.toContain('\u202E');
    expect(shown(shownBoard)).toContain('[Free Nitro](https:');
  });
});

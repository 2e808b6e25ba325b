import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingSlackFile } from '../../src/platforms/slack/files.js';
import { shown, on } from './driver.js';
import { ada, BOT_TOKEN, bob, grace, slackHarness, type SlackHarness } from './harness.js';
import type { Block } from './recorder.js';

/**
 * `/study config import` on Slack: the command opens a modal with a file_input; the admin uploads
 * a deck there; the bot fetches the file from Slack with its token and imports it for the workspace.
 */
let h: SlackHarness;

beforeAll(async () => {
  h = await slackHarness();
});

afterAll(async () => {
  await h?.stop();
});

const DECK = `questions:
  - id: slack-q-modal
    difficulty: easy
    question: Which Block Kit element lets a person upload a file in a modal?
    options:
      - text: file_input
        correct: true
        why: file_input takes uploads inside input blocks.
      - text: plain_text_input
        why: That takes typed text only.
flashcards:
  - id: slack-fc-token
    front: How does a bot fetch a file a person uploaded?
    back: From url_private_download, with its bot token as a Bearer token.
`;

describe('/study config import', () => {
  it('opens a modal with a file input; the uploaded deck is fetched with the bot token and served by /study quiz', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(grace, 'config import name:"Slack club"', 'C0DECK');
    const opened = await recorder.waitFor('views.open', () => recorder.callsTo('views.open').find((c) => c.args.trigger_id === sent.triggerId));
    const view = opened.args.view as Record<string, unknown> & { blocks: Block[] };
    expect(view).toMatchObject({ type: 'modal', callback_id: 'config:import:1:Slack club', title: { text: 'Import a deck' } });
    expect(view.blocks[0]).toMatchObject({
      type: 'input',
      block_id: 'file',
      optional: false,
      element: { type: 'file_input', action_id: 'file', max_files: 1, filetypes: ['yaml', 'yml', 'csv'] },
    });
    expect(recorder.visible.filter(on(sent.responseUrl))).toEqual([]);

    const file = recorder.hostFile('club.yaml', DECK, grace.id);
    const submitted = await driver.submit(grace, view, {}, { file: [file] });
    expect(submitted.status).toBe(200);
    const done = await recorder.waitForVisible('the import reply', on(sent.responseUrl));
    expect(shown(done)).toContain('Imported Slack club from club.yaml: 1 question and 1 flashcard, for this workspace only');
    expect(shown(done)).toContain('Its track is `slack-club`');
    expect(recorder.downloads).toEqual([{ fileId: file.id, token: 'xoxb-1111-2222-studybottesttoken', ok: true }]);

    await driver.command(ada, 'quiz slack-club', 'C0DECK');
    const question = await recorder.waitForVisible('the question', (v) => v.via === 'chat.postMessage' && v.text === 'Quiz');
    expect(shown(question)).toContain('Which Block Kit element lets a person upload a file in a modal?');
  });

  it('a broken deck uploaded in the modal is refused by line and field, and a member cannot import through a modal', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(grace, 'config import', 'C0DECK');
    const opened = await recorder.waitFor('views.open', () => recorder.callsTo('views.open').find((c) => c.args.trigger_id === sent.triggerId));
    const view = opened.args.view as Record<string, unknown> & { blocks: Block[] };
    await driver.submit(grace, view, {}, { file: [recorder.hostFile('broken.yaml', DECK.replace('difficulty: easy', 'difficulty: trivial'))] });
    const refused = await recorder.waitForVisible('the refusal', on(sent.responseUrl));
    expect(shown(refused)).toContain('Nothing was imported: broken.yaml has 1 problem.');
    expect(shown(refused)).toContain('broken.yaml:3: questions[0].difficulty: expected easy, medium or hard');
    expect(shown(refused)).toContain('The deck this workspace had is unchanged');

    // The modal was opened for an admin; a member replaying its submission gets nowhere.
    const before = recorder.downloads.length;
    await driver.submit(bob, view, {}, { file: [recorder.hostFile('club.yaml', DECK)] });
    await recorder.waitForVisible('the refusal', (v) => shown(v).includes('Only workspace admins and owners can import a deck.'));
    expect(recorder.downloads.length).toBe(before);
    await driver.command(ada, 'quiz slack-club', 'C0DECK');
    const second = await recorder.waitForVisible('the second question', (v) => v.via === 'chat.postMessage' && v.text === 'Quiz', 2);
    expect(shown(second)).toContain('Which Block Kit element');
  });

  it('a file with many problems lists the first ones within Block Kit’s limits', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(grace, 'config import', 'C0DECK');
    const opened = await recorder.waitFor('views.open', () => recorder.callsTo('views.open').find((c) => c.args.trigger_id === sent.triggerId));
    const header = 'type,id,difficulty,question,option1,why1,option2,why2,correct';
    const rows = Array.from({ length: 40 }, (_, i) => `question,q-${i},impossible,${'Why is this question so long? '.repeat(8)},a,,b,,9`);
    await driver.submit(
      grace,
      opened.args.view as Record<string, unknown>,
      {},
      { file: [recorder.hostFile('many.csv', [header, ...rows].join('\n'))] },
    );
    const refused = await recorder.waitForVisible('the refusal', on(sent.responseUrl));
    expect(shown(refused)).toContain('Nothing was imported: many.csv has 40 problems.');
    expect(shown(refused)).toContain('…and 25 more');
    expect(recorder.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('/study config import remove removes it; a member is refused', async () => {
    const { driver, recorder } = h;
    const member = await driver.command(bob, 'config import remove', 'C0DECK');
    expect(shown(await recorder.waitForVisible('the refusal', on(member.responseUrl)))).toMatch(
      /Only workspace admins and owners .* can use \/study config import\./,
    );
    const sent = await driver.command(grace, 'config import remove', 'C0DECK');
    expect(shown(await recorder.waitForVisible('the removal', on(sent.responseUrl)))).toContain('Removed Slack club (track `slack-club`)');
    const quiz = await driver.command(ada, 'quiz slack-club', 'C0DECK');
    expect(shown(await recorder.waitForVisible('the refusal', on(quiz.responseUrl)))).toContain('There is no track "slack-club"');
  });
});

describe('fetching an uploaded file', () => {
  it('sends the bot token to Slack’s file host only: a file URL elsewhere, or a redirect elsewhere, is refused unasked', async () => {
    const { recorder } = h;
    const seen: { url: string; auth: string | undefined }[] = [];
    const other = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.end('questions: []');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const elsewhere = `http://127.0.0.2:${(other.address() as AddressInfo).port}/club.yaml`;
      const how = { botToken: BOT_TOKEN, hosts: new Set([new URL(recorder.base).host]) };
      const file = { name: 'club.yaml', size: 10, url_private: elsewhere, url_private_download: elsewhere };
      await expect(pendingSlackFile(file, how).fetch(1000)).rejects.toThrow(/refusing to fetch a Slack file from 127\.0\.0\.2/);
      expect(seen).toEqual([]);
      // The file host's own answer comes back only with the token it expects.
      const hosted = recorder.hostFile('ok.yaml', 'questions: []\n') as { url_private: string; url_private_download: string };
      const fetched = await pendingSlackFile({ name: 'ok.yaml', size: 14, ...hosted }, how).fetch(1000);
      expect(fetched.data.toString()).toBe('questions: []\n');
      await expect(pendingSlackFile({ name: 'ok.yaml', size: 14, ...hosted }, { ...how, botToken: 'xoxb-wrong' }).fetch(1000)).rejects.toThrow(
        /answered a file download with a web page/,
      );
      await expect(pendingSlackFile({ name: 'ok.yaml', size: 14, ...hosted }, how).fetch(10)).rejects.toThrow(
        // Markdown: the name is escaped so that it shows as typed.
        /"ok\\\.yaml" is larger than .*, the limit/,
      );
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

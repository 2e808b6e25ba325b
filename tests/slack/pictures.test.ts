import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../../src/chat/reply.js';
import { silentLogger } from '../../src/logger.js';
import { boardCard, picture } from '../../src/pictures/index.js';
import { renderMessage } from '../../src/platforms/slack/blocks.js';
import { SlackPeople } from '../../src/platforms/slack/people.js';
import { SlackPoster } from '../../src/platforms/slack/post.js';
import { decodePng, distinctColors, pngIn } from '../support/png.js';
import { shown, on } from './driver.js';
import { ada, bob, slackHarness, TEAM, type SlackHarness } from './harness.js';

/**
 * Pictures on Slack: the reply's text through the response_url as before, then the card uploaded
 * into the same channel through the external upload flow (files.getUploadURLExternal, the upload,
 * files.completeUploadExternal), with alt text. The PNG is decoded as the upload URL received it.
 */
let h: SlackHarness;

beforeAll(async () => {
  h = await slackHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** The card uploaded to a channel: the calls that shared it and the PNG that arrived. */
async function sharedPicture(channel: string, filename: string) {
  const { recorder } = h;
  const complete = await recorder.waitFor(
    `${filename} shared to ${channel}`,
    () => recorder.callsTo('files.completeUploadExternal').find((c) => c.args.channel_id === channel),
    60_000,
  );
  const [file] = complete.args.files as { id: string; title: string }[];
  const upload = recorder.uploads.find((u) => u.fileId === file?.id);
  const asked = recorder.callsTo('files.getUploadURLExternal').find((c) => c.args.filename === filename);
  return { complete, file: file!, upload: upload!, asked: asked! };
}

describe('Slack: pictures uploaded beside progress, streak and board replies', { timeout: 180_000 }, () => {
  it('/study progress answers in the channel and uploads the progress card there, with alt text', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(ada, 'progress', 'C0PICS');
    const reply = await recorder.waitForVisible('the progress text', on(sent.responseUrl), 1, 60_000);
    expect(shown(reply)).toContain('Points:');
    expect(shown(reply)).toContain('Alpha basics');

    const { complete, file, upload, asked } = await sharedPicture('C0PICS', 'progress.png');
    expect(complete.ok).toBe(true);
    expect(file.title).toBe('progress.png');
    expect(String(asked.args.alt_text)).toMatch(/^Progress card for Ada: 0 points \(0 this week\)\./);
    expect(Number(asked.args.length)).toBe(pngIn(upload.body).length);
    const png = decodePng(pngIn(upload.body));
    expect([png.width, png.height]).toEqual([800, 440]);
    expect(distinctColors(png)).toBeGreaterThan(100);
    // The text went first; the picture follows it in the same channel.
    const textAt = recorder.visible.find(on(sent.responseUrl))!.seq;
    expect(complete.seq).toBeGreaterThan(textAt);
  });

  it('/study streak and /study leaderboard upload their cards to the channel they were asked in', async () => {
    const { driver } = h;
    await driver.command(bob, 'streak', 'C0STREAK');
    const streak = await sharedPicture('C0STREAK', 'streak.png');
    expect(decodePng(pngIn(streak.upload.body)).height).toBe(380);

    await driver.command(bob, 'leaderboard mastery', 'C0BOARD');
    const board = await sharedPicture('C0BOARD', 'leaderboard-mastery.png');
    expect(decodePng(pngIn(board.upload.body)).width).toBe(800);
    expect(String(board.asked.args.alt_text)).toBe('Leaderboard — mastery (Knowledge retained, in lessons’ worth): no one yet.');
  });

  it('a private reply in a channel goes without its picture, since ephemeral messages carry no file; in a DM it is uploaded', async () => {
    const { recorder, adapter } = h;
    const client = adapter.app.client;
    const poster = new SlackPoster({
      client,
      people: new SlackPeople(client, { adminUsergroup: undefined, logger: silentLogger }),
      render: (m) => renderMessage(m),
      logger: silentLogger,
    });
    const image = picture('private-card', await boardCard({ title: 'Only you', unit: 'points', rows: [] }), 'An empty board');
    await poster.toChannel({ teamId: TEAM, channelId: 'C0PRIVATE', userId: ada.id }, { blocks: [text('Only you see this')], private: true, image });
    const ephemeral = recorder.visible.find((v) => v.via === 'chat.postEphemeral' && v.channel === 'C0PRIVATE');
    expect(shown(ephemeral!)).toContain('Only you see this');
    expect(recorder.callsTo('files.getUploadURLExternal').filter((c) => c.args.filename === 'private-card.png')).toHaveLength(0);

    await poster.toChannel({ teamId: TEAM, channelId: 'D0ADA', userId: ada.id }, { blocks: [text('In your DM')], private: true, image });
    const inDm = await sharedPicture('D0ADA', 'private-card.png');
    expect(decodePng(pngIn(inDm.upload.body)).width).toBe(800);
  });
});

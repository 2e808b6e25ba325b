/**
 * Pictures on Discord: /progress, /streak and /leaderboard reply with their text in the embed and
 * a PNG card uploaded as a multipart file the embed shows (attachment://name), described by its
 * alt text. The PNG is decoded as it arrived at Discord.
 */
import { describe, expect, test } from 'vitest';
import { boardSize } from '../../src/pictures/index.js';
import { decodePng, distinctColors } from '../support/png.js';
import { type FakeMessage, type FakeUser, type Json, type RecordedCall, shownText } from './fake-discord.js';
import { type Harness, useDiscord } from './harness.js';

/** The call that carried the reply's file: the first callback or the deferred reply's edit. */
async function replyWithFile(h: Harness, user: FakeUser, name: string, options: Record<string, string> = {}) {
  const sent = h.fake.slash(user, name, { options });
  const call = await h.fake.waitFor((c) => c.path.includes(`/${sent.token}`) && c.files.length > 0, 60_000);
  return { sent, call };
}

function embedsOf(call: RecordedCall): Json[] {
  const data = (call.body?.data as Json | undefined) ?? call.body ?? {};
  return (data.embeds as Json[] | undefined) ?? [];
}

describe('Discord: pictures attached to progress, streak and board replies', { timeout: 180_000 }, () => {
  const get = useDiscord();

  test('/progress uploads a PNG card the embed shows, with alt text, and keeps every fact in the text', async () => {
    const h = get();
    const { call, sent } = await replyWithFile(h, h.fake.users.ada, 'progress');
    expect(call.multipart).toBe(true);
    expect(call.files).toHaveLength(1);
    const [file] = call.files;
    expect(file!.field).toBe('files[0]');
    expect(file!.name).toBe('progress.png');
    expect(file!.contentType).toBe('image/png');
    const png = decodePng(file!.data);
    expect([png.width, png.height]).toEqual([800, 440]);
    expect(distinctColors(png)).toBeGreaterThan(100);

    const data = (call.body?.data as Json | undefined) ?? call.body!;
    const [listed] = data.attachments as Json[];
    // The listed attachment points at files[0] and carries the alt text.
    expect(String(listed!.id)).toBe('0');
    expect(String(listed!.description)).toMatch(/^Progress card for Ada: 0 points \(0 this week\)\. 0-day streak \(best 0\), 0 freezes held\./);
    const embeds = embedsOf(call);
    expect(embeds.some((e) => (e.image as Json | undefined)?.url === 'attachment://progress.png')).toBe(true);
    // The text is still there: the card only illustrates it.
    expect(shownText(call.body)).toContain('**Points:** 0 all time');
    expect(shownText(call.body)).toContain('Alpha basics');

    // What members see: the stored message holds the file, served back as the same picture.
    const shown = h.fake.original(sent) as FakeMessage;
    const attachment = (shown.attachments as Json[])[0]!;
    expect(attachment.filename).toBe('progress.png');
    const served = Buffer.from(await (await fetch(String(attachment.url))).arrayBuffer());
    expect(decodePng(served).width).toBe(800);
  });

  test('/streak uploads the streak card', async () => {
    const h = get();
    const { call } = await replyWithFile(h, h.fake.users.bob, 'streak');
    const file = call.files[0]!;
    expect(file.name).toBe('streak.png');
    const png = decodePng(file.data);
    expect([png.width, png.height]).toEqual([800, 380]);
    expect(embedsOf(call).some((e) => (e.image as Json | undefined)?.url === 'attachment://streak.png')).toBe(true);
    expect(shownText(call.body)).toContain('No streak running');
  });

  test('/leaderboard uploads the board as a ranked card as tall as its rows', async () => {
    const h = get();
    const { call } = await replyWithFile(h, h.fake.users.ada, 'leaderboard', { board: 'mastery' });
    const file = call.files[0]!;
    expect(file.name).toBe('leaderboard-mastery.png');
    const png = decodePng(file.data);
    expect(png.width).toBe(800);
    // Nobody has studied yet: the card holds its one "no one yet" row.
    expect(png.height).toBe(boardSize(0).height);
    const data = (call.body?.data as Json | undefined) ?? call.body!;
    expect(String((data.attachments as Json[])[0]!.description)).toBe('Leaderboard — mastery (Knowledge retained, in lessons’ worth): no one yet.');
    expect(shownText(call.body)).toContain('Leaderboard — mastery');
  });
});

describe('Discord: a card drawn after the reply was deferred', { timeout: 180_000 }, () => {
  // Acknowledged at once, so the card arrives with the edit of the deferred reply.
  const get = useDiscord({ ackAfterMs: 1 });

  test('the edit of @original carries the file and the embed that shows it', async () => {
    const h = get();
    const sent = h.fake.slash(h.fake.users.ada, 'progress');
    expect((await h.fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await h.fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(`/${sent.token}/messages/`) && c.files.length > 0, 60_000);
    expect(edit.rawPath).toContain('%40original');
    expect(edit.files[0]!.name).toBe('progress.png');
    expect(decodePng(edit.files[0]!.data).height).toBe(440);
    expect(embedsOf(edit).some((e) => (e.image as Json | undefined)?.url === 'attachment://progress.png')).toBe(true);
    const shown = h.fake.original(sent);
    expect((shown.attachments as Json[]).map((a) => a.filename)).toEqual(['progress.png']);
  });
});

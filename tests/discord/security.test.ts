import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { customIds, type FakeUser, type Json, PERMISSIONS, shownText, snowflake } from './fake-discord.js';
import { startDiscord, stopDiscord, useDiscord } from './harness.js';

const EPHEMERAL = 64;

/** A member whose display name tries to be a masked link, a code block and a right-to-left override. */
const mallory = (): FakeUser => ({
  id: snowflake(),
  username: 'mallory',
  globalName: '[Free Nitro](https://evil.example/claim) ```\u202Eevil\u200B',
  permissions: PERMISSIONS.member,
});

describe('Discord: every click is checked, as a modified client would send it', () => {
  const get = useDiscord({ env: { CLICKS_PER_MINUTE: '5' } });

  test('a forged custom_id on a public quiz is refused privately and the quiz stays as it was', async () => {
    const { fake } = get();
    const quiz = fake.slash(fake.users.ada, 'quiz');
    await fake.callback(quiz);
    const message = fake.original(quiz);
    const before = JSON.stringify(fake.current(message).embeds);
    const forged = fake.forgeClick(fake.users.bob, message, 'flashcards:reveal:2:made-up:alpha-fc-print:0');
    const cb = await fake.callback(forged);
    // A new private message, never an update (type 7) of the public one.
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shownText(cb.body)).toContain('That button is not on the message it was clicked on');
    expect(JSON.stringify(fake.current(message).embeds)).toBe(before);
    expect(customIds(fake.current(message) as Json).every((id) => /^quiz:(answer|reveal):/.test(id))).toBe(true);
  });

  test('forged rating buttons earn nothing and introduce no card', async () => {
    const { fake, app } = get();
    const review = fake.slash(fake.users.bob, 'flashcards', { path: ['review'] });
    const cb = await fake.callback(review);
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    const card = fake.original(review);
    for (const id of ['flashcards:rate:2:x:alpha-fc-len:0:4', 'flashcards:rate:1:alpha-fc-sum:0:4', 'flashcards:rate:2:x:beta-fc-sorted:0:3']) {
      const r = await fake.callback(fake.forgeClick(fake.users.bob, card, id));
      expect(r.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    }
    const ws = `discord:${fake.guildId}`;
    const progress = await app.router.dispatch(
      { type: 'command', name: 'flashcards', path: ['stats'], options: {} },
      {
        platform: 'discord',
        workspaceId: fake.guildId,
        channelId: fake.channelId,
        userId: fake.users.bob.id,
        userName: 'Bob',
        locale: 'en-US',
        isAdmin: false,
        conversation: { platform: 'discord', workspaceId: fake.guildId, channelId: fake.channelId },
      },
    );
    expect(JSON.stringify(progress)).toContain('**Cards seen:** 0 of');
    expect(ws).toContain(fake.guildId);
  });

  test('clicks count against a per-person limit: "Quiz me" cannot flood the channel', async () => {
    const { fake } = get();
    const lesson = fake.slash(fake.users.ada, 'lesson', { path: ['current'] });
    await fake.callback(lesson);
    const message = fake.original(lesson);
    let posted = 0;
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const cb = await fake.callback(fake.click(fake.users.admin, message, 'lesson:quiz:1:alpha-first'));
      if (shownText(cb.body).includes("You're clicking too quickly")) refused++;
      else if (customIds(cb.body).some((id) => id.startsWith('quiz:answer:'))) posted++;
    }
    expect(posted).toBe(5);
    expect(refused).toBe(7);
  });

  test('attachments: a wrong name or size is refused before anything is downloaded; redirects stay on the CDN', async () => {
    const { fake } = get();
    const fetchedBefore = fake.fileFetches.length;
    const wrong = fake.slash(fake.users.ada, 'run', { options: { file: { file: 'notes.txt', data: Buffer.from('print(1)\n') } } });
    const cb = await fake.callback(wrong);
    expect(cb.body).toMatchObject({ type: 5 });
    const answer = await fake.waitFor((c) => c.path.includes(wrong.token) && shownText(c.body as Json) !== '');
    expect(shownText(answer.body as Json)).toContain('"notes.txt" is not a .py file.');
    expect(fake.fileFetches.length).toBe(fetchedBefore);

    // The CDN answers with a redirect to another host: the bot does not follow it there.
    fake.redirects.set('sneaky.py', 'http://169.254.169.254/latest/meta-data');
    const path = fake.fileFetches.length;
    const sneaky = fake.slash(fake.users.bob, 'run', { options: { file: { file: 'sneaky.py', data: Buffer.from('print(2)\n') } } });
    await fake.callback(sneaky);
    const refusal = await fake.waitFor((c) => c.path.includes(sneaky.token) && shownText(c.body as Json) !== '');
    expect(shownText(refusal.body as Json)).toMatch(/Something went wrong on our side \(ref `[0-9a-f]{6}`\)/);
    expect(fake.fileFetches.length).toBe(path + 1);
  });

  test('a display name with a masked link, backticks and bidi controls shows as plain text on the board', async () => {
    const { fake } = get();
    const m = mallory();
    const quiz = fake.slash(m, 'quiz', { options: { track: 'beta' } });
    await fake.callback(quiz);
    const post = fake.original(quiz);
    // Mallory answers every option once across fresh posts until one scores.
    await fake.callback(fake.click(m, post, customIds(fake.current(post) as Json)[0]!));
    const board = fake.slash(fake.users.ada, 'leaderboard', { options: { board: 'all' } });
    const cb = await fake.callback(board);
    const text = shownText(cb.body);
    expect(text).not.toContain('[Free Nitro](https://evil.example/claim)');
    expect(text).not.toContain('```');
    expect(text).not.toContain('\u202E');
    expect(text).not.toContain('\u200B\u200B');
  });
});

describe('Discord: secrets stay out of the logs', () => {
  test('a failed Discord call logs what failed, never the bot token or the interaction token', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const h = await startDiscord({ logTo: sink });
    try {
      const { fake } = h;
      fake.ackWindowMs = -1; // every callback now arrives "too late": Discord refuses it with 10062
      const sent = fake.slash(fake.users.ada, 'help');
      await fake.waitFor((c) => c.path.includes(sent.token));
      await new Promise((r) => setTimeout(r, 500));
      const all = lines.join('');
      expect(all).toContain('Unknown interaction');
      expect(all).not.toContain(sent.token);
      expect(all).not.toContain(fake.token);
    } finally {
      await stopDiscord(h);
    }
  });
});

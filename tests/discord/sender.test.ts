import { describe, expect, test } from 'vitest';
import type { Conversation } from '../../src/chat/context.js';
import type { Message } from '../../src/chat/reply.js';
import { buttons, code, text } from '../../src/chat/reply.js';
import { shownText, type Sent } from './fake-discord.js';
import { useDiscord, type Harness } from './harness.js';

/**
 * The sender: how results and daily posts reach Discord outside an interaction response. With a
 * live interaction token it edits the original reply (or follows it up); without one it posts to
 * the channel with the bot token; private messages never go to the channel.
 */
describe('Discord: delivering outside an interaction response', () => {
  const get = useDiscord();

  /** An interaction the bot has answered, so its token is live at the fake. */
  async function answered(h: Harness): Promise<Sent> {
    const sent = h.fake.slash(h.fake.users.ada, 'lesson', { path: ['current'] });
    await h.fake.callback(sent);
    return sent;
  }

  function conversation(h: Harness, sent: Sent | undefined, expiresInMs = 60_000): Conversation {
    return {
      platform: 'discord',
      workspaceId: h.fake.guildId,
      channelId: h.fake.channelId,
      userId: h.fake.users.ada.id,
      ...(sent && { handle: JSON.stringify({ appId: h.fake.appId, token: sent.token }), handleExpiresAt: Date.now() + expiresInMs }),
    };
  }

  const result: Message = { blocks: [text('✅ **Finished**'), code('42', 'text', 'Output')] };

  test('replaceOriginal with a live handle edits the original reply through the webhook, without the bot token', async () => {
    const h = get();
    const sent = await answered(h);
    await h.app.services.outbox.deliver(conversation(h, sent), result, { replaceOriginal: true });
    const calls = h.fake.callsFor(sent).slice(1);
    expect(calls.map((c) => [c.method, c.path])).toEqual([['PATCH', `/webhooks/${h.fake.appId}/${sent.token}/messages/@original`]]);
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(shownText(h.fake.original(sent))).toContain('42');
  });

  test('without replaceOriginal a live handle gets a follow-up', async () => {
    const h = get();
    const sent = await answered(h);
    await h.app.services.outbox.deliver(conversation(h, sent), result);
    const [call] = h.fake.callsFor(sent).slice(1);
    expect([call!.method, call!.path, call!.query.wait]).toEqual(['POST', `/webhooks/${h.fake.appId}/${sent.token}`, 'true']);
  });

  test('an expired handle (or none, as for daily posts) posts to the channel with the bot token', async () => {
    get().expectedRefusals = [50027];
    const h = get();
    const sent = await answered(h);
    const before = h.fake.calls.length;
    await h.app.services.outbox.deliver(conversation(h, sent, -1), result, { replaceOriginal: true });
    const calls = h.fake.calls.slice(before);
    expect(calls.map((c) => [c.method, c.path])).toEqual([['POST', `/channels/${h.fake.channelId}/messages`]]);
    expect(calls[0]!.headers.authorization).toBe(`Bot ${h.fake.token}`);
  });

  test('a token Discord no longer accepts falls back to the channel', async () => {
    const h = get();
    const sent = await answered(h);
    const before = h.fake.calls.length;
    h.fake.tokenLifetimeMs = 0;
    h.expectedRefusals.push(50027); // Invalid Webhook Token: the fallback is what is tested
    try {
      await h.app.services.outbox.deliver(conversation(h, sent), result, { replaceOriginal: true });
    } finally {
      h.fake.tokenLifetimeMs = 15 * 60_000;
    }
    const calls = h.fake.calls.slice(before);
    expect(calls.map((c) => [c.method, c.status, (c.response as { code?: number } | undefined)?.code])).toEqual([
      ['PATCH', 401, 50027],
      ['POST', 200, undefined],
    ]);
    expect(calls[1]!.path).toBe(`/channels/${h.fake.channelId}/messages`);
  });

  test('a private message without a live handle goes to the user by DM, never to the channel', async () => {
    const h = get();
    const before = h.fake.calls.length;
    await h.app.services.outbox.deliver(conversation(h, undefined), { blocks: [text('just for you')], private: true });
    const calls = h.fake.calls.slice(before);
    expect(calls.map((c) => [c.method, c.path.replace(/\d+/g, 'N')])).toEqual([
      ['POST', '/users/@me/channels'],
      ['POST', '/channels/N/messages'],
    ]);
    expect(calls[0]!.body).toEqual({ recipient_id: h.fake.users.ada.id });
    expect(calls[1]!.path).not.toBe(`/channels/${h.fake.channelId}/messages`);
  });

  test('a message over every limit arrives as several messages, each accepted by Discord', async () => {
    const h = get();
    const before = h.fake.calls.length;
    const huge: Message = {
      title: 'T'.repeat(300),
      blocks: [
        text(Array.from({ length: 60 }, (_, i) => `Paragraph ${i} ${'x'.repeat(200)}`).join('\n\n')),
        code('y = 1\n'.repeat(2000), 'python'),
        buttons(...Array.from({ length: 30 }, (_, i) => ({ id: `quiz:answer:none:${i}`, label: `Option ${i} ${'l'.repeat(90)}` }))),
      ],
    };
    await h.app.services.outbox.deliver(conversation(h, undefined), huge);
    const calls = h.fake.calls.slice(before);
    expect(calls.length).toBeGreaterThan(3);
    for (const c of calls) expect([c.method, c.path, c.status]).toEqual(['POST', `/channels/${h.fake.channelId}/messages`, 200]);
    const shown = calls.map((c) => shownText(c.body)).join('\n');
    expect(shown).toContain('Paragraph 0 ');
    expect(shown).toContain('Paragraph 59 ');
  });
});

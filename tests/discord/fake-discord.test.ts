import { once } from 'node:events';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { commands } from '../../commands/index.js';
import { applicationCommands } from '../../src/platforms/discord/registration.js';
import { FakeDiscord, type Json } from './fake-discord.js';

/**
 * The fake must refuse what Discord refuses, or the adapter's tests would pass on bugs. Here the
 * "bot" is discord.js's own REST client plus a bare gateway socket, so nothing answers for us.
 */
describe("the fake Discord reproduces Discord's refusals", () => {
  let fake: FakeDiscord;
  let rest: REST;
  let gateway: WebSocket;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken(fake.token);
    const { url } = (await rest.get(Routes.gatewayBot())) as { url: string };
    gateway = new WebSocket(`${url}?v=10&encoding=json`);
    const frames: Json[] = [];
    gateway.on('message', (raw) => frames.push(JSON.parse(String(raw)) as Json));
    await once(gateway, 'open');
    gateway.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
    for (let i = 0; i < 100 && !frames.some((f) => f.t === 'GUILD_CREATE'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(frames.map((f) => (f.op === 0 ? f.t : f.op))).toEqual([10, 'READY', 'GUILD_CREATE']);
    expect(frames.slice(1).map((f) => f.s)).toEqual([1, 2]);
    await rest.put(Routes.applicationGuildCommands(fake.appId, fake.guildId), { body: applicationCommands(commands) });
  });

  afterAll(async () => {
    gateway.close();
    await fake.close();
  });

  async function refusal(p: Promise<unknown>): Promise<[number, number]> {
    try {
      await p;
    } catch (err) {
      if (err instanceof DiscordAPIError) return [err.status, Number(err.code)];
      throw err;
    }
    throw new Error('expected a refusal');
  }

  const callback = (id: string, token: string, body: Json) =>
    rest.post(Routes.interactionCallback(id, token), { body, auth: false, query: new URLSearchParams({ with_response: 'false' }) });

  test('a follow-up or an edit before any acknowledgement: 10015', async () => {
    const i = fake.slash(fake.users.ada, 'help');
    expect(await refusal(rest.post(Routes.webhook(fake.appId, i.token), { body: { content: 'hi' }, auth: false }))).toEqual([404, 10015]);
    expect(await refusal(rest.patch(Routes.webhookMessage(fake.appId, i.token, '@original'), { body: { content: 'hi' }, auth: false }))).toEqual([
      404, 10015,
    ]);
  });

  test('an empty message: 50006; over-long content and more than 5 rows: 50035', async () => {
    const i = fake.slash(fake.users.ada, 'help');
    expect(await refusal(callback(i.id, i.token, { type: 4, data: { embeds: [], components: [] } }))).toEqual([400, 50006]);
    expect(await refusal(callback(i.id, i.token, { type: 4, data: { content: 'x'.repeat(2001) } }))).toEqual([400, 50035]);
    const row = { type: 1, components: [{ type: 2, style: 1, label: 'b', custom_id: 'b' }] };
    const rows = Array.from({ length: 6 }, (_, n) => ({ ...row, components: [{ ...row.components[0], custom_id: `b${n}` }] }));
    expect(await refusal(callback(i.id, i.token, { type: 4, data: { content: 'x', components: rows } }))).toEqual([400, 50035]);
    expect(await refusal(callback(i.id, i.token, { type: 4, data: { embeds: [{ description: 'd'.repeat(4097) }] } }))).toEqual([400, 50035]);
  });

  test('a second acknowledgement: 40060', async () => {
    const i = fake.slash(fake.users.ada, 'help');
    await callback(i.id, i.token, { type: 5, data: { flags: 64 } });
    expect(await refusal(callback(i.id, i.token, { type: 4, data: { content: 'again' } }))).toEqual([400, 40060]);
  });

  test('an unknown interaction, or a first response after the window: 10062', async () => {
    expect(await refusal(callback('1', 'nope', { type: 4, data: { content: 'x' } }))).toEqual([404, 10062]);
    fake.ackWindowMs = 30;
    try {
      const i = fake.slash(fake.users.ada, 'help');
      await new Promise((r) => setTimeout(r, 60));
      expect(await refusal(callback(i.id, i.token, { type: 4, data: { content: 'late' } }))).toEqual([404, 10062]);
    } finally {
      fake.ackWindowMs = 3000;
    }
  });

  test('more than 25 autocomplete choices: 50035; a modal after a defer is impossible', async () => {
    const i = fake.autocomplete(fake.users.ada, 'submit', 'challenge', '');
    const choices = Array.from({ length: 26 }, (_, n) => ({ name: `c${n}`, value: `c${n}` }));
    expect(await refusal(callback(i.id, i.token, { type: 8, data: { choices } }))).toEqual([400, 50035]);
    await callback(i.id, i.token, { type: 8, data: { choices: choices.slice(0, 25) } });

    const run = fake.slash(fake.users.ada, 'run');
    await callback(run.id, run.token, { type: 5, data: { flags: 0 } });
    expect(await refusal(callback(run.id, run.token, { type: 9, data: { custom_id: 'run:form', title: 'Run', components: [] } }))).toEqual([
      400, 40060,
    ]);
  });

  test('webhook calls with the bot token, and channel posts without it, are refused', async () => {
    const i = fake.slash(fake.users.ada, 'help');
    await callback(i.id, i.token, { type: 4, data: { content: 'ok' } });
    expect(await refusal(rest.patch(Routes.webhookMessage(fake.appId, i.token, '@original'), { body: { content: 'edit' } }))).toEqual([401, 0]);
    expect(await refusal(rest.post(Routes.channelMessages(fake.channelId), { body: { content: 'x' }, auth: false }))).toEqual([401, 0]);
    const ok = (await rest.patch(Routes.webhookMessage(fake.appId, i.token, '@original'), { body: { content: 'edit' }, auth: false })) as Json;
    expect(ok.content).toBe('edit');
  });
});

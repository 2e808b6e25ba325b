import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Command, OptionDef } from '../../src/chat/command.js';
import { isGroup } from '../../src/chat/command.js';
import { loadConfig } from '../../src/config.js';
import { deployCommands } from '../../src/platforms/discord/deploy.js';
import { FakeDiscord, type Json } from './fake-discord.js';

async function deploy(env: Record<string, string>, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await deployCommands(loadConfig(env, tmpdir()), argv, commands, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const TYPES: Record<OptionDef['type'], number> = { string: 3, integer: 4, boolean: 5, channel: 7, attachment: 11 };

/** Checks one level of options against the neutral definitions, recursing into subcommands. */
function expectOptions(defs: readonly OptionDef[], json: Json[] | undefined) {
  expect((json ?? []).map((o) => o.name)).toEqual(defs.map((d) => d.name));
  defs.forEach((d, i) => {
    const o = json![i]!;
    expect(o.type).toBe(TYPES[d.type]);
    expect(o.description).toBe(d.description);
    expect(o.required).toBe(Boolean(d.required));
    if (d.type === 'string') {
      expect(o.autocomplete).toBe(d.autocomplete ? true : undefined);
      expect(o.choices).toEqual(d.choices);
      expect(o.max_length).toBe(d.maxLength);
    }
    if (d.type === 'integer') {
      expect(o.min_value).toBe(d.min);
      expect(o.max_value).toBe(d.max);
    }
    if (d.type === 'channel') expect(o.channel_types).toEqual([0, 5]);
  });
}

function expectCommand(c: Command<unknown>, json: Json) {
  expect(json).toMatchObject({ type: 1, name: c.name, description: c.description, contexts: [0], integration_types: [0] });
  expect(json.default_member_permissions).toBe(c.adminOnly ? '32' : null);
  const options = json.options as Json[];
  if (!c.subcommands) return expectOptions(c.leaf?.options ?? [], options);
  expect(options.map((o) => o.name)).toEqual(c.subcommands.map((s) => s.name));
  c.subcommands.forEach((s, i) => {
    const o = options[i]!;
    expect(o.description).toBe(s.description);
    if (isGroup(s)) {
      expect(o.type).toBe(2);
      const leaves = o.options as Json[];
      expect(leaves.map((l) => [l.type, l.name])).toEqual(s.subcommands.map((l) => [1, l.name]));
      for (const [j, l] of s.subcommands.entries()) expectOptions(l.options, leaves[j]!.options as Json[]);
    } else {
      expect(o.type).toBe(1);
      expectOptions(s.options, o.options as Json[]);
    }
  });
}

describe('discord:deploy', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  test('--print maps every command (options, choices, autocomplete, channel types, attachments, subcommands and groups) and needs no token', async () => {
    const { code, stdout, stderr } = await deploy({}, ['--print']);
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as Json[];
    expect(body).toHaveLength(commands.length + 1);
    for (const [i, c] of commands.entries()) expectCommand(c, body[i]!);
    expect(body[commands.length]).toEqual({ type: 3, name: 'Run Python', default_member_permissions: null, contexts: [0], integration_types: [0] });
    expect(stderr).toContain('nothing was sent');
    // Spot checks of what matters most on Discord.
    const byName = new Map(body.map((c) => [c.name, c]));
    expect(byName.get('config')!.default_member_permissions).toBe('32');
    expect((byName.get('run')!.options as Json[]).map((o) => [o.name, o.type])).toEqual([
      ['code', 3],
      ['stdin', 3],
      ['file', 11],
    ]);
  });

  test('--print with credentials still touches nothing', async () => {
    const before = fake.calls.length;
    const { code } = await deploy({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: fake.guildId }, ['--print']);
    expect(code).toBe(0);
    expect(fake.calls.length).toBe(before);
  });

  test("with DISCORD_GUILD_ID: one bulk overwrite of that server's commands, context menu included", async () => {
    const before = fake.calls.length;
    const { code, stdout } = await deploy(
      { DISCORD_TOKEN: fake.token, DISCORD_APP_ID: fake.appId, DISCORD_GUILD_ID: fake.guildId, DISCORD_API_URL: fake.apiUrl },
      [],
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`Registered ${commands.length + 1} commands to the server ${fake.guildId}`);
    const calls = fake.calls.slice(before);
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([['PUT', `/applications/${fake.appId}/guilds/${fake.guildId}/commands`, 200]]);
    expect(calls[0]!.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.commands.get(fake.guildId)!.map((c) => c.name)).toContain('Run Python');
  });

  test('without a guild: registered globally; without DISCORD_APP_ID the id is looked up with the token', async () => {
    const before = fake.calls.length;
    const { code, stdout } = await deploy({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl }, []);
    expect(code).toBe(0);
    expect(stdout).toContain('globally');
    expect(fake.calls.slice(before).map((c) => [c.method, c.path])).toEqual([
      ['GET', '/applications/@me'],
      ['PUT', `/applications/${fake.appId}/commands`],
    ]);
    expect(fake.commands.get('global')).toHaveLength(commands.length + 1);
  });

  test('refusals are reported with an exit code: no token, a wrong token, bad arguments', async () => {
    const none = await deploy({}, []);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('DISCORD_TOKEN is not set');

    const wrong = await deploy({ DISCORD_TOKEN: 'not-the-token', DISCORD_APP_ID: fake.appId, DISCORD_API_URL: fake.apiUrl }, []);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Registering the commands failed');

    const bad = await deploy({}, ['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: studybot discord:deploy');
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_COMMAND } from '../../src/platforms/slack/index.js';

interface Manifest {
  display_information: { name: string; description: string; long_description: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; description: string; should_escape: boolean }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(fileURLToPath(new URL('../../slack-manifest.yaml', import.meta.url)), 'utf8')) as Manifest;

describe('slack-manifest.yaml', () => {
  it('declares what the adapter listens to and calls', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({ command: SLACK_COMMAND, should_escape: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(
      new Set(['commands', 'chat:write', 'chat:write.public', 'files:write', 'files:read', 'users:read', 'usergroups:read', 'im:write']),
    );
  });

  it("fits Slack's manifest limits", () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description.length).toBeLessThanOrEqual(139);
    expect(d.long_description.length).toBeGreaterThanOrEqual(174);
    expect(d.long_description.length).toBeLessThanOrEqual(4000);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    expect(manifest.features.slash_commands[0]!.description.length).toBeLessThanOrEqual(2000);
  });
});

import { expect } from 'vitest';
import type { Json, RecordedCall } from './fake-discord.js';
import type { Harness } from './harness.js';

/** The message body of a call that creates or edits a message, if it is one. */
export function messageBody(c: RecordedCall): Json | undefined {
  if (c.path.endsWith('/callback')) return c.body?.type === 4 || c.body?.type === 7 ? (c.body.data as Json) : undefined;
  if (c.path.startsWith('/webhooks/') && (c.method === 'PATCH' || c.method === 'POST')) return c.body;
  if (/^\/channels\/\d+\/messages$/.test(c.path) && c.method === 'POST') return c.body;
  return undefined;
}

/** What every test file ends with: no refusal from Discord, and no message able to ping anyone. */
export function expectCleanTraffic(h: Harness, expectedRefusals: number[] = []) {
  const refused = h.fake.calls.filter((c) => c.status >= 400 && !expectedRefusals.includes(Number((c.response as Json | undefined)?.code)));
  expect(refused.map((c) => `${c.method} ${c.path} → ${JSON.stringify(c.response)}`)).toEqual([]);
  const messages = h.fake.calls.map(messageBody).filter((b): b is Json => b !== undefined);
  expect(messages.length).toBeGreaterThan(0);
  for (const body of messages) expect(body.allowed_mentions).toEqual({ parse: [] });
}

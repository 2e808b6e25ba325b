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

/**
 * What every test ends with (useDiscord checks it after each one, on that test's own calls): no
 * refusal from Discord but those the test expected, and no message able to ping anyone.
 */
export function expectCleanTraffic(h: Harness, from: number, expectedRefusals: readonly number[] = []) {
  const calls = h.fake.calls.slice(from);
  const refused = calls.filter((c) => c.status >= 400 && !expectedRefusals.includes(Number((c.response as Json | undefined)?.code)));
  expect(refused.map((c) => `${c.method} ${c.path} → ${JSON.stringify(c.response)}`)).toEqual([]);
  for (const body of calls.map(messageBody).filter((b): b is Json => b !== undefined)) expect(body.allowed_mentions).toEqual({ parse: [] });
}

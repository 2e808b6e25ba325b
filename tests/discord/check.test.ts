import { describe, expect, test } from 'vitest';
import { shownText, type Sent } from './fake-discord.js';
import { useDiscord, type Harness } from './harness.js';

/**
 * /check end to end: Discord interaction → adapter → router → BullMQ on the real Redis → the
 * in-process runner's mypy and black in the real Docker sandbox → the deferred reply edited.
 */
describe('Discord: /check through Redis and Docker', () => {
  const get = useDiscord({ runner: true });

  async function edits(h: Harness, sent: Sent, n = 2) {
    const path = `/webhooks/${h.fake.appId}/${sent.token}/messages/@original`;
    return h.fake.waitForCount((c) => c.method === 'PATCH' && c.path === path, n, 90_000);
  }

  test('a type error is named by line, with mypy message and code', async () => {
    const h = get();
    const { fake } = h;
    const code = '```python\ndef add(a: int, b: int) -> int:\n    return a + b\n\n\ntotal: str = add(1, 2)\n```';
    const sent = fake.slash(fake.users.ada, 'check', { options: { code } });
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const [queued, result] = await edits(h, sent);
    expect(shownText(queued!.body)).toContain('⏳ Checking your code with mypy and black');
    const shown = shownText(result!.body);
    expect(shown).toContain('❌ mypy --strict: 1 error');
    expect(shown).toContain('line 5: error: Incompatible types in assignment (expression has type "int", variable has type "str")  [assignment]');
    expect(shown).toContain('✅ black: already formatted');
    expect(result!.body!.embeds).toMatchObject([{ title: 'Check: mypy --strict · black' }]);
  });

  test('a long black diff arrives as reformatted.diff, not in the message', async () => {
    const h = get();
    const { fake } = h;
    const cramped = Array.from({ length: 40 }, (_, i) => `v${i}=${i}`).join('\n');
    const sent = fake.slash(fake.users.bob, 'check', { options: { code: `\`\`\`python\n${cramped}\n\`\`\`` } });
    const [, result] = await edits(h, sent);
    expect(shownText(result!.body)).toContain('✏️ black: would reformat');
    expect(shownText(result!.body)).toContain('attached as reformatted.diff');
    expect(shownText(result!.body)).not.toContain('v39 = 39');
    expect(result!.multipart).toBe(true);
    expect(result!.files.map((f) => f.name)).toEqual(['reformatted.diff']);
    const diff = result!.files[0]!.data.toString();
    expect(diff).toContain('--- main.py\n+++ main.py (black)\n');
    expect(diff).toContain('\n+v39 = 39\n');
    expect(fake.original(sent).attachments).toMatchObject([{ filename: 'reformatted.diff' }]);
  });

  test('/check without code opens its form; a clean snippet from it is answered plainly', async () => {
    const h = get();
    const { fake } = h;
    const opened = fake.slash(fake.users.admin, 'check', {});
    expect((await fake.callback(opened)).body).toMatchObject({ type: 9, data: { title: 'Check Python' } });
    const submitted = fake.submitModal(fake.users.admin, opened, { code: 'def double(n: int) -> int:\n    return n * 2\n' });
    expect((await fake.callback(submitted)).body).toEqual({ type: 5, data: { flags: 0 } });
    const [, result] = await edits(h, submitted);
    expect(shownText(result!.body)).toContain('✅ mypy --strict: no issues · black: already formatted');
  });
});

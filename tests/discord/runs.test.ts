import { describe, expect, test } from 'vitest';
import { shownText, type Json, type Sent } from './fake-discord.js';
import { useDiscord, type Harness } from './harness.js';

/**
 * Code runs end to end: Discord interaction → adapter → router → BullMQ on the real Redis → the
 * in-process runner on the real Docker engine → result → the deferred reply edited through the
 * interaction webhook.
 */
describe('Discord: /run, /submit and "Run Python" through Redis and Docker', () => {
  const get = useDiscord({ runner: true });

  /** The edits of an interaction's original reply: the queued notice first, then the result. */
  async function edits(h: Harness, sent: Sent, n = 2) {
    const path = `/webhooks/${h.fake.appId}/${sent.token}/messages/@original`;
    return h.fake.waitForCount((c) => c.method === 'PATCH' && c.path === path, n, 60_000);
  }

  test('/run: deferred publicly at once, "queued" edited in, then the result replaces it', async () => {
    const h = get();
    const { fake } = h;
    const sent = fake.slash(fake.users.ada, 'run', { options: { code: 'print("hi from the sandbox")' } });
    const cb = await fake.callback(sent);
    expect(cb.body).toEqual({ type: 5, data: { flags: 0 } });
    const [queued, result] = await edits(h, sent);
    expect(shownText(queued!.body)).toContain('⏳ Running your code');
    expect(shownText(result!.body)).toContain('✅ **Finished**');
    expect(shownText(result!.body)).toContain('hi from the sandbox');
    expect(result!.headers.authorization).toBeUndefined();
    expect(result!.rawPath).toContain('%40original');
    // The reply now shows the result.
    expect(shownText(fake.original(sent))).toContain('hi from the sandbox');
  });

  test('program output with @everyone, a role ping and ``` is posted without pings or a broken fence', async () => {
    const h = get();
    const { fake } = h;
    const code = 'print("@everyone @here <@&123> <@456>")\nprint("``` now outside? **bold**")';
    const sent = fake.slash(fake.users.bob, 'run', { options: { code } });
    const [, result] = await edits(h, sent);
    const body = result!.body!;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBeUndefined();
    const d = ((body.embeds as Json[])[0]!.description as string).split('\n');
    const open = d.findIndex((l) => l.startsWith('```'));
    const close = d.findIndex((l, i) => i > open && l === '```');
    const inside = d.slice(open + 1, close).join('\n');
    expect(inside).toContain('@everyone @here <@&123> <@456>');
    expect(inside.replace(/\u200b/g, '')).toContain('``` now outside? **bold**');
    expect(inside).not.toMatch(/``/);
    expect(d.slice(close + 1).join('\n')).not.toContain('now outside');
  });

  test('/submit through its modal: the solution is graded and the deferred reply shows the pass', async () => {
    const h = get();
    const { fake } = h;
    const opened = fake.slash(fake.users.ada, 'submit', { options: { challenge: 'add-two' } });
    expect((await fake.callback(opened)).body).toMatchObject({ type: 9 });
    const submitted = fake.submitModal(fake.users.ada, opened, { code: 'def add(a, b):\n    return a + b\n' });
    expect((await fake.callback(submitted)).body).toEqual({ type: 5, data: { flags: 0 } });
    const [queued, result] = await edits(h, submitted);
    expect(shownText(queued!.body)).toContain('Testing your solution to **Add two numbers**');
    expect(shownText(result!.body)).toContain('All 3 tests passed!');
    expect(result!.body!.embeds).toMatchObject([{ title: 'Challenge: Add two numbers' }]);
  });

  test('"Run Python" runs the python blocks of a message (joined) with its stdin block', async () => {
    const h = get();
    const { fake } = h;
    const target = fake.userMessage(
      fake.users.ada,
      'try this:\n```python\nname = input()\n```\nand then\n```py\nprint("hello", name, 6 * 7)\n```\n```stdin\nAda\n```',
    );
    const sent = fake.contextMenu(fake.users.bob, 'Run Python', target);
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const [, result] = await edits(h, sent);
    expect(shownText(result!.body)).toContain('hello Ada 42');
  });

  test('/run with an attached .py file downloads it (within the cap) and runs it', async () => {
    const h = get();
    const { fake } = h;
    const sent = fake.slash(fake.users.admin, 'run', { options: { file: { file: 'sum.py', data: Buffer.from('print(sum(range(10)))\n') } } });
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const [, result] = await edits(h, sent);
    expect(shownText(result!.body)).toMatch(/1 │ 45/);
  });

  test('a long output is cut in the message and attached in full as a file', async () => {
    const h = get();
    const { fake } = h;
    const sent = fake.slash(fake.users.ada, 'run', { options: { code: 'for i in range(300): print("line", i)' } });
    const [, result] = await edits(h, sent);
    expect(result!.multipart).toBe(true);
    expect(result!.files.map((f) => [f.field, f.name])).toEqual([['files[0]', 'stdout.txt']]);
    expect(result!.files[0]!.data.toString()).toContain('line 299');
    expect(result!.body!.attachments).toEqual([{ id: 0, filename: 'stdout.txt' }]);
    expect(fake.original(sent).attachments).toMatchObject([{ filename: 'stdout.txt' }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { command } from '../../commands/kit.js';
import { plainText, type Reply } from '../../src/chat/reply.js';
import { Router } from '../../src/router/router.js';
import { chatContext, createTestApp, type TestApp } from '../support/app.js';
import { dispatchText } from '../support/dispatch.js';

const text = (replies: Reply[]) => replies.map((r) => (r.kind === 'message' ? plainText(r.message) : r.form.title)).join('\n');

describe('router middleware', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { COMMANDS_PER_MINUTE: '3', CLICKS_PER_MINUTE: '4' } });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('refuses admin commands to members, in each platform’s words, privately', async () => {
    for (const [platform, who] of [
      ['discord', 'members with the Manage Server permission'],
      ['slack', 'workspace admins and owners'],
    ] as const) {
      const replies = await app.router.dispatch(
        { type: 'command', name: 'config', path: ['timezone'], options: { zone: 'UTC' } },
        chatContext({ platform, userId: `member-${platform}`, isAdmin: false }),
      );
      expect(text(replies)).toBe(`⚠️ Only ${who} can use /config timezone.`);
      expect(replies[0]).toMatchObject({ kind: 'message', message: { private: true } });
    }
  });

  it('limits commands per user per minute and says how long to wait', async () => {
    const ctx = chatContext({ userId: 'fast' });
    for (let i = 0; i < 3; i++) expect(await dispatchText(app, ctx, '/streak')).toMatch(/streak/);
    expect(await dispatchText(app, ctx, '/streak')).toMatch(/^⚠️ You're sending commands too quickly\. Try again in \d+ seconds?\.$/);
    // Someone else is not affected.
    expect(await dispatchText(app, chatContext({ userId: 'slow' }), '/streak')).toMatch(/streak/);
  });

  it('limits a person across servers, and clicks as well as commands', async () => {
    const here = chatContext({ userId: 'roamer', workspaceId: 'server-a' });
    const there = chatContext({ userId: 'roamer', workspaceId: 'server-b' });
    expect(await dispatchText(app, here, '/streak')).toMatch(/streak/);
    expect(await dispatchText(app, there, '/streak')).toMatch(/streak/);
    expect(await dispatchText(app, here, '/streak')).toMatch(/streak/);
    // Three commands between two servers use up one person's budget of three.
    expect(await dispatchText(app, there, '/streak')).toMatch(/^⚠️ You're sending commands too quickly/);
    // Clicks have their own budget (CLICKS_PER_MINUTE = 4 here): "Quiz me" cannot flood a channel.
    const clicker = chatContext({ userId: 'clicker-fast' });
    const click = () => app.router.dispatch({ type: 'component', id: 'lesson:quiz:1:alpha-first' }, clicker);
    const posted: string[] = [];
    for (let i = 0; i < 6; i++) posted.push(text(await click()));
    expect(posted.filter((t) => t.startsWith('Quiz'))).toHaveLength(4);
    expect(posted.slice(4)).toEqual([expect.stringMatching(/^⚠️ You're clicking too quickly\. Try again in \d+ seconds?\.$/), expect.any(String)]);
  });

  it("edits a clicked message only when it is the clicker's own or private to them; otherwise answers privately", async () => {
    const page = { type: 'component' as const, id: 'lesson:page:1:alpha-first:0' };
    const onAdas = { private: false, owner: 'page-ada', hasControl: true };
    const own = await app.router.dispatch({ ...page, on: onAdas }, chatContext({ userId: 'page-ada' }));
    expect(own[0]).toMatchObject({ kind: 'message', update: true });
    const other = await app.router.dispatch({ ...page, on: onAdas }, chatContext({ userId: 'page-bob' }));
    expect(other[0]).toMatchObject({ kind: 'message', message: { private: true, owner: 'page-bob' } });
    expect((other[0] as { update?: boolean }).update).toBeUndefined();
    // A daily post has no owner: paging it gives the reader their own private copy.
    const daily = await app.router.dispatch(
      { ...page, on: { private: false, owner: undefined, hasControl: true } },
      chatContext({ userId: 'page-bob' }),
    );
    expect(daily[0]).toMatchObject({ kind: 'message', message: { private: true } });
    // A control that is not on the message is refused, and nothing runs.
    const forged = await app.router.dispatch({ ...page, on: { ...onAdas, hasControl: false } }, chatContext({ userId: 'page-ada' }));
    expect(text(forged)).toMatch(/^⚠️ That button is not on the message it was clicked on/);
  });

  it('answers clicks on buttons that no longer exist', async () => {
    const replies = await app.router.dispatch({ type: 'component', id: 'gone:action:1' }, chatContext({ userId: 'clicker' }));
    expect(text(replies)).toMatch(/That button or form is from an older message and no longer works\./);
    const quiz = await app.router.dispatch({ type: 'component', id: 'quiz:answer:1:nosuchpost:0' }, chatContext({ userId: 'clicker' }));
    expect(text(quiz)).toMatch(/That quiz button belongs to a question that no longer exists\./);
  });

  it('turns unexpected failures into a private reply with a reference, never a crash', async () => {
    const boom = command({
      name: 'boom',
      description: 'Fails',
      async handle() {
        throw new Error('database on fire');
      },
    });
    const router = new Router([...commands, boom], app.services);
    const replies = await router.dispatch({ type: 'command', name: 'boom', path: [], options: {} }, chatContext({ userId: 'x' }));
    expect(text(replies)).toMatch(/^😵 Something went wrong on our side \(ref `[0-9a-f]{6}`\)/);
    expect(text(replies)).not.toContain('database on fire');
  });

  it('rejects invalid command definitions at start-up', () => {
    const bad = command({
      name: 'Bad Name',
      description: '',
      async handle() {
        return [];
      },
    });
    expect(() => new Router([bad], app.services)).toThrow(/command names are 1-32 lowercase/);
  });
});

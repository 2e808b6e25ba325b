import { describe, expect, test } from 'vitest';
import { workspaceKey } from '../../src/chat/context.js';
import { customIds, shownText, type FakeMessage, type Json } from './fake-discord.js';
import { useDiscord } from './harness.js';
import { quizButtons } from '../support/quiz.js';

const EPHEMERAL = 64;

describe('Discord: commands, buttons, forms and autocomplete against a fake Discord', () => {
  const get = useDiscord();

  test('logs in through the gateway with the Guilds intent only, ready within seconds; start registers no commands', () => {
    const { fake, readyMs } = get();
    expect(readyMs).toBeLessThan(5000);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]!.intents).toBe(1);
    const gateway = fake.calls.filter((c) => c.path === '/gateway/bot');
    expect(gateway).toHaveLength(1);
    expect(gateway[0]!.headers.authorization).toBe(`Bot ${fake.token}`);
    // The one registration is the deploy script's, to the configured guild.
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.path)).toEqual([`/applications/${fake.appId}/guilds/${fake.guildId}/commands`]);
  });

  test('/help answers privately at once, as an ephemeral embed', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'help');
    const cb = await fake.callback(sent);
    expect(cb.query.with_response).toBe('false');
    expect(cb.headers.authorization).toBeUndefined();
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, allowed_mentions: { parse: [] } } });
    expect(shownText(cb.body)).toContain('**/quiz** — Post a quiz question');
    expect(fake.callsFor(sent)).toHaveLength(1);
  });

  test('/lesson posts the lesson publicly with its buttons; "Quiz me" posts a question', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'lesson', { path: ['current'] });
    const cb = await fake.callback(sent);
    expect(cb.body).toMatchObject({ type: 4, data: { embeds: [{ title: 'The first lesson' }] } });
    expect((cb.body!.data as Json).flags).toBeUndefined();
    expect(shownText(cb.body)).toContain('print(1 + 1)');
    expect(customIds(cb.body)).toEqual(expect.arrayContaining(['lesson:quiz:1:alpha-first', 'lesson:challenge:1:add-two']));

    const lesson = fake.original(sent);
    const click = fake.click(fake.users.bob, lesson, 'lesson:quiz:1:alpha-first');
    const answer = await fake.callback(click);
    expect(answer.body).toMatchObject({ type: 4, data: { embeds: [{ title: 'Quiz' }] } });
    const ids = customIds(answer.body);
    // One button per option of the lesson's question, and the poster's "Reveal".
    expect(ids.filter((id) => id.startsWith('quiz:answer:'))).toHaveLength(4);
    expect(ids.filter((id) => id.startsWith('quiz:reveal:'))).toHaveLength(1);
  });

  test('/lesson list: picking a lesson in the select menu opens it', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'lesson', { path: ['list'], options: { track: 'alpha' } });
    await fake.callback(sent);
    const list = fake.original(sent);
    const picked = fake.select(fake.users.ada, list, 'lesson:open:1', ['alpha-second']);
    const cb = await fake.callback(picked);
    expect(cb.body).toMatchObject({ type: 4, data: { embeds: [{ title: expect.stringContaining('second') as unknown }] } });
  });

  test('quiz: an answer scores once; a second click gets the private "already answered"; the leaderboard shows the points', async () => {
    const { fake, app } = get();
    const user = fake.users.admin;
    const quiz = fake.slash(user, 'quiz', { options: { track: 'beta' } });
    const posted = await fake.callback(quiz);
    expect(posted.body).toMatchObject({ type: 4, data: { embeds: [{ title: 'Quiz' }] } });
    const question = fake.original(quiz);
    const { right, wrong } = quizButtons(app.services, customIds(posted.body));

    const click = fake.click(user, question, right);
    const answered = await fake.callback(click);
    expect(answered.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shownText(answered.body)).toContain('Correct!');
    const points = Number(/\+(\d+) points/.exec(shownText(answered.body))?.[1] ?? 0);
    expect(points).toBeGreaterThan(0);

    const again = fake.click(user, question, wrong[0]!);
    const refused = await fake.callback(again);
    expect(refused.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shownText(refused.body)).toContain('You already answered this one');

    const board = fake.slash(user, 'leaderboard', { options: { board: 'all' } });
    const shown = await fake.callback(board);
    expect(shownText(shown.body)).toContain(`Grace — ${points} points`);
    // The question message counts the answer (an edit, a moment later) without saying how anyone voted.
    const edit = await fake.waitFor((c) => c.method === 'PATCH' && c.path.startsWith(`/webhooks/${fake.appId}/${quiz.token}/messages/`));
    expect(shownText(edit.body)).toContain('👥 1 answered');
    expect(shownText(edit.body)).not.toMatch(/✅|%/);
    expect(customIds(edit.body)).toEqual(customIds(posted.body));
  });

  test('a click on a quiz button whose question is gone gets the private notice', async () => {
    const { fake } = get();
    const old = fake.userMessage(fake.users.ada, '');
    const stale = {
      ...old,
      author: fake.bot,
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'A', custom_id: 'quiz:answer:1:gone:0' }] }],
    };
    fake.messages.set(stale.id, stale as FakeMessage);
    const cb = await fake.callback(fake.click(fake.users.ada, stale as FakeMessage, 'quiz:answer:1:gone:0'));
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shownText(cb.body)).toContain('no longer exists');
  });

  test('flashcard review is ephemeral: reveal and rate update the card in place, then the next card comes', async () => {
    const { fake } = get();
    const user = fake.users.bob;
    const review = fake.slash(user, 'flashcards', { path: ['review'] });
    const front = await fake.callback(review);
    expect(front.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, embeds: [{ title: 'Flashcard' }] } });
    const card = fake.original(review);
    expect(card.flags & EPHEMERAL).toBe(EPHEMERAL);

    const reveal = fake.click(user, card, fake.buttonId(card, 'Show answer'));
    const back = await fake.callback(reveal);
    expect(back.body!.type).toBe(7);
    expect(shownText(back.body)).toContain('**Answer**');
    const labels = ((((back.body!.data as Json).components as Json[])[0]!.components as Json[]) ?? []).map((b) => String(b.label));
    expect(labels.map((l) => l.split(' ·')[0])).toEqual(['Again', 'Hard', 'Good', 'Easy']);

    const rate = fake.click(user, fake.original(review), fake.buttonId(card, 'Good'));
    const next = await fake.callback(rate);
    expect(next.body!.type).toBe(7);
    expect(shownText(next.body)).toContain('Rated **Good**');
    expect(customIds(next.body).some((id) => id.startsWith('flashcards:reveal:'))).toBe(true);
    // Still the same private message.
    expect(fake.original(review).flags & EPHEMERAL).toBe(EPHEMERAL);
  });

  test('autocomplete answers at once with at most 25 choices, never deferred', async () => {
    const { fake } = get();
    const challenge = fake.autocomplete(fake.users.ada, 'submit', 'challenge', 'add');
    const cb = await fake.callback(challenge);
    expect(cb.body).toEqual({ type: 8, data: { choices: [{ name: 'Add two numbers (add-two, easy)', value: 'add-two' }] } });

    const zones = fake.autocomplete(fake.users.admin, 'config', 'timezone', 'Europe', { path: ['daily', 'set'], options: { time: '09:00' } });
    const zcb = await fake.callback(zones);
    const choices = (zcb.body!.data as { choices: { name: string }[] }).choices;
    expect(choices.length).toBeGreaterThan(5);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.every((c) => c.name.includes('Europe'))).toBe(true);

    const all = await fake.callback(fake.autocomplete(fake.users.ada, 'settings', 'zone', '', { path: ['timezone'] }));
    expect((all.body!.data as { choices: unknown[] }).choices).toHaveLength(25);
  });

  test('/run without code opens a modal as the first response (no defer before it)', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'run');
    const cb = await fake.callback(sent);
    expect(cb.body).toMatchObject({
      type: 9,
      data: {
        custom_id: 'run:form:1',
        title: 'Run Python',
        components: [
          { type: 18, label: 'Code', component: { type: 4, custom_id: 'code', style: 2, required: true, max_length: 4000 } },
          { type: 18, component: { type: 4, custom_id: 'stdin', style: 2, required: false } },
        ],
      },
    });
    expect(fake.callsFor(sent)).toHaveLength(1);
  });

  test('/submit without code opens the challenge modal with the starter code', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'submit', { options: { challenge: 'add-two' } });
    const cb = await fake.callback(sent);
    expect(cb.body).toMatchObject({ type: 9, data: { custom_id: 'submit:form:1:add-two', title: 'Add two numbers' } });
    const input = ((cb.body!.data as Json).components as Json[])[0]!.component as Json;
    expect(input.value).toContain('def add(a, b):');
  });

  test('an empty submitted form gets a private error: deferred (slow command), then the public defer is replaced', async () => {
    const { fake } = get();
    const opened = fake.slash(fake.users.ada, 'run');
    await fake.callback(opened);
    const submitted = fake.submitModal(fake.users.ada, opened, { code: '   ' });
    const cb = await fake.callback(submitted);
    expect(cb.body).toEqual({ type: 5, data: { flags: 0 } });
    const followUp = await fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${submitted.token}`);
    expect(followUp.query.wait).toBe('true');
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL });
    expect(shownText(followUp.body)).toContain('The code box was empty');
    const calls = fake.callsFor(submitted).map((c) => `${c.method} ${c.path.replace(submitted.token, 'T').replace(submitted.id, 'I')}`);
    expect(calls).toEqual([
      'POST /interactions/I/T/callback',
      `DELETE /webhooks/${fake.appId}/T/messages/@original`,
      `POST /webhooks/${fake.appId}/T`,
    ]);
  });

  test('an attached file over the size limit is refused privately before anything is downloaded or run', async () => {
    const { fake } = get();
    const big = Buffer.from(`print(1)\n${'#'.repeat(30_000)}\n`);
    const sent = fake.slash(fake.users.ada, 'run', { options: { file: { file: 'big.py', data: big } } });
    const cb = await fake.callback(sent);
    expect(cb.body).toEqual({ type: 5, data: { flags: 0 } });
    const followUp = await fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${sent.token}`);
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL });
    expect(shownText(followUp.body)).toContain('"big.py" is 30 KB; the limit is 20 KB');
  });

  test('"Run Python" on a message without code answers privately', async () => {
    const { fake } = get();
    const target = fake.userMessage(fake.users.ada, '');
    const sent = fake.contextMenu(fake.users.bob, 'Run Python', target);
    const cb = await fake.callback(sent);
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shownText(cb.body)).toContain('That message has no code to run');
  });

  test('a member without Manage Server gets the private refusal on /config', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.bob, 'config', { path: ['daily', 'set'], options: { time: '09:00' } });
    const cb = await fake.callback(sent);
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(shownText(cb.body)).toContain('Only members with the Manage Server permission can use /config daily set.');
  });

  test('an admin sets up the daily lesson; the daily post goes to the configured channel', async () => {
    const { fake, app } = get();
    const sent = fake.slash(fake.users.admin, 'config', { path: ['daily', 'set'], options: { time: '09:00', channel: fake.studyChannelId } });
    const cb = await fake.callback(sent);
    expect(cb.body).toMatchObject({ type: 4 });
    expect(shownText(cb.body)).toContain(`every day at **09:00 UTC** in <#${fake.studyChannelId}>`);

    const ws = workspaceKey({ platform: 'discord', workspaceId: fake.guildId });
    expect(app.services.daily.list(ws).map((c) => c.channelId)).toEqual([fake.studyChannelId]);
    await app.services.daily.post(ws, fake.studyChannelId);
    const posts = await fake.waitForCount((c) => c.method === 'POST' && c.path === `/channels/${fake.studyChannelId}/messages`, 2);
    for (const p of posts) {
      expect(p.headers.authorization).toBe(`Bot ${fake.token}`);
      expect(p.body!.allowed_mentions).toEqual({ parse: [] });
    }
    expect(shownText(posts[0]!.body)).toContain("📅 **Today's lesson**");
    expect(posts[1]!.body).toMatchObject({ embeds: [{ title: 'Quiz' }] });
    // Anyone can answer the posted question from the channel.
    const question = fake.channelMessages(fake.studyChannelId).find((m) => m.embeds[0]?.title === 'Quiz')!;
    const click = fake.click(fake.users.ada, question, customIds(posts[1]!.body)[0]!);
    expect((await fake.callback(click)).body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
  });
});

describe('Discord: handlers slower than the ack budget are deferred', () => {
  // A zero budget makes every handler "slow", so each interaction takes the deferred path.
  const get = useDiscord({ ackAfterMs: 0 });

  test('a command: deferred, then the reply is edited in', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'lesson', { path: ['current'] });
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await fake.waitFor((c) => c.method === 'PATCH' && c.path === `/webhooks/${fake.appId}/${sent.token}/messages/@original`);
    expect(edit.rawPath).toContain('%40original');
    expect(edit.headers.authorization).toBeUndefined();
    expect(edit.body).toMatchObject({ embeds: [{ title: 'The first lesson' }], allowed_mentions: { parse: [] }, attachments: [] });
    expect(fake.original(sent).embeds[0]!.title).toBe('The first lesson');
  });

  test('a private command defers privately', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'flashcards', { path: ['review'] });
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await fake.waitFor((c) => c.method === 'PATCH' && c.path.startsWith(`/webhooks/${fake.appId}/${sent.token}/`));
    const card = fake.original(sent);
    expect(card.flags & EPHEMERAL).toBe(EPHEMERAL);

    // A click on its button: deferred update, then the card message is edited.
    const reveal = fake.click(fake.users.ada, card, fake.buttonId(card, 'Show answer'));
    expect((await fake.callback(reveal)).body).toEqual({ type: 6 });
    const edit = await fake.waitFor((c) => c.method === 'PATCH' && c.path === `/webhooks/${fake.appId}/${reveal.token}/messages/@original`);
    expect(shownText(edit.body)).toContain('**Answer**');
    expect(shownText(fake.messages.get(card.id))).toContain('**Answer**');
  });

  test('a click whose answer is a new private message: deferred update, then an ephemeral follow-up', async () => {
    const { fake } = get();
    const quiz = fake.slash(fake.users.ada, 'quiz');
    await fake.waitFor((c) => c.method === 'PATCH' && c.path.startsWith(`/webhooks/${fake.appId}/${quiz.token}/`));
    const question = fake.original(quiz);
    const click = fake.click(fake.users.ada, question, customIds({ components: question.components })[0]!);
    expect((await fake.callback(click)).body).toEqual({ type: 6 });
    const followUp = await fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${click.token}`);
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL });
    // The question was left as it was.
    expect(fake.messages.get(question.id)!.embeds).toEqual(question.embeds);
  });

  test('a private answer to a public defer replaces the defer instead of showing it to everyone', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'help');
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const followUp = await fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${sent.token}`);
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL });
    expect(fake.callsFor(sent).map((c) => c.method)).toEqual(['POST', 'DELETE', 'POST']);
  });

  test('a form after a defer cannot be a modal: a private button opens it instead', async () => {
    const { fake } = get();
    const sent = fake.slash(fake.users.ada, 'run');
    expect((await fake.callback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    const followUp = await fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${sent.token}`);
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL });
    const [opener] = customIds(followUp.body);
    expect(opener).toMatch(/^!form:/);
    const click = fake.click(fake.users.ada, followUp.response as FakeMessage, opener!);
    expect((await fake.callback(click)).body).toMatchObject({ type: 9, data: { custom_id: 'run:form:1', title: 'Run Python' } });
  });
});

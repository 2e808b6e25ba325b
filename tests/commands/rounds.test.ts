import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../src/chat/context.js';
import { plainText, type Message } from '../../src/chat/reply.js';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { getPost, QUIZ_POINTS } from '../../src/learning/quizzes.js';
import { answerId } from '../../commands/quiz.js';
import { GUESS_PENALTY, speedPoints } from '../../src/learning/rounds.js';
import { chatContext, createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { dispatchReplies, dispatchText } from '../support/dispatch.js';
import { quizButtons } from '../support/quiz.js';
import { uniqueName } from '../support/redis.js';
import { RecordingSender } from '../support/recorder.js';
import { TimerDriver } from '../support/timers.js';

const START = '2026-03-02T10:00:00Z';
const WS = 'terminal:ws1';

/** A bot on the terminal platform whose posts and edits are recorded, with timers run by the test. */
async function startBot(shared: { dir: string; queues: TestApp['queues'] }, clock: ManualClock) {
  const app = await createTestApp({ clock, dir: shared.dir, queues: shared.queues, holdTimers: true, random: Math.random });
  const sender = new RecordingSender();
  await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  const timers = new TimerDriver(app.redisUrl, app.queues.timers!, clock);
  return { app, sender, timers };
}

type Bot = Awaited<ReturnType<typeof startBot>>;

const buttonIds = (m: Message) => m.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons.map((x) => x.id) : []));

/** The question now on: its post, as the last posted round question. */
function currentQuestion(bot: Bot) {
  const post = [...bot.sender.posts].reverse().find((p) => p.message.title?.startsWith('Round — question'));
  if (!post) throw new Error(`no round question posted; posts: ${bot.sender.posts.map((p) => p.message.title).join(', ')}`);
  return { ...post, ...quizButtons(bot.app.services, buttonIds(post.message)) };
}

async function click(bot: Bot, ctx: ChatContext, id: string): Promise<string> {
  const replies = await bot.app.router.dispatch({ type: 'component', id }, ctx);
  return replies.map((r) => (r.kind === 'message' ? plainText(r.message) : '')).join('\n');
}

const lastEditOf = (bot: Bot, messageId: string) => [...bot.sender.edits].reverse().find((e) => e.posted.messageId === messageId);

describe('timed quiz rounds', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function setup() {
    const shared = {
      dir: mkdtempSync(path.join(tmpdir(), 'studybot-round-')),
      queues: { runs: uniqueName('runs'), daily: uniqueName('daily'), timers: uniqueName('timers') },
    };
    cleanups.push(async () => rmSync(shared.dir, { recursive: true, force: true }));
    return shared;
  }

  async function bot(shared: ReturnType<typeof setup>, clock: ManualClock): Promise<Bot> {
    const b = await startBot(shared, clock);
    cleanups.push(async () => {
      await b.timers.close();
      await b.app.stop();
    });
    return b;
  }

  it('plays a round: one question at a time, answers changeable until the reveal, speed scores, early guesses cost, standings and a podium', async () => {
    const clock = new ManualClock(Date.parse(START));
    const b = await bot(setup(), clock);
    const ada = chatContext({ userId: 'ada', userName: 'Ada' });
    const bob = chatContext({ userId: 'bob', userName: 'Bob' });
    const eve = chatContext({ userId: 'eve', userName: 'Eve' });

    const started = await dispatchText(b.app, ada, '/round questions:4 seconds:20');
    expect(started).toContain('4 questions, 20 s each');
    expect(started).toContain(`A wrong answer in the first 2 s costs ${GUESS_PENALTY} points.`);
    // One round per channel.
    expect(await dispatchText(b.app, bob, '/round')).toContain('A round is already running in this channel.');

    await b.timers.drainUntil('round-ask');
    const q1 = currentQuestion(b);
    expect(q1.message.title).toBe('Round — question 1 of 4');
    expect(q1.text).toContain('0 answered');
    expect(q1.text).toContain('round question 1 of 4 · ⏱️ 20 s left');
    const asked = clock.now();
    const post = getPost(b.app.services.db, answerId.decode(q1.right)!.post)!;
    const difficulty = b.app.services.content.questionById.get(post.questionId)!.difficulty;
    const max = QUIZ_POINTS[difficulty] * 2;

    // Eve spams a wrong button at once; Ada answers wrong, then changes to right at 4 s; Bob is right at 0.8 s.
    clock.advance(500);
    expect(await click(b, eve, q1.wrong[0]!)).toContain('Locked in');
    expect(await click(b, ada, q1.wrong[1]!)).toContain('📝 Locked in');
    clock.advance(300);
    await click(b, bob, q1.right);
    clock.advance(3200);
    expect(await click(b, ada, q1.right)).toContain('🔁 Changed to');

    // The countdown is edited at half time, with the count of answers (never how they voted).
    const ran = await b.timers.drainUntil('round-tick');
    const half = lastEditOf(b, q1.messageId);
    if (!half) throw new Error(`no edit of the question; timers ran: ${ran.join(', ')}`);
    expect(half.text, `ran: ${ran.join(', ')}; edits: ${b.sender.edits.map((e) => e.message.title).join(' / ')}`).toContain('👥 3 answered');
    expect(half.text).toContain('10 s left');
    expect(half.text).not.toMatch(/✅|%/);

    await b.timers.drainUntil('round-reveal');
    const reveal = b.sender.edits.at(-1)!;
    expect(reveal.message.title).toBe('Round — question 1 of 4, revealed');
    expect(reveal.text).toMatch(/✅/);
    expect(reveal.text).toContain('First right: Bob after 0.8 s');
    expect(reveal.text).toContain(`Bob +${speedPoints(max, 800, 20_000)}`);
    expect(speedPoints(max, 800, 20_000)).toBeGreaterThan(speedPoints(max, 4000, 20_000));
    expect(reveal.text).toContain(`Ada +${speedPoints(max, 4000, 20_000)}`);
    expect(reveal.text).toContain(`Eve -${GUESS_PENALTY}`);
    // The shares: two of three on the right option.
    expect(reveal.text).toMatch(/2 \(67%\)/);
    // Answers after the reveal are refused.
    expect(await click(b, bob, q1.wrong[0]!)).toContain('You already answered this one');
    expect(pointsOf(b.app.services.db, WS, 'bob', clock.now(), 'UTC').week).toBe(speedPoints(max, 800, 20_000));
    expect(clock.now() - asked).toBe(20_000);

    // Three more questions, nobody answering; standings after the third, the podium after the fourth.
    for (let i = 2; i <= 4; i++) {
      await b.timers.drainUntil('round-ask');
      expect(currentQuestion(b).message.title).toBe(`Round — question ${i} of 4`);
      await b.timers.drainUntil('round-reveal');
    }
    const titles = b.sender.posts.map((p) => p.message.title);
    expect(titles).toContain('Standings after 3 questions');
    await b.timers.drain();
    const podium = b.sender.posts.at(-1)!;
    expect(podium.message.title).toBe('🏁 Round over');
    expect(podium.text).toMatch(/🥇 Bob — \d+ points\n🥈 Ada — \d+ points\n🥉 Eve — -5 points/);
    // Four different questions were asked.
    const questions = new Set(b.sender.posts.filter((p) => p.message.title?.startsWith('Round — question')).map((p) => p.text.split('\n')[1]));
    expect(questions.size).toBe(4);
    // The round's points are on the weekly board, under their own reason.
    expect(await dispatchText(b.app, ada, '/leaderboard')).toMatch(/🥇 Bob — \d+ points/);
    // And the channel is free for another round.
    expect(await dispatchText(b.app, bob, '/round questions:3')).toContain('3 questions, 20 s each');
  });

  it('carries on where it was after a restart of the bot in the middle of a round', async () => {
    const clock = new ManualClock(Date.parse(START));
    const shared = setup();
    const first = await bot(shared, clock);
    const ada = chatContext({ userId: 'ada', userName: 'Ada' });
    await dispatchReplies(first.app, ada, '/round questions:3 seconds:10');
    await first.timers.drainUntil('round-ask');
    await first.timers.drainUntil('round-reveal');
    await first.timers.drainUntil('round-ask');
    const q2 = currentQuestion(first);
    expect(q2.message.title).toBe('Round — question 2 of 3');
    clock.advance(1000);
    await click(first, ada, q2.right);

    // The bot stops while question 2 is open, and comes back.
    await first.timers.close();
    await first.app.stop();
    cleanups.splice(cleanups.length - 1, 1);
    const second = await bot(shared, clock);
    expect(await second.timers.kinds()).toContain('round-reveal');

    // The answer given before the restart counts; the reveal edits the message posted before it.
    await second.timers.drainUntil('round-reveal');
    const reveal = second.sender.edits.at(-1)!;
    expect(reveal.message.title).toBe('Round — question 2 of 3, revealed');
    expect(reveal.posted.messageId).toBe(q2.messageId);
    expect(reveal.text).toContain('First right: Ada after 1.0 s');
    await second.timers.drainUntil('round-ask');
    expect(currentQuestion(second).message.title).toBe('Round — question 3 of 3');
    await second.timers.drain();
    expect(second.sender.posts.at(-1)!.message.title).toBe('🏁 Round over');
    expect(second.sender.posts.at(-1)!.text).toMatch(/🥇 Ada — \d+ points/);
  });

  it('can be stopped by its starter or an admin only; stopping reveals the question on and posts the podium', async () => {
    const clock = new ManualClock(Date.parse(START));
    const b = await bot(setup(), clock);
    const ada = chatContext({ userId: 'ada', userName: 'Ada' });
    const bob = chatContext({ userId: 'bob', userName: 'Bob' });
    const admin = chatContext({ userId: 'root', userName: 'Root', isAdmin: true });
    expect(await dispatchText(b.app, ada, '/round stop')).toContain('No round is running in this channel.');
    await dispatchReplies(b.app, ada, '/round questions:5');
    await b.timers.drainUntil('round-ask');
    expect(await dispatchText(b.app, bob, '/round stop')).toContain('Only the learner who started this round, or an admin, can stop it.');
    expect(await dispatchText(b.app, admin, '/round stop')).toContain('The round is stopped');
    const stopped = b.sender.posts.at(-1)!;
    expect(stopped.message.title).toBe('⏹️ Round stopped');
    expect(stopped.text).toContain('1 question');
    expect(b.sender.edits.at(-1)!.text).toContain('The round was stopped: this question does not score.');
    // Nothing more happens: its timers were cancelled or do nothing.
    const posts = b.sender.posts.length;
    await b.timers.drain();
    expect(b.sender.posts.length).toBe(posts);
    expect(await dispatchText(b.app, ada, '/round stop')).toContain('No round is running in this channel.');
  });

  it('refuses settings out of bounds with what is allowed', async () => {
    const clock = new ManualClock(Date.parse(START));
    const b = await bot(setup(), clock);
    const ada = chatContext({ userId: 'ada' });
    expect(await dispatchText(b.app, ada, '/round questions:50')).toContain('questions must be between 3 and 30.');
    expect(await dispatchText(b.app, ada, '/round seconds:5')).toContain('seconds must be between 10 and 60.');
    expect(await dispatchText(b.app, ada, '/round track:nope')).toContain('There is no track "nope"');
    expect(await dispatchText(b.app, ada, '/round difficulty:impossible')).toContain('difficulty must be one of: easy, medium, hard');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { deployCommands } from '../../src/platforms/discord/deploy.js';
import { DiscordAdapter } from '../../src/platforms/discord/index.js';
import { createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { quizButtons } from '../support/quiz.js';
import { uniqueName } from '../support/redis.js';
import { TimerDriver } from '../support/timers.js';
import { COURSE_CONTENT } from '../text/course.js';
import { expectCleanTraffic } from './assertions.js';
import { customIds, FakeDiscord, type FakeMessage, type FakeUser, type Json, PERMISSIONS, shownText, snowflake } from './fake-discord.js';

const EPHEMERAL = 1 << 6;

interface Bot {
  app: TestApp;
  timers: TimerDriver;
}

/**
 * Rounds through discord.js and a fake Discord that answers 429 when a channel's messages are
 * edited more than five times in five seconds. The bot can be restarted against the same data,
 * queues and fake (a deploy, a crash).
 */
describe('Discord: timed quiz rounds', () => {
  let fake: FakeDiscord;
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  const fresh = () => ({
    dir: mkdtempSync(path.join(tmpdir(), 'studybot-dround-')),
    queues: { runs: uniqueName('runs'), daily: uniqueName('daily'), timers: uniqueName('timers') },
  });
  /** Each test's bot data and queues (a restart within a test keeps them). */
  let shared = fresh();
  const dirs: string[] = [];
  let bot: Bot | undefined;
  let from = 0;

  async function boot(opts: { holdTimers: boolean }): Promise<Bot> {
    const app = await createTestApp({
      clock,
      dir: shared.dir,
      queues: shared.queues,
      holdTimers: opts.holdTimers,
      random: Math.random,
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_APP_ID: fake.appId,
        DISCORD_GUILD_ID: fake.guildId,
        DISCORD_API_URL: fake.apiUrl,
        CLICKS_PER_MINUTE: '1000',
        CONTENT_DIR: COURSE_CONTENT,
      },
    });
    if (!fake.commands.size) {
      const io = { stdout: { write: () => true }, stderr: { write: () => true } };
      expect(await deployCommands(app.config, [], app.router.commands, io)).toBe(0);
    }
    await app.attach(new DiscordAdapter({ router: app.router, clock: app.services.clock, config: app.config.discord!, logger: silentLogger }));
    return { app, timers: new TimerDriver(app.redisUrl, shared.queues.timers, clock) };
  }

  async function shutdown(b: Bot | undefined): Promise<void> {
    if (!b) return;
    await b.timers.close();
    await b.app.stop();
  }

  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    fake.clock = Date.now;
    // No refusal, no 429 from the edit bucket, no message that could ping.
    expectCleanTraffic({ fake } as never, from);
    await shutdown(bot);
    bot = undefined;
    from = fake.calls.length;
    dirs.push(shared.dir);
    shared = fresh();
  });
  afterAll(async () => {
    await fake.close();
    for (const d of [...dirs, shared.dir]) rmSync(d, { recursive: true, force: true });
  });

  /** The round's question message now in the channel, with its right and wrong buttons. */
  function question(n: number, of: number): FakeMessage & { right: string; wrong: string[] } {
    const m = fake
      .channelMessages(fake.channelId)
      .reverse()
      .find((x) => (x.embeds[0] as Json | undefined)?.title === `Round — question ${n} of ${of}`);
    if (!m) throw new Error(`question ${n} was not posted:\n${fake.describe()}`);
    return {
      ...m,
      ...quizButtons(
        bot!.app.services,
        customIds(m as Json).filter((id) => id.startsWith('quiz:answer:')),
      ),
    };
  }

  async function answer(user: FakeUser, m: FakeMessage, id: string): Promise<string> {
    const cb = await fake.callback(fake.click(user, m, id));
    expect(cb.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    return shownText(cb.body);
  }

  test('a ten-question round end to end, with the bot restarted in the middle', async () => {
    const { ada, bob } = fake.users;
    // Timers run on the manual clock here, so Discord's edit bucket is measured on it too.
    fake.clock = () => clock.now();
    bot = await boot({ holdTimers: true });
    const start = fake.slash(ada, 'round', { path: ['start'], options: { questions: 10, seconds: 20 } });
    const started = await fake.callback(start);
    expect(shownText(started.body)).toContain('10 questions, 20 s each');
    // A second round in the same channel is refused while this one runs.
    expect(shownText((await fake.callback(fake.slash(bob, 'round', { path: ['start'] }))).body)).toContain(
      'A round is already running in this channel.',
    );

    for (let n = 1; n <= 10; n++) {
      await bot.timers.drainUntil('round-ask');
      const q = question(n, 10);
      expect(shownText(q as Json)).toContain(`round question ${n} of 10 · ⏱️ 20 s left`);
      // Two learners race: Bob guesses wrong, then changes his mind; Ada answers right a moment later.
      clock.advance(900);
      expect(await answer(bob, q, q.wrong[0]!)).toContain('📝 Locked in');
      clock.advance(600);
      expect(await answer(ada, q, q.right)).toContain('📝 Locked in');
      clock.advance(2000);
      expect(await answer(bob, q, q.right)).toContain('🔁 Changed to');

      if (n === 5) {
        // The bot goes down with question 5 open, and comes back.
        await shutdown(bot);
        bot = await boot({ holdTimers: true });
      }
      await bot.timers.drainUntil('round-reveal');
      const revealed = fake.current(q);
      const text = shownText(revealed as Json);
      expect((revealed.embeds[0] as Json).title).toBe(`Round — question ${n} of 10, revealed`);
      // Both ended on the right option: the reveal shows the room's shares and who was first.
      expect(text, text).toMatch(/✅ \*\*[A-D]\.\*\* .*\n`▰+` 2 \(100%\)/);
      expect(text).toContain('First right: Ada after 1.5 s');
      expect(text).toMatch(/⚡ Ada \+\d+\n⚡ Bob @everyone \+\d+/);
      // The answer buttons are gone once revealed.
      expect(customIds(revealed as Json).filter((id) => id.startsWith('quiz:answer:'))).toEqual([]);
      if (n % 3 === 0) {
        const standings = fake
          .channelMessages(fake.channelId)
          .find((x) => (x.embeds[0] as Json | undefined)?.title === `Standings after ${n} questions`);
        expect(standings).toBeDefined();
      }
    }
    await bot.timers.drain();
    const podium = fake.channelMessages(fake.channelId).at(-1)!;
    expect((podium.embeds[0] as Json).title).toBe('🏁 Round over');
    expect(shownText(podium as Json)).toMatch(/🥇 Ada — \d+ points\n🥈 Bob @everyone — \d+ points/);
  });

  test('a busy room: answers pour in, the count is edited a few times, never past the edit limit', { timeout: 60_000 }, async () => {
    bot = await boot({ holdTimers: false });
    const crowd: FakeUser[] = Array.from({ length: 12 }, (_, i) => ({
      id: snowflake(),
      username: `learner${i}`,
      globalName: `Learner ${i}`,
      permissions: PERMISSIONS.member,
    }));
    const start = fake.slash(fake.users.admin, 'round', { path: ['start'], options: { questions: 3, seconds: 10 } });
    await fake.callback(start);
    // The first question comes on its own after a few seconds (real timers here).
    const posted = await fake.waitFor(
      (c) => c.method === 'POST' && c.path === `/channels/${fake.channelId}/messages` && shownText(c.body).includes('question 1 of 3'),
      15_000,
    );
    const q = question(1, 3);
    expect(posted).toBeDefined();
    const editsBefore = fake.calls.filter((c) => c.method === 'PATCH').length;
    // Twelve learners click, some three times, over about three seconds.
    for (let round = 0; round < 3; round++) {
      await Promise.all(crowd.map((u, i) => answer(u, q, i % 2 ? q.right : q.wrong[(i + round) % q.wrong.length]!)));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const reveal = await fake.waitFor((c) => c.method === 'PATCH' && shownText(c.body).includes('question 1 of 3, revealed'), 20_000);
    expect(shownText(reveal.body)).toMatch(/12 answered/);
    const edits = fake.calls.filter((c) => c.method === 'PATCH').length - editsBefore;
    // A few count edits, the countdown and the reveal: far fewer than the 36 clicks.
    expect(edits).toBeGreaterThanOrEqual(2);
    expect(edits).toBeLessThanOrEqual(10);
    await fake.callback(fake.slash(fake.users.admin, 'round', { path: ['stop'] }));
    // No 429 anywhere: afterEach checks the whole traffic.
  });

  test('a pinned board is edited as points change, at most once per refresh window', { timeout: 60_000 }, async () => {
    bot = await boot({ holdTimers: false });
    const pin = fake.slash(fake.users.admin, 'leaderboard', { options: { board: 'week', pin: true } });
    const pinned = await fake.callback(pin);
    expect(shownText(pinned.body)).toContain('📌 Kept up to date');
    const boardMessage = fake.original(pin);
    const editsOf = () =>
      fake.calls.filter(
        (c) => c.method === 'PATCH' && (c.path.endsWith(`/messages/${boardMessage.id}`) || c.path.includes(`/${pin.token}/messages/`)),
      );
    // Learners answer standalone questions right, quickly, one after another.
    for (const user of [fake.users.ada, fake.users.bob, fake.users.ada]) {
      const quiz = fake.slash(user, 'quiz');
      const posted = await fake.callback(quiz);
      const { right } = quizButtons(
        bot.app.services,
        customIds(posted.body).filter((id) => id.startsWith('quiz:answer:')),
      );
      await fake.callback(fake.click(user, fake.original(quiz), right));
    }
    const edit = await fake.waitFor((c) => editsOf().includes(c) && shownText(c.body).includes('Ada'), 25_000);
    expect(shownText(edit.body)).toMatch(/🥇 (Ada|Bob @everyone) — \d+ points/);
    // Three scoring answers within a second or two: one edit, not three.
    await new Promise((r) => setTimeout(r, 1500));
    expect(editsOf().length).toBe(1);
  });
});

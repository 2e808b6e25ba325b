import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { uniqueName } from '../support/redis.js';
import { TimerDriver } from '../support/timers.js';
import { COURSE_CONTENT } from '../text/course.js';
import { answerLabels, buttonLabels, SlackDriver, shown } from './driver.js';
import { ada, BOT_TOKEN, bob, eve, grace, SIGNING_SECRET, TEAM } from './harness.js';
import { SlackRecorder, type Visible } from './recorder.js';
import { freePort } from '../infra/processes.js';

const CHANNEL = 'C0ROUND';

/**
 * Rounds through Bolt and a recording Slack Web API that answers `ratelimited` past chat.update's
 * tier and chat.postMessage's per-channel pace; the bot restarts against the same data and queues.
 */
describe('Slack: timed quiz rounds', () => {
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  const shared = {
    dir: mkdtempSync(path.join(tmpdir(), 'studybot-sround-')),
    queues: { runs: uniqueName('runs'), daily: uniqueName('daily'), timers: uniqueName('timers') },
  };
  let recorder: SlackRecorder;
  let bot: { app: TestApp; driver: SlackDriver; timers: TimerDriver } | undefined;

  async function boot() {
    const app = await createTestApp({
      clock,
      dir: shared.dir,
      queues: shared.queues,
      holdTimers: true,
      random: Math.random,
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_PORT: String(await freePort()),
        SLACK_API_URL: recorder.apiUrl.replace(/\/$/, ''),
        CONTENT_DIR: COURSE_CONTENT,
        CLICKS_PER_MINUTE: '1000',
      },
    });
    const adapter = new SlackAdapter({ router: app.router, config: app.config.slack!, logger: silentLogger });
    await app.attach(adapter);
    return {
      app,
      driver: new SlackDriver(adapter.url!, SIGNING_SECRET, recorder),
      timers: new TimerDriver(app.redisUrl, shared.queues.timers, clock),
    };
  }

  async function shutdown() {
    await bot?.timers.close();
    await bot?.app.stop();
    bot = undefined;
  }

  beforeAll(async () => {
    recorder = await SlackRecorder.start({ botToken: BOT_TOKEN, teamId: TEAM, users: [ada, bob, grace, eve] });
    // Timers run on the manual clock, so Slack's rate limits are measured on it too.
    recorder.clock = () => clock.now();
  });
  afterAll(async () => {
    await shutdown();
    await recorder?.close();
    rmSync(shared.dir, { recursive: true, force: true });
  });

  /** The latest version of a message (its post or its last chat.update). */
  const current = (ts: string) => [...recorder.visible].reverse().find((v) => v.ts === ts && v.channel === CHANNEL)!;
  const questionPost = (n: number, of: number) =>
    [...recorder.visible]
      .reverse()
      .find((v) => v.via === 'chat.postMessage' && v.channel === CHANNEL && shown(v).startsWith(`Round — question ${n} of ${of}`));

  async function answer(user: typeof ada, q: Visible, label: RegExp): Promise<string> {
    const sent = await bot!.driver.click(user, current(q.ts), label);
    const reply = await recorder.waitForVisible('the answer', (v) => v.via === 'response_url' && v.url === sent.responseUrl);
    expect(reply.ephemeral).toBe(true);
    return shown(reply);
  }

  it('a ten-question round end to end, with the bot restarted in the middle', async () => {
    bot = await boot();
    const started = await bot.driver.command(ada, 'round questions:10 seconds:20', CHANNEL);
    const intro = await recorder.waitForVisible('the round', (v) => v.via === 'response_url' && v.url === started.responseUrl);
    expect(shown(intro)).toContain('10 questions, 20 s each');
    expect(buttonLabels(intro.blocks)).toEqual(['Stop the round']);

    for (let n = 1; n <= 10; n++) {
      await bot.timers.drainUntil('round-ask');
      const q = questionPost(n, 10);
      if (!q) throw new Error(`question ${n} was not posted`);
      // Round questions have no Reveal button: the timer reveals them.
      expect(buttonLabels(q.blocks)).toEqual(['A', 'B', 'C', 'D']);
      const { right, wrong } = answerLabels(bot.app.services, q.blocks);
      clock.advance(700);
      expect(await answer(bob, q, wrong[0]!)).toContain('Locked in');
      clock.advance(1100);
      expect(await answer(ada, q, right)).toContain('Locked in');
      clock.advance(2000);
      expect(await answer(bob, q, right)).toContain('Changed to');
      if (n === 6) {
        await shutdown();
        bot = await boot();
      }
      await bot.timers.drainUntil('round-reveal');
      const revealed = current(q.ts);
      expect(revealed.via).toBe('chat.update');
      expect(shown(revealed)).toContain(`Round — question ${n} of 10, revealed`);
      expect(shown(revealed)).toContain('2 (100%)');
      expect(shown(revealed)).toContain('First right: Ada after 1.8 s');
      expect(buttonLabels(revealed.blocks)).toEqual([]);
      if (n % 3 === 0)
        expect(recorder.visible.some((v) => v.channel === CHANNEL && shown(v).startsWith(`Standings after ${n} questions`))).toBe(true);
    }
    await bot.timers.drain();
    const podium = [...recorder.visible].reverse().find((v) => v.channel === CHANNEL && v.via === 'chat.postMessage')!;
    expect(shown(podium)).toMatch(/^🏁 Round over/);
    expect(shown(podium)).toMatch(/🥇 Ada — \d+ points\n🥈 Bob Smith — \d+ points/);
    expect(recorder.rateLimited).toEqual([]);
  });

  it('the starter or an admin stops a round; anyone else is told why not', async () => {
    bot ??= await boot();
    const started = await bot.driver.command(eve, 'round', CHANNEL);
    const intro = await recorder.waitForVisible('the round', (v) => v.via === 'response_url' && v.url === started.responseUrl);
    await bot.timers.drainUntil('round-ask');
    const refused = await bot.driver.click(bob, intro, 'Stop the round');
    expect(shown(await recorder.waitForVisible('the refusal', (v) => v.via === 'response_url' && v.url === refused.responseUrl))).toContain(
      'Only the learner who started this round, or an admin, can stop it.',
    );
    const stopped = await bot.driver.command(grace, 'round stop', CHANNEL);
    expect(shown(await recorder.waitForVisible('the stop', (v) => v.via === 'response_url' && v.url === stopped.responseUrl))).toContain(
      'The round is stopped',
    );
    const last = [...recorder.visible].reverse().find((v) => v.channel === CHANNEL && v.via === 'chat.postMessage')!;
    expect(shown(last)).toMatch(/^⏹️ Round stopped/);
    expect(recorder.rateLimited).toEqual([]);
  });
});

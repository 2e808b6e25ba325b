import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError, type UserError, RateLimitError } from '../../src/chat/errors.js';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { workspaceKey } from '../../src/chat/context.js';
import { loadConfig } from '../../src/config.js';
import { users } from '../../src/db/schema.js';
import { enterLearner, getUser } from '../../src/learning/users.js';
import { silentLogger } from '../../src/logger.js';
import { redisConnectionOptions } from '../../src/infra/redis.js';
import { listRunners, startRunner, type Runner } from '../../src/runner/index.js';
import type { GradeResult, RunResult } from '../../src/contract/code-runs.js';
import { decodeUpload } from '../../src/runs/validate.js';
import { chatContext, createTestApp, FIXTURE_CONTENT, ManualClock, sandboxEnv, submitAs, type TestApp } from '../support/app.js';
import { dispatchText } from '../support/dispatch.js';
import { RecordingSender } from '../support/recorder.js';
import { testRedis, testRedisUrl, uniqueName } from '../support/redis.js';

/** A code runner on the real Docker engine serving `queue`, as `studybot worker` would. */
async function runnerFor(queue: string, env: Record<string, string> = {}): Promise<Runner> {
  const config = loadConfig({ REDIS_URL: testRedisUrl(), CONTENT_DIR: FIXTURE_CONTENT, SANDBOX_POOL_SIZE: '1', ...sandboxEnv(), ...env });
  const runner = await startRunner({ config, logger: silentLogger, redisUrl: testRedisUrl(), queueName: queue, heartbeatIntervalMs: 200 });
  // startRunner returns once its first heartbeat is in Redis.
  const redis = testRedis();
  try {
    expect((await listRunners(redis, queue)).map((r) => r.id)).toContain(runner.id);
  } finally {
    redis.disconnect();
  }
  return runner;
}

async function attachRecorder(app: TestApp): Promise<RecordingSender> {
  const sender = new RecordingSender();
  await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  return sender;
}

describe('code runs: a pass sent before midnight and graded after it', () => {
  it("counts for the day it was sent: yesterday's streak goes on", async () => {
    const clock = new ManualClock(Date.parse('2026-03-09T23:59:50Z'));
    const app = await createTestApp({ clock });
    const runner = await runnerFor(app.queues.runs);
    try {
      await attachRecorder(app);
      const ctx = chatContext({ userId: 'lin', userName: 'Lin' });
      const ws = workspaceKey(ctx);
      enterLearner(app.services.db, { ws, userId: ctx.userId, name: ctx.userName }, clock.now(), 'UTC');
      // Three days in a row up to the 8th; the 9th's only work is this pass, sent at 23:59:50.
      app.services.db
        .update(users)
        .set({ currentStreak: 3, longestStreak: 3, lastActiveDay: '2026-03-08', lastActiveAt: Date.parse('2026-03-08T12:00:00Z') })
        .where(and(eq(users.workspace, ws), eq(users.userId, ctx.userId)))
        .run();
      const { submission } = await submitAs(app, ctx, {
        kind: 'grade',
        challenge: app.services.content.challengeById.get('add-two')!,
        code: 'def add(a, b):\n    return a + b\n',
      });
      // The grade comes back after midnight.
      clock.t = Date.parse('2026-03-10T00:00:05Z');
      expect(await app.runs.waitFor(submission.id)).toMatchObject({ passed: true, streakDays: 4 });
      expect(getUser(app.services.db, ws, ctx.userId)).toMatchObject({ currentStreak: 4, lastActiveDay: '2026-03-09' });
    } finally {
      await runner.close();
      await app.stop();
    }
  });
});

describe('code runs: the bot side', () => {
  let app: TestApp;
  let sender: RecordingSender;
  let runner: Runner;

  beforeAll(async () => {
    app = await createTestApp({ env: { RUNS_PER_MINUTE: '3', CODE_MAX_BYTES: '200' } });
    sender = await attachRecorder(app);
    runner = await runnerFor(app.queues.runs);
  });
  afterAll(async () => {
    await runner.close();
    await app.stop();
  });

  it('runs a snippet and posts its result once, replacing the “queued” reply', async () => {
    const ctx = chatContext({ userId: 'ada' });
    const { submission, position } = await submitAs(app, ctx, { kind: 'run', code: 'print(6 * 7)' });
    expect(position).toBeGreaterThanOrEqual(1);
    const done = await app.runs.waitFor(submission.id);
    expect(done.status).toBe('done');
    const result = JSON.parse(done.result!) as RunResult;
    expect(result).toMatchObject({ kind: 'run', status: 'ok', stdout: '42\n', exitCode: 0 });
    await sender.waitFor(1);
    expect(sender.posts).toHaveLength(1);
    expect(sender.posts[0]).toMatchObject({ replaceOriginal: true, to: { platform: 'terminal', channelId: 'general', userId: 'ada' } });
    expect(sender.posts[0]!.text).toMatch(/Finished\*\* in \d+(?:\.\d+)? m?s \(exit code 0\)[\s\S]*1 │ 42/);
    // A second look (the periodic reconciliation) stores and posts nothing more.
    await app.runs.reconcile();
    expect(sender.posts).toHaveLength(1);
  });

  it('grades a challenge, awards its points once, and never twice for a second pass', async () => {
    const ctx = chatContext({ userId: 'grace' });
    const solve = async () => {
      const { submission } = await submitAs(app, ctx, {
        kind: 'grade',
        challenge: app.services.content.challengeById.get('add-two')!,
        code: 'def add(a, b):\n    return a + b\n',
      });
      return app.runs.waitFor(submission.id);
    };
    const first = await solve();
    expect(first).toMatchObject({ passed: true, pointsAwarded: 20, streakDays: 1 });
    expect((JSON.parse(first.result!) as GradeResult).cases.map((c) => c.passed)).toEqual([true, true, true]);
    const again = await solve();
    expect(again).toMatchObject({ passed: true, pointsAwarded: 0 });
    await sender.waitFor(3);
    expect(sender.posts.at(-1)!.text).toMatch(/All 3 tests passed!\*\* \(you had already solved it, so no new points\)/);
  });

  it('a pass that makes the seventh day in a row is announced in the channel, by name', async () => {
    const ctx = chatContext({ userId: 'hedy', userName: 'Hedy' });
    const now = app.services.clock.now();
    enterLearner(app.services.db, { ws: workspaceKey(ctx), userId: ctx.userId, name: ctx.userName }, now, 'UTC');
    // Six days in a row up to yesterday (UTC).
    const yesterday = DateTime.fromMillis(now, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;
    app.services.db
      .update(users)
      .set({ currentStreak: 6, longestStreak: 6, lastActiveDay: yesterday, lastActiveAt: now - 86_400_000 })
      .where(and(eq(users.workspace, workspaceKey(ctx)), eq(users.userId, ctx.userId)))
      .run();
    const before = sender.posts.length;
    const { submission } = await submitAs(app, ctx, {
      kind: 'grade',
      challenge: app.services.content.challengeById.get('add-two')!,
      code: 'def add(a, b):\n    return a + b\n',
    });
    expect(await app.runs.waitFor(submission.id)).toMatchObject({ passed: true, streakDays: 7 });
    await sender.waitFor(before + 2);
    const announced = sender.posts.slice(before).find((p) => p.message.title === 'Streak milestone');
    expect(announced?.text).toMatch(/Hedy\*\* has studied 7 days in a row/);
    expect(announced?.to).toMatchObject({ platform: 'terminal', channelId: 'general' });
  });

  it('refuses bad code before anything is stored or queued', async () => {
    const ctx = chatContext({ userId: 'bad' });
    await expect(submitAs(app, ctx, { kind: 'run', code: '   \n' })).rejects.toThrow('Your code is empty.');
    await expect(submitAs(app, ctx, { kind: 'run', code: `print("${'x'.repeat(300)}")` })).rejects.toThrow(
      /Your code is 0\.3 KB; the limit is 0\.2 KB\./,
    );
    await expect(submitAs(app, ctx, { kind: 'run', code: 'print(1)\n\u0000\u0001' })).rejects.toThrow(
      'Your code contains a NUL byte on line 2, so it looks like binary data rather than Python source.',
    );
    expect(await dispatchText(app, ctx, '/submit nope x = 1')).toMatch(/There is no challenge "nope"\./);
    // The messages are Markdown: a file's name is escaped in them, so that it shows as typed.
    expect(() => decodeUpload({ name: 'a.py', data: Buffer.from([0x70, 0xff, 0xfe]) }, 1000)).toThrow(
      '"a\\.py" is not UTF-8 text (is it a binary file?).',
    );
    expect(() => decodeUpload({ name: 'notes.txt', data: Buffer.from('x') }, 1000)).toThrow('"notes\\.txt" is not a Python file.');
    expect(app.runs.pendingCount()).toBe(0);
  });

  it('allows one run in flight per user and a few per minute, saying how long to wait', async () => {
    const ctx = chatContext({ userId: 'hasty' });
    const first = await submitAs(app, ctx, { kind: 'run', code: 'import time; time.sleep(1)' });
    const second = await submitAs(app, ctx, { kind: 'run', code: 'print(2)' }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RateLimitError);
    expect((second as Error).message).toMatch(/You already have code running/);
    await app.runs.waitFor(first.submission.id);
    for (let i = 0; i < 2; i++) {
      const { submission } = await submitAs(app, ctx, { kind: 'run', code: 'print(1)' });
      await app.runs.waitFor(submission.id);
    }
    const fourth = await submitAs(app, ctx, { kind: 'run', code: 'print(4)' }).catch((e: unknown) => e);
    expect(fourth).toBeInstanceOf(RateLimitError);
    expect((fourth as Error).message).toMatch(/You have sent 3 runs in the last minute\. Try again in \d+ seconds?\./);
  });
});

describe('code runs: availability and restarts', () => {
  it('says “code runner unavailable” at once when no runner can reach Docker, and stores nothing', async () => {
    const app = await createTestApp();
    const runner = await runnerFor(app.queues.runs, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    try {
      const started = Date.now();
      const err = await submitAs(app, chatContext(), { kind: 'run', code: 'print(1)' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnavailableError);
      expect((err as UserError).message).toMatch(/The code runner is unavailable right now/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(app.runs.pendingCount()).toBe(0);
    } finally {
      await runner.close();
      await app.stop();
    }
  });

  it('delivers, exactly once, a result that finished while the bot was down', async () => {
    const queues = { runs: uniqueName('runs'), daily: uniqueName('daily') };
    const first = await createTestApp({ queues });
    const runner = await runnerFor(queues.runs);
    const dir = first.dir;
    try {
      const { submission } = await submitAs(first, chatContext({ userId: 'ada' }), {
        kind: 'run',
        code: 'import time; time.sleep(1.5); print("done while you were away")',
      });
      await first.close(); // the bot goes down with the run in flight
      const q = new Queue(queues.runs, { connection: redisConnectionOptions(testRedisUrl()) });
      for (let i = 0; i < 100 && (await (await Job.fromId(q, submission.id))?.getState()) !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await q.close();
      const second = await createTestApp({ queues, dir });
      try {
        const sender = await attachRecorder(second);
        await sender.waitFor(1);
        await second.runs.reconcile();
        await new Promise((r) => setTimeout(r, 300));
        expect(sender.posts).toHaveLength(1);
        expect(sender.posts[0]!.text).toMatch(/done while you were away/);
        expect(second.runs.get(submission.id)).toMatchObject({ status: 'done' });
      } finally {
        await second.stop();
      }
    } finally {
      await runner.close();
    }
  });
});

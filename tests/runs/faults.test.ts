import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { listRunners, startRunner, type Runner } from '../../src/runner/index.js';
import { chatContext, createTestApp, FIXTURE_CONTENT, sandboxEnv, submitAs, type TestApp } from '../support/app.js';
import { RecordingSender } from '../support/recorder.js';
import { testRedis, testRedisUrl, uniqueName } from '../support/redis.js';
import { Job, Queue } from 'bullmq';
import { redisConnectionOptions } from '../../src/infra/redis.js';
import { startPrivateRedis } from '../../src/infra/redis-server.js';
import { dockerThatComesAndGoes } from '../runner/helpers.js';
import type { PlatformRecord } from './fixtures/bot-process.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runnerFor(queue: string, env: Record<string, string> = {}): Promise<Runner> {
  const config = loadConfig({ REDIS_URL: testRedisUrl(), CONTENT_DIR: FIXTURE_CONTENT, SANDBOX_POOL_SIZE: '1', ...sandboxEnv(), ...env });
  const runner = await startRunner({ config, logger: silentLogger, redisUrl: testRedisUrl(), queueName: queue, heartbeatIntervalMs: 200 });
  cleanups.push(() => runner.close());
  return runner;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the fake platform's channel shows: each message by id, its last text, and whose it is. */
function channel(postsFile: string): Map<string, { user: string | undefined; text: string }> {
  const shown = new Map<string, { user: string | undefined; text: string }>();
  for (const line of readFileSync(postsFile, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as PlatformRecord;
    shown.set(r.id, { user: shown.get(r.id)?.user ?? r.user, text: r.text });
  }
  return shown;
}

describe('a bot killed while it posts results', () => {
  it('posts every result after its restart, each once, in the learner’s own reply', async () => {
    const queues = { runs: uniqueName('runs'), daily: uniqueName('daily'), timers: uniqueName('timers') };
    const dir = mkdtempSync(path.join(tmpdir(), 'studybot-bot-kill-'));
    const posts = path.join(dir, 'platform.jsonl');
    writeFileSync(posts, '');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await runnerFor(queues.runs, { RUNNER_CONCURRENCY: '2' });

    const learners = 10;
    const bot = (submit: number): Promise<{ child: ChildProcess; ids: string[] }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/runs/fixtures/bot-process.ts')], {
        cwd: repoRoot,
        env: {
          ...process.env,
          REDIS_URL: testRedisUrl(),
          DATA_DIR: dir,
          CONTENT_DIR: FIXTURE_CONTENT,
          RUNS_QUEUE: queues.runs,
          DAILY_QUEUE: queues.daily,
          TIMERS_QUEUE: queues.timers,
          POSTS: posts,
          POST_MS: '800',
          SUBMIT: String(submit),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      cleanups.push(() => child.kill('SIGKILL'));
      const ids: string[] = [];
      return new Promise((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          for (const m of out.matchAll(/submitted (\S+)\n/g)) if (!ids.includes(m[1]!)) ids.push(m[1]!);
          if (out.includes('ready\n')) resolve({ child, ids });
        });
        child.on('exit', (code) => reject(new Error(`bot process exited early (${code})`)));
      });
    };

    const first = await bot(learners);
    expect(first.ids).toHaveLength(learners);
    // Killed once some results are on the platform and others are being posted (800 ms each).
    await until(() => channel(posts).size >= 2, 60_000, 'the first posts');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const beforeRestart = channel(posts).size;
    expect(beforeRestart).toBeLessThan(learners);

    await bot(0);
    const resultOf = (u: string) => new RegExp(`result of ${u}: ${Number(u.slice(1)) * 7}\\b`);
    const allShown = () => {
      const shown = channel(posts);
      return Array.from({ length: learners }, (_, i) => `u${i + 1}`).every((u) => resultOf(u).test(shown.get(`reply-${u}`)?.text ?? ''));
    };
    await until(allShown, 90_000, 'every learner’s result');
    await new Promise((r) => setTimeout(r, 3_000)); // room for a duplicate to show up

    const shown = channel(posts);
    for (let i = 1; i <= learners; i++) {
      const u = `u${i}`;
      // Exactly one message for the learner: their own reply, showing their own result.
      expect([...shown].filter(([, m]) => m.user === u).map(([id]) => id)).toEqual([`reply-${u}`]);
      expect(shown.get(`reply-${u}`)!.text).toMatch(resultOf(u));
    }
  }, 180_000);
});

describe('runners that cannot run code', () => {
  it('a runner without Docker beside a healthy one takes no work: every learner gets their result, no host path', async () => {
    const app = await createTestApp();
    cleanups.push(() => app.stop());
    const sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
    const broken = await runnerFor(app.queues.runs, { DOCKER_HOST: 'unix:///nonexistent/studybot-test/docker.sock', RUNNER_CONCURRENCY: '4' });
    const redis = testRedis();
    cleanups.push(() => redis.disconnect());
    await until(
      async () => (await listRunners(redis, app.queues.runs)).some((r) => r.id === broken.id && r.docker === 'down'),
      10_000,
      'docker down',
    );
    await runnerFor(app.queues.runs, { RUNNER_CONCURRENCY: '1' });

    const learners = 8;
    const ids: string[] = [];
    for (let i = 1; i <= learners; i++) {
      const { submission } = await submitAs(app, chatContext({ userId: `u${i}` }), { kind: 'run', code: `print(${i} * 7)` });
      ids.push(submission.id);
    }
    for (const [i, id] of ids.entries()) {
      const done = await app.runs.waitFor(id, 120_000);
      expect(done.status).toBe('done');
      expect(JSON.parse(done.result!)).toMatchObject({ kind: 'run', status: 'ok', stdout: `${(i + 1) * 7}\n` });
    }
    await sender.waitFor(learners);
    expect(sender.posts).toHaveLength(learners);
    for (const p of sender.posts) expect(p.text).not.toMatch(/sock|unix:|nonexistent|Docker|Error:/);
    expect(broken.worker.isPaused()).toBe(true);
  }, 180_000);
});

describe('a backlog longer than the result timeout', () => {
  let app: TestApp;
  it('keeps every queued run waiting with its place in the queue, then posts its real result over that notice', async () => {
    app = await createTestApp({ env: { RUN_RESULT_TIMEOUT_SECONDS: '5' } });
    cleanups.push(() => app.stop());
    const sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
    await runnerFor(app.queues.runs, { RUNNER_CONCURRENCY: '1' });

    const learners = 5;
    const ids: string[] = [];
    for (let i = 1; i <= learners; i++) {
      const code = `import time\ntime.sleep(4)\nprint("finished", ${i})`;
      const { submission } = await submitAs(app, chatContext({ userId: `u${i}` }), { kind: 'run', code });
      ids.push(submission.id);
    }
    // The last one waits about 16 s behind the others, three times the timeout.
    for (const [i, id] of ids.entries()) {
      const done = await app.runs.waitFor(id, 150_000);
      expect(done.status, `learner ${i + 1}`).toBe('done');
      expect(JSON.parse(done.result!)).toMatchObject({ status: 'ok', stdout: `finished ${i + 1}\n` });
    }
    await until(() => app.runs.get(ids.at(-1)!)?.deliveredAt !== null, 10_000, 'the last post');

    const last = `u${learners}`;
    const noticesOfLast = sender.posts.filter((p) => p.to.userId === last && /in the queue/.test(p.text));
    expect(noticesOfLast.length).toBeGreaterThan(0);
    expect(noticesOfLast[0]!.text).toMatch(/#\d in the queue/);
    expect(noticesOfLast[0]!.replaceOriginal).toBe(true);
    // The result replaced the notice (an edit of the message the notice went to), and nothing said "failed".
    const edited = sender.edits.filter((e) => e.posted.messageId === noticesOfLast[0]!.messageId).map((e) => e.text);
    expect(edited.at(-1)).toMatch(new RegExp(`finished ${learners}`));
    for (const text of [...sender.posts.map((p) => p.text), ...sender.edits.map((e) => e.text)])
      expect(text).not.toMatch(/unavailable|could not be run|in time/);
  }, 180_000);
});

describe('no healthy runner left', () => {
  it('tells waiting learners at once, and cancels their runs, saying so, only after the timeout', async () => {
    const app = await createTestApp({ env: { RUN_RESULT_TIMEOUT_SECONDS: '5' } });
    cleanups.push(() => app.stop());
    const sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
    const dir = mkdtempSync(path.join(tmpdir(), 'studybot-flaky-docker-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const socket = path.join(dir, 'docker.sock');
    const docker = await dockerThatComesAndGoes(socket);
    cleanups.push(() => docker.stop());
    const runner = await runnerFor(app.queues.runs, { DOCKER_HOST: `unix://${socket}`, RUNNER_CONCURRENCY: '1' });

    const first = await submitAs(app, chatContext({ userId: 'u1' }), { kind: 'run', code: 'import time\ntime.sleep(4)\nprint(1)' });
    const queue = new Queue(app.queues.runs, { connection: redisConnectionOptions(testRedisUrl()) });
    cleanups.push(() => queue.close());
    await until(async () => (await (await Job.fromId(queue, first.submission.id))?.getState()) === 'active', 30_000, 'the first run to start');
    const { submission } = await submitAs(app, chatContext({ userId: 'u2' }), { kind: 'run', code: 'print(2)' });
    await docker.stop();
    await until(() => runner.worker.isPaused(), 10_000, 'the runner to pause');

    await until(
      () => app.runs.get(submission.id)?.status === 'failed' && app.runs.get(submission.id)?.deliveredAt !== null,
      60_000,
      'the cancellation',
    );
    const shown = [...sender.posts.filter((p) => p.to.userId === 'u2').map((p) => p.text), ...sender.edits.map((e) => e.text)];
    const told = shown.findIndex((t) => /No code runner is available right now/.test(t));
    const cancelled = shown.findIndex((t) => /so it was cancelled/.test(t));
    expect(told).toBeGreaterThanOrEqual(0);
    expect(cancelled).toBeGreaterThan(told);
    expect(await Job.fromId(queue, submission.id)).toBeUndefined();

    // Docker returns: a cancelled run stays cancelled and nothing more is posted about it.
    await docker.start();
    await until(() => !runner.worker.isPaused(), 10_000, 'the runner to resume');
    const postsBefore = sender.posts.length + sender.edits.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(app.runs.get(submission.id)?.status).toBe('failed');
    expect(sender.posts.length + sender.edits.length).toBe(postsBefore);
  }, 120_000);
});

describe('Redis restarted with runs queued and running', () => {
  it('every learner still gets exactly one post, with their own program’s output', async () => {
    // A Redis of this test's own, with its append-only file, so it can be stopped and started again.
    const redisDir = mkdtempSync(path.join(tmpdir(), 'studybot-redis-restart-'));
    cleanups.push(() => rmSync(redisDir, { recursive: true, force: true }));
    let redis = await startPrivateRedis(redisDir);
    cleanups.push(() => redis.stop());
    const url = redis.url;

    const app = await createTestApp({ env: { REDIS_URL: url } });
    cleanups.push(() => app.stop());
    const sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
    const config = loadConfig({ REDIS_URL: url, CONTENT_DIR: FIXTURE_CONTENT, SANDBOX_POOL_SIZE: '1', RUNNER_CONCURRENCY: '1', ...sandboxEnv() });
    const runner = await startRunner({ config, logger: silentLogger, redisUrl: url, queueName: app.queues.runs, heartbeatIntervalMs: 200 });
    cleanups.push(() => runner.close());

    const learners = 4;
    const ids: string[] = [];
    for (let i = 1; i <= learners; i++) {
      const code = `import time\ntime.sleep(2)\nprint("finished", ${i} * 11)`;
      const { submission } = await submitAs(app, chatContext({ userId: `u${i}` }), { kind: 'run', code });
      ids.push(submission.id);
    }
    const queue = new Queue(app.queues.runs, { connection: redisConnectionOptions(url) });
    await until(async () => (await (await Job.fromId(queue, ids[0]!))?.getState()) === 'active', 30_000, 'the first run to start');
    await queue.close();

    // Redis goes away while one run is running and three wait, and comes back on the same socket.
    const before = redis.pid;
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    redis = await startPrivateRedis(redisDir);
    expect(redis.url).toBe(url);
    expect(redis.pid).not.toBe(before);

    for (const [i, id] of ids.entries()) {
      const done = await app.runs.waitFor(id, 150_000);
      expect(done.status, `learner ${i + 1}`).toBe('done');
      expect(JSON.parse(done.result!)).toMatchObject({ kind: 'run', status: 'ok', stdout: `finished ${(i + 1) * 11}\n` });
    }
    await until(() => ids.every((id) => app.runs.get(id)?.deliveredAt !== null), 30_000, 'every post');
    // Exactly one result message per learner, showing their output, and nothing that says it failed.
    for (let i = 1; i <= learners; i++) {
      const results = sender.posts.filter((p) => p.to.userId === `u${i}` && /finished/.test(p.text));
      const edited = sender.edits.filter((e) => sender.posts.some((p) => p.messageId === e.posted.messageId && p.to.userId === `u${i}`));
      const shown = [...results.map((p) => p.text), ...edited.map((e) => e.text)].filter((t) => /finished/.test(t));
      expect(new Set(shown.map((t) => t.match(/finished \d+/)?.[0])), `learner ${i}`).toEqual(new Set([`finished ${i * 11}`]));
      expect(results.length, `learner ${i}: result posts`).toBeLessThanOrEqual(1);
    }
    for (const text of [...sender.posts.map((p) => p.text), ...sender.edits.map((e) => e.text)])
      expect(text).not.toMatch(/unavailable|could not be run|in time|failed/i);
  }, 240_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../src/infra/redis-server.js';
import { FIXTURE_CONTENT, sandboxEnv } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { ensureSandboxImage } from '../runner/helpers.js';
import { freePort, get, sample, startCli, waitForHttp, type Running } from './processes.js';

/**
 * HEALTH_PORT on the two long-running processes, tried as an operator would: real processes, real
 * HTTP, a real Redis that is stopped under them, and a Docker engine that is not there.
 */
const dirs: string[] = [];
const running: Running[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop(5_000)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const readyz = async (port: number) => {
  const r = await get(port, '/readyz');
  return { status: r.status, body: JSON.parse(r.body) as { status: string; checks?: string[]; missing?: Record<string, string> } };
};

describe('the bot: HEALTH_PORT=… studybot start', { timeout: 240_000 }, () => {
  it('serves /healthz, /readyz and /metrics; counts a command and a run; turns unready with the reason when Redis stops', async () => {
    ensureSandboxImage();
    const redis = await startPrivateRedis(tempDir('studybot-health-redis-'), { persist: false });
    const port = await freePort();
    const bot = startCli(['start', '--user', 'ada'], {
      REDIS_URL: redis.url,
      DATA_DIR: tempDir('studybot-health-bot-'),
      CONTENT_DIR: FIXTURE_CONTENT,
      HEALTH_PORT: String(port),
      HEALTH_HOST: '127.0.0.1',
      RUNNER: 'true',
      SANDBOX_POOL_SIZE: '1',
      ...sandboxEnv(),
    });
    running.push(bot);
    try {
      await bot.waitFor(/terminal chat as ada/);
      await waitForHttp(port);

      expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}\n' });
      expect(await readyz(port)).toEqual({ status: 200, body: { status: 'ready', checks: ['redis', 'chat', 'docker', 'sandbox image'] } });
      const before = await get(port, '/metrics');
      expect(before.status).toBe(200);
      expect(before.type).toContain('text/plain; version=0.0.4');
      for (const name of ['studybot_runs_total', 'studybot_run_duration_seconds', 'studybot_queue_jobs', 'studybot_sandbox_pool_warm']) {
        expect(before.body).toContain(`# TYPE ${name} `);
      }
      expect(before.body).toContain('# TYPE studybot_interactions_total counter');
      expect(before.body).toContain('# TYPE studybot_interaction_duration_seconds histogram');

      bot.child.stdin.write('/streak\n');
      await bot.waitFor(/── ada's streak ──/);
      bot.child.stdin.write('/run print(6 * 7)\n');
      await bot.waitFor(/│ 1 │ 42/);

      const after = (await get(port, '/metrics')).body;
      const streak = { platform: 'terminal', command: 'streak' };
      expect(sample(after, 'studybot_interactions_total', streak) - sample(before.body, 'studybot_interactions_total', streak)).toBe(1);
      expect(sample(after, 'studybot_interaction_duration_seconds_count', { platform: 'terminal' })).toBeGreaterThanOrEqual(2);
      expect(sample(after, 'studybot_runs_total', { status: 'ok' }) - sample(before.body, 'studybot_runs_total', { status: 'ok' })).toBe(1);
      expect(sample(after, 'studybot_run_duration_seconds_count', { kind: 'run' })).toBe(1);
      expect(sample(after, 'studybot_run_duration_seconds_sum', { kind: 'run' })).toBeGreaterThan(0);
      expect(sample(after, 'studybot_queue_jobs', { state: 'completed' })).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'studybot_queue_jobs', { state: 'waiting' })).toBe(0);
      // The pool refills after the run: one warm container waits for the next.
      await expect.poll(async () => sample((await get(port, '/metrics')).body, 'studybot_sandbox_pool_warm'), { timeout: 30_000 }).toBe(1);

      await redis.stop();
      const down = await readyz(port);
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');
      expect(down.body.missing?.redis).toMatch(/^Redis at unix:\/\/.*redis\.sock does not answer/);
      // Still alive: liveness is not readiness.
      expect((await get(port, '/healthz')).status).toBe(200);
    } finally {
      await bot.stop(5_000);
      await redis.stop();
    }
  });
});

describe('a runner: HEALTH_PORT=… studybot worker', { timeout: 240_000 }, () => {
  it('serves the three endpoints and counts the runs it carries out', async () => {
    ensureSandboxImage();
    const redis = await startPrivateRedis(tempDir('studybot-health-redis-'), { persist: false });
    const port = await freePort();
    const worker = startCli(['worker'], {
      REDIS_URL: redis.url,
      HEALTH_PORT: String(port),
      HEALTH_HOST: '127.0.0.1',
      SANDBOX_POOL_SIZE: '1',
      ...sandboxEnv(),
    });
    running.push(worker);
    try {
      await worker.waitFor(/"msg":"runner started"/);
      await waitForHttp(port);
      expect((await get(port, '/healthz')).status).toBe(200);
      expect(await readyz(port)).toEqual({ status: 200, body: { status: 'ready', checks: ['redis', 'docker', 'sandbox image'] } });
      const before = (await get(port, '/metrics')).body;
      expect(before).toContain('# TYPE studybot_interactions_total counter');

      // A one-shot run with no runner of its own: the worker above carries it out.
      const dir = tempDir('studybot-health-run-');
      const file = path.join(dir, 'hello.py');
      writeFileSync(file, 'print("from the worker")\n');
      const r = await runCli(['run', file], { env: { REDIS_URL: redis.url, DATA_DIR: dir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false' } });
      expect(r.stdout).toContain('from the worker');
      expect(r.code).toBe(0);

      const after = (await get(port, '/metrics')).body;
      expect(sample(after, 'studybot_runs_total', { status: 'ok' }) - sample(before, 'studybot_runs_total', { status: 'ok' })).toBe(1);
      expect(sample(after, 'studybot_run_duration_seconds_count', { kind: 'run' })).toBe(1);
      expect(sample(after, 'studybot_queue_jobs', { state: 'completed' })).toBe(1);
      expect(sample(after, 'studybot_queue_jobs', { state: 'active' })).toBe(0);
      expect(after).toMatch(/^studybot_process_resident_memory_bytes \d+/m);
    } finally {
      await worker.stop();
      await redis.stop();
    }
  });

  it('is unready, naming Docker and the image, when the Docker engine is unreachable', async () => {
    const redis = await startPrivateRedis(tempDir('studybot-health-redis-'), { persist: false });
    const port = await freePort();
    const socket = path.join(tempDir('studybot-no-docker-'), 'docker.sock');
    const worker = startCli(['worker'], {
      REDIS_URL: redis.url,
      HEALTH_PORT: String(port),
      HEALTH_HOST: '127.0.0.1',
      DOCKER_HOST: `unix://${socket}`,
      SANDBOX_POOL_SIZE: '0',
    });
    running.push(worker);
    try {
      await waitForHttp(port);
      expect((await get(port, '/healthz')).status).toBe(200);
      const r = await readyz(port);
      expect(r.status).toBe(503);
      expect(r.body.missing).toEqual({
        docker: `the Docker engine at ${socket} does not answer`,
        'sandbox image': expect.stringContaining('the Docker engine does not answer'),
      });
      expect(r.body.missing).not.toHaveProperty('redis');
    } finally {
      await worker.stop();
      await redis.stop();
    }
  });

  it('says which port is taken instead of starting half-way', async () => {
    const redis = await startPrivateRedis(tempDir('studybot-health-redis-'), { persist: false });
    const port = await freePort();
    const first = startCli(['worker'], { REDIS_URL: redis.url, HEALTH_PORT: String(port), HEALTH_HOST: '127.0.0.1', SANDBOX_POOL_SIZE: '0' });
    running.push(first);
    try {
      await waitForHttp(port);
      const second = await runCli(['worker'], {
        env: { REDIS_URL: redis.url, HEALTH_PORT: String(port), HEALTH_HOST: '127.0.0.1', SANDBOX_POOL_SIZE: '0' },
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`HEALTH_PORT ${port} is already in use: choose another port`);
    } finally {
      await first.stop();
      await redis.stop();
    }
  });

  it('keeps working when nobody reads its stdout any more, logging to stderr from then on', async () => {
    const redis = await startPrivateRedis(tempDir('studybot-health-redis-'), { persist: false });
    const port = await freePort();
    const worker = startCli(['worker'], {
      REDIS_URL: redis.url,
      HEALTH_PORT: String(port),
      HEALTH_HOST: '127.0.0.1',
      SANDBOX_POOL_SIZE: '0',
      LOG_LEVEL: 'info',
    });
    running.push(worker);
    try {
      await worker.waitFor(/"msg":"runner started"/);
      // `studybot worker | head -1` once head has its line.
      worker.child.stdout.destroy();
      expect((await get(port, '/healthz')).status).toBe(200);
      // Shutting down logs a line: it meets the closed pipe, and the runner still stops cleanly.
      expect(await worker.stop()).toBe(0);
      expect(worker.stderr()).toContain('stdout was closed: logging to stderr from now on');
      expect(worker.stderr()).toContain('"msg":"runner stopped"');
      expect(worker.stderr()).not.toContain('EPIPE');
    } finally {
      await worker.stop();
      await redis.stop();
    }
  });
});

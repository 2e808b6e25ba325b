import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { sandboxEnv } from '../support/app.js';
import {
  DEPLOYMENT_LABEL,
  DockerUnavailableError,
  deploymentId,
  heartbeatKey,
  createSandbox,
  listRunners,
  RUNNER_LABEL,
  SANDBOX_LABEL,
  startRunner,
  type Runner,
} from '../../src/runner/index.js';
import { CONTROL_TIMEOUT_MS } from '../../src/runner/docker-client.js';
import type { RunJobData, RunJobResult } from '../../src/contract/code-runs.js';
import { testRedis, testRedisUrl, uniqueName } from '../support/redis.js';
import {
  asGrade,
  asRun,
  containersOf,
  dockerThatComesAndGoes,
  ensureSandboxImage,
  gradeJob,
  removeContainersOf,
  repoRoot,
  runJob,
  testSettings,
} from './helpers.js';

let redis: Redis;
let deadSocketDir: string;
const cleanups: Array<() => Promise<unknown> | undefined> = [];

beforeAll(() => {
  ensureSandboxImage();
  redis = testRedis();
  deadSocketDir = mkdtempSync(path.join(tmpdir(), 'studybot-dead-docker-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  redis.disconnect();
  rmSync(deadSocketDir, { recursive: true, force: true });
});

function testConfig(runner: Partial<Config['runner']> = {}): Config {
  const config = loadConfig({ REDIS_URL: testRedisUrl(), ...sandboxEnv() });
  return { ...config, runner: { ...testSettings(), poolSize: 1, concurrency: 2, ...runner } };
}

async function queueFor(name: string) {
  const queue = new Queue<RunJobData, RunJobResult>(name, { connection: testRedis() });
  const events = new QueueEvents(name, { connection: testRedis() });
  await events.waitUntilReady();
  cleanups.push(async () => {
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
  return { queue, events };
}

async function runner(
  options: Partial<Parameters<typeof startRunner>[0]> & { queueName: string },
  settings: Partial<Config['runner']> = {},
): Promise<Runner> {
  const r = await startRunner({ config: testConfig(settings), logger: silentLogger, redisUrl: testRedisUrl(), ...options });
  cleanups.push(async () => {
    await r.close();
    expect(await containersOf(r.id)).toEqual([]);
  });
  return r;
}

const add = (queue: Queue<RunJobData, RunJobResult>, data: RunJobData, attempts = 1) =>
  queue.add(data.kind, data, { jobId: data.submissionId, attempts, removeOnComplete: false });

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function deadDockerHost(): string {
  return `unix://${path.join(deadSocketDir, 'missing.sock')}`;
}

describe('runner on a real queue', () => {
  it('returns run and grade results as the job return value', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    await runner({ queueName: name });
    const run = await add(queue, runJob('print(input()[::-1])', { stdin: 'abc' }));
    const grade = await add(
      queue,
      gradeJob('call', 'def f(x):\n    return x + 1', [
        { call: 'f(1)', expected: '2' },
        { call: 'f(2)', expected: '4', hidden: true },
      ]),
    );
    const progress: unknown[] = [];
    events.on('progress', ({ jobId, data }) => jobId === grade.id && progress.push(data));
    expect(asRun(await run.waitUntilFinished(events, 30_000))).toMatchObject({ status: 'ok', stdout: 'cba\n', submissionId: run.id });
    const g = asGrade(await grade.waitUntilFinished(events, 30_000));
    expect(g.cases.map((c) => c.status)).toEqual(['ok', 'wrong']);
    expect(g.passed).toBe(false);
    await waitFor(() => progress.length === 2, 2_000, 'progress events');
    expect(progress).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
  });

  it('fails malformed jobs without retrying them', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    await runner({ queueName: name });
    const job = await queue.add('run', { kind: 'run', submissionId: 'bad-1' } as unknown as RunJobData, { jobId: 'bad-1', attempts: 3 });
    await expect(job.waitUntilFinished(events, 15_000)).rejects.toThrow(/invalid run job/);
    expect((await Job.fromId(queue, 'bad-1'))!.attemptsMade).toBe(1);
  });

  it('announces itself with a heartbeat and leaves the list on close', async () => {
    const name = uniqueName('runs');
    const r = await startRunner({
      config: testConfig({ concurrency: 3, poolSize: 1 }),
      logger: silentLogger,
      redisUrl: testRedisUrl(),
      queueName: name,
    });
    try {
      await waitFor(async () => (await listRunners(redis, name)).some((h) => h.id === r.id), 5_000, 'heartbeat');
      const entry = (await listRunners(redis, name)).find((h) => h.id === r.id)!;
      expect(entry).toMatchObject({ id: r.id, docker: 'ok', concurrency: 3, poolSize: 1 });
      expect(entry.host).toBeTruthy();
      expect(Date.now() - entry.at).toBeLessThan(10_000);
      const ttl = await redis.ttl(heartbeatKey(name, r.id));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(15);
    } finally {
      await r.close();
    }
    expect((await listRunners(redis, name)).some((h) => h.id === r.id)).toBe(false);
    expect(await containersOf(r.id)).toEqual([]);
  });
});

// Failing fast means well before a Docker call would have given up on its own (CONTROL_TIMEOUT_MS):
// that is what a hang looks like, and the bound leaves a busy machine plenty of room below it.
describe('Docker unreachable', () => {
  it('a sandbox fails fast instead of hanging', async () => {
    const sandbox = createSandbox(testSettings({ dockerHost: deadDockerHost(), poolSize: 2 }), silentLogger);
    try {
      const begun = performance.now();
      await expect(sandbox.run(runJob('print(1)'))).rejects.toBeInstanceOf(DockerUnavailableError);
      await expect(sandbox.run(runJob('print(1)'))).rejects.toBeInstanceOf(DockerUnavailableError);
      expect(performance.now() - begun).toBeLessThan(CONTROL_TIMEOUT_MS);
      expect(await sandbox.ping()).toBe(false);
      expect(sandbox.docker).toBe('down');
    } finally {
      await sandbox.close();
    }
  });

  it('an engine that accepts connections but never answers is down within seconds', async () => {
    const socket = path.join(deadSocketDir, 'silent.sock');
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    const sandbox = createSandbox(testSettings({ dockerHost: `unix://${socket}`, poolSize: 0 }), silentLogger);
    try {
      const begun = performance.now();
      expect(await sandbox.ping()).toBe(false);
      await expect(sandbox.run(runJob('print(1)'))).rejects.toBeInstanceOf(DockerUnavailableError);
      expect(performance.now() - begun).toBeLessThan(CONTROL_TIMEOUT_MS);
    } finally {
      await sandbox.close();
      silent.close();
    }
  });

  it('a runner reports docker down and takes no jobs: they wait for a runner that can run them', async () => {
    const name = uniqueName('runs');
    const { queue } = await queueFor(name);
    const r = await runner({ queueName: name, heartbeatIntervalMs: 500 }, { dockerHost: deadDockerHost() });
    // Queued before the first ping can tell: taken, found unrunnable, given back uncounted.
    const early = await add(queue, runJob('print(1)'), 1);
    await waitFor(async () => (await listRunners(redis, name)).some((h) => h.id === r.id && h.docker === 'down'), 5_000, 'docker down heartbeat');
    await waitFor(() => r.worker.isPaused(), 5_000, 'the runner to pause');
    const late = await add(queue, runJob('print(2)'), 1);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const job of [early, late]) {
      expect(await job.getState()).toBe('waiting');
      expect((await Job.fromId(queue, job.id!))!.attemptsMade).toBe(0);
    }
  });
});

describe('a runner whose Docker goes away', () => {
  it('pauses without failing jobs, and resumes when Docker is back', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    const docker = await dockerThatComesAndGoes(path.join(deadSocketDir, 'flaky.sock'));
    cleanups.push(() => docker.stop());
    const r = await runner(
      { queueName: name, heartbeatIntervalMs: 300 },
      { dockerHost: `unix://${path.join(deadSocketDir, 'flaky.sock')}`, concurrency: 1 },
    );
    expect(asRun(await (await add(queue, runJob('print("before")'))).waitUntilFinished(events, 30_000))).toMatchObject({ stdout: 'before\n' });

    await docker.stop();
    await waitFor(() => r.worker.isPaused(), 10_000, 'the runner to pause');
    // With one attempt allowed, a job taken and failed would be lost: it must wait instead.
    const job = await add(queue, runJob('print("after")'), 1);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await job.getState()).toBe('waiting');
    expect((await Job.fromId(queue, job.id!))!.attemptsMade).toBe(0);

    await docker.start();
    expect(asRun(await job.waitUntilFinished(events, 60_000))).toMatchObject({ status: 'ok', stdout: 'after\n' });
    expect(r.worker.isPaused()).toBe(false);
    expect((await Job.fromId(queue, job.id!))!.attemptsMade).toBe(1);
  }, 120_000);
});

describe('leftover containers', () => {
  it('a runner removes its own and its deployment’s dead runners’ stopped containers, and nobody else’s', async () => {
    const name = uniqueName('runs');
    const me = uniqueName('runner-me');
    const dead = uniqueName('runner-dead');
    const live = uniqueName('runner-live');
    const ours = deploymentId(testRedisUrl(), name);
    const theirs = deploymentId('redis://elsewhere.example:6379/0', name);
    // A live runner of this deployment, known by its heartbeat only.
    await redis.set(heartbeatKey(name, live), JSON.stringify({ id: live, docker: 'ok' }), 'EX', 60);
    const image = testSettings().image;
    const make = async (labels: Record<string, string>): Promise<string> => {
      const flags = Object.entries({ [SANDBOX_LABEL]: '1', ...labels }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
      const id = await docker(['create', ...flags, image]);
      cleanups.push(() => docker(['rm', '-f', id]).catch(() => undefined));
      return id;
    };
    const mine = await make({ [RUNNER_LABEL]: me, [DEPLOYMENT_LABEL]: ours });
    const ofDead = await make({ [RUNNER_LABEL]: dead, [DEPLOYMENT_LABEL]: ours });
    const ofLive = await make({ [RUNNER_LABEL]: live, [DEPLOYMENT_LABEL]: ours });
    const otherDeployment = await make({ [RUNNER_LABEL]: dead, [DEPLOYMENT_LABEL]: theirs });
    const unlabelled = await make({ [RUNNER_LABEL]: dead });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // older than "now" at whole-second precision

    await runner({ queueName: name, runnerId: me, staleAfterMs: 0 });
    const exists = async (id: string) => (await docker(['ps', '-aq', '--no-trunc', '--filter', `id=${id}`])) !== '';
    await waitFor(async () => !(await exists(mine)) && !(await exists(ofDead)), 15_000, 'the leftovers to go');
    for (const kept of [ofLive, otherDeployment, unlabelled]) expect(await exists(kept)).toBe(true);
  });
});

describe('runner failures', () => {
  function spawnRunner(
    queue: string,
    runnerId: string,
    locks: Record<string, string> = { LOCK_MS: '2000', STALLED_MS: '1000' },
  ): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/runner/fixtures/runner-process.ts')], {
      cwd: repoRoot,
      env: { ...process.env, REDIS_URL: testRedisUrl(), QUEUE: queue, RUNNER_ID: runnerId, ...locks },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await removeContainersOf(runnerId);
    });
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
      child.on('exit', (code) => reject(new Error(`runner process exited early (${code})`)));
    });
  }

  it('a runner killed mid-job leaves the job to another runner, which completes it exactly once', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    const deadId = uniqueName('doomed-runner');
    const doomed = await spawnRunner(name, deadId);
    const completions: string[] = [];
    events.on('completed', ({ jobId }) => completions.push(jobId));

    const code = 'import time\nprint("start", flush=True)\ntime.sleep(1.5)\nprint("done")';
    const job = await add(queue, runJob(code, { timeLimitSeconds: 10 }), 1);
    await waitFor(async () => (await job.getState()) === 'active', 15_000, 'the job to start');
    await new Promise((r) => setTimeout(r, 300));
    doomed.kill('SIGKILL');

    // The doomed runner's warm container sees its stdin close and exits on its own.
    await waitFor(
      async () => (await containersOf(deadId)).length > 0 && (await runningContainers(deadId)).length === 0,
      10_000,
      'the dead runner’s containers to stop',
    );

    await runner({ queueName: name, lockDurationMs: 2_000, stalledIntervalMs: 500 });
    const result = asRun(await job.waitUntilFinished(events, 30_000));
    expect(result).toMatchObject({ status: 'ok', stdout: 'start\ndone\n' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(completions.filter((id) => id === job.id)).toHaveLength(1);
    const finished = (await Job.fromId(queue, job.id!))!;
    expect(finished.attemptsMade).toBe(1);
    expect(await finished.getState()).toBe('completed');
  });

  it('with the default locks, a killed runner’s job is taken by a live runner within 15 s', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    const deadId = uniqueName('doomed-runner');
    const doomed = await spawnRunner(name, deadId, {});
    const job = await add(queue, runJob('import time\nprint("start", flush=True)\ntime.sleep(3)\nprint("done")', { timeLimitSeconds: 20 }), 1);
    await waitFor(async () => (await job.getState()) === 'active', 15_000, 'the job to start');
    // A live runner with the default stalled check, idle, beside the one about to die.
    const survivor = await runner({ queueName: name }, { concurrency: 1 });
    await new Promise((r) => setTimeout(r, 500));
    doomed.kill('SIGKILL');
    const killedAt = performance.now();
    await waitFor(
      async () => (await job.getState()) === 'active' && (await Job.fromId(queue, job.id!))!.attemptsStarted >= 2,
      30_000,
      'another runner to take the job',
    );
    const pickedUpMs = performance.now() - killedAt;
    console.log(`killed runner's job taken again after ${(pickedUpMs / 1000).toFixed(1)} s`);
    expect(pickedUpMs).toBeLessThan(15_000);
    expect(asRun(await job.waitUntilFinished(events, 30_000))).toMatchObject({ status: 'ok', stdout: 'start\ndone\n' });
    expect(survivor.worker.isRunning()).toBe(true);
  }, 90_000);

  it('close() drains running jobs when they finish in time', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    const r = await startRunner({ config: testConfig(), logger: silentLogger, redisUrl: testRedisUrl(), queueName: name, drainTimeoutMs: 10_000 });
    const job = await add(queue, runJob('import time\ntime.sleep(0.5)\nprint("finished")'));
    await waitFor(async () => (await job.getState()) === 'active', 15_000, 'the job to start');
    const finished = job.waitUntilFinished(events, 15_000);
    await r.close();
    expect(asRun(await finished)).toMatchObject({ status: 'ok', stdout: 'finished\n' });
    expect(await containersOf(r.id)).toEqual([]);
  });

  it('close() is bounded: a long job is stopped and left for another runner', async () => {
    const name = uniqueName('runs');
    const { queue, events } = await queueFor(name);
    const r = await startRunner({
      config: testConfig(),
      logger: silentLogger,
      redisUrl: testRedisUrl(),
      queueName: name,
      drainTimeoutMs: 1_000,
      lockDurationMs: 2_000,
      // Every runner on a queue shares one stalled-check schedule; keep it short for the next runner.
      stalledIntervalMs: 500,
    });
    // The job would hold a draining runner for 20 s; close() stops it after its 1 s drain instead.
    const job = await add(queue, runJob('import time\ntime.sleep(20)\nprint("finished")', { timeLimitSeconds: 40 }));
    await waitFor(async () => (await job.getState()) === 'active', 15_000, 'the job to start');
    const begun = performance.now();
    await r.close();
    expect(performance.now() - begun).toBeLessThan(12_000);
    expect(await containersOf(r.id)).toEqual([]);
    expect((await listRunners(redis, name)).some((h) => h.id === r.id)).toBe(false);
    expect(await job.getState()).toBe('active');

    await runner({ queueName: name, lockDurationMs: 2_000, stalledIntervalMs: 500 });
    expect(asRun(await job.waitUntilFinished(events, 60_000))).toMatchObject({ status: 'ok', stdout: 'finished\n' });
  }, 120_000);
});

function docker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile('docker', args, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))));
}

async function runningContainers(runnerId: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile('docker', ['ps', '-q', '--filter', `label=studybot.runner=${runnerId}`], (err, stdout) =>
      err ? reject(err) : resolve(stdout.split('\n').filter(Boolean)),
    ),
  );
}

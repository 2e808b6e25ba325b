/**
 * Sandbox benchmark (npm run bench:sandbox). All in one run:
 *   (a) submit-to-result latency of print(1) through a real BullMQ queue and runner, warm pool, light load
 *   (b) the same with the pool off (a container created per run)
 *   (c) a plain `docker run --rm` of the same image with the same limits, through the docker CLI
 *   (d) throughput at saturation through the queue, beside the rate of plain parallel `docker run`s
 *   (e) a graded challenge of 10 cases (recursive-factorial from the course), submit to result, warm
 *       pool: every case in its own process from the clean interpreter, scratch wiped between cases
 *   (f) a /check (mypy --strict and black on a ten-line snippet with a type error), submit to result,
 *       warm pool
 * and last the ratios (a) p50 / (c) p50 and (e) p50 / (10 × (c) p50). Uses REDIS_URL when set,
 * otherwise its own redis-server on a temporary unix socket. Sizes: BENCH_RUNS (default 60),
 * BENCH_SATURATION_RUNS (default 60), BENCH_PARALLEL (default 4: parallel docker runs, and the
 * runner's concurrency under saturation), BENCH_GRADED_RUNS (default 20), BENCH_CHECK_RUNS
 * (default 20).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startPrivateRedis } from '../src/infra/redis-server.js';
import { redisConnectionOptions } from '../src/infra/redis.js';
import { startRunner } from '../src/runner/index.js';
import { SANDBOX_UID } from '../src/runner/settings.js';
import type { RunJob, RunJobData, RunJobResult } from '../src/contract/code-runs.js';
import { loadContent } from '../src/content/loader.js';
import { gradeJob } from '../src/runs/producer.js';

const exec = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const SATURATION_RUNS = Number(process.env.BENCH_SATURATION_RUNS ?? 60);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 4);
const GRADED_RUNS = Number(process.env.BENCH_GRADED_RUNS ?? 20);
const GRADED_CHALLENGE = 'recursive-factorial';
const CHECK_RUNS = Number(process.env.BENCH_CHECK_RUNS ?? 20);
const CHECK_SNIPPET = [
  'from dataclasses import dataclass',
  '',
  '',
  '@dataclass',
  'class Point:',
  '    x: int',
  '    y: int',
  '',
  '',
  'origin: Point = Point("0", 0)',
  '',
].join('\n');
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), min: s[0]!, max: s[s.length - 1]! };
}

const fmt = (s: Stats) =>
  `p50 ${s.p50.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.n})`;

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'studybot-bench-redis-'));
  const redis = await startPrivateRedis(dir, { persist: false });
  return {
    url: redis.url,
    stop: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
const printJob = (): RunJob => ({ kind: 'run', submissionId: `bench-${process.pid}-${++seq}`, code: 'print(1)', stdin: '' });

async function withRunner<T>(
  redisUrl: string,
  runner: Partial<Config['runner']>,
  body: (ctx: { queue: Queue<RunJobData, RunJobResult>; events: QueueEvents; ready: () => number }) => Promise<T>,
): Promise<T> {
  const env: NodeJS.ProcessEnv = { REDIS_URL: redisUrl };
  for (const name of ['SANDBOX_IMAGE', 'SANDBOX_RUNTIME']) if (process.env[name]) env[name] = process.env[name];
  const base = loadConfig(env);
  const config: Config = { ...base, runner: { ...base.runner, ...runner } };
  const name = `bench-${process.pid}-${seq}`;
  // Connection options, not clients: BullMQ then owns the connections and closes them with the queue.
  const queue = new Queue<RunJobData, RunJobResult>(name, { connection: redisConnectionOptions(redisUrl) });
  const events = new QueueEvents(name, { connection: redisConnectionOptions(redisUrl) });
  // Every waitUntilFinished listens on both; the saturation run waits for many jobs at once.
  queue.setMaxListeners(SATURATION_RUNS + 20);
  events.setMaxListeners(SATURATION_RUNS + 20);
  await events.waitUntilReady();
  const r = await startRunner({ config, logger, redisUrl, queueName: name });
  try {
    return await body({ queue, events, ready: () => r.sandbox.readyCount });
  } finally {
    await r.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

async function submit(queue: Queue<RunJobData, RunJobResult>, events: QueueEvents): Promise<number> {
  const data = printJob();
  const begun = performance.now();
  const job = await queue.add('run', data, { jobId: data.submissionId, removeOnComplete: true, removeOnFail: true });
  const result = await job.waitUntilFinished(events, 60_000);
  const elapsed = performance.now() - begun;
  if (result.kind !== 'run' || result.status !== 'ok' || result.stdout !== '1\n') {
    throw new Error(`unexpected result: ${JSON.stringify(result)}`);
  }
  return elapsed;
}

/**
 * One submission at a time, each once the pool (if any) is full again: `warmups` untimed, then
 * `runs` timed. `submit` sends one job, checks its result and returns how long it took.
 */
async function oneAtATime(
  redisUrl: string,
  poolSize: number,
  runs: number,
  warmups: number,
  submit: (queue: Queue<RunJobData, RunJobResult>, events: QueueEvents) => Promise<number>,
): Promise<Stats> {
  return withRunner(redisUrl, { poolSize, concurrency: 2 }, async ({ queue, events, ready }) => {
    const refilled = async () => {
      const deadline = Date.now() + 30_000;
      while (ready() < poolSize && Date.now() < deadline) await sleep(10);
      // Let the engine finish removing the previous container before the next sample.
      await sleep(poolSize ? 150 : 50);
    };
    await refilled();
    for (let i = 0; i < warmups; i += 1) {
      await submit(queue, events);
      await refilled();
    }
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      samples.push(await submit(queue, events));
      await refilled();
    }
    return stats(samples);
  });
}

/** (e): one graded submission at a time (the challenge's reference solution, which passes every case). */
async function gradedLatency(redisUrl: string, poolSize: number, runs: number): Promise<{ stats: Stats; cases: number }> {
  const challenge = loadContent(path.join(root, 'content')).challengeById.get(GRADED_CHALLENGE);
  if (!challenge) throw new Error(`no challenge ${GRADED_CHALLENGE}`);
  const measured = await oneAtATime(redisUrl, poolSize, runs, 2, async (queue, events) => {
    const data = gradeJob(`bench-${process.pid}-${++seq}`, challenge.solution, challenge);
    const begun = performance.now();
    const job = await queue.add('grade', data, { jobId: data.submissionId, removeOnComplete: true, removeOnFail: true });
    const result = await job.waitUntilFinished(events, 120_000);
    const elapsed = performance.now() - begun;
    if (result.kind !== 'grade' || !result.passed) throw new Error(`unexpected result: ${JSON.stringify(result)}`);
    return elapsed;
  });
  return { stats: measured, cases: challenge.cases.length };
}

/** (f): one /check at a time on a warm container; the snippet has one type error and is formatted. */
function checkLatency(redisUrl: string, poolSize: number, runs: number): Promise<Stats> {
  return oneAtATime(redisUrl, poolSize, runs, 2, async (queue, events) => {
    const data: RunJobData = { kind: 'check', submissionId: `bench-${process.pid}-${++seq}`, code: CHECK_SNIPPET };
    const begun = performance.now();
    const job = await queue.add('check', data, { jobId: data.submissionId, removeOnComplete: true, removeOnFail: true });
    const result = await job.waitUntilFinished(events, 120_000);
    const elapsed = performance.now() - begun;
    if (result.kind !== 'check' || result.mypy.findings[0]?.code !== 'arg-type' || result.black.status !== 'clean') {
      throw new Error(`unexpected result: ${JSON.stringify(result)}`);
    }
    return elapsed;
  });
}

/** (a) and (b): one print(1) at a time. */
function queueLatency(redisUrl: string, poolSize: number, runs: number): Promise<Stats> {
  return oneAtATime(redisUrl, poolSize, runs, 3, submit);
}

function dockerRunArgs(image: string, settings: Config['runner']): string[] {
  const tmpfs = settings.tmpfsMb * 1024 * 1024;
  return [
    'run',
    '--rm',
    '--network',
    'none',
    '--memory',
    `${settings.memoryMb}m`,
    '--memory-swap',
    `${settings.memoryMb}m`,
    '--pids-limit',
    String(settings.pids),
    '--cpus',
    String(settings.cpus),
    '--read-only',
    '--tmpfs',
    `/tmp:rw,nosuid,nodev,noexec,size=${tmpfs}`,
    '--tmpfs',
    `/work:rw,nosuid,nodev,size=${tmpfs},uid=${SANDBOX_UID},gid=${SANDBOX_UID}`,
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--user',
    `${SANDBOX_UID}:${SANDBOX_UID}`,
    ...(settings.runtime ? ['--runtime', settings.runtime] : []),
    image,
    'python3',
    '-c',
    'print(1)',
  ];
}

async function dockerRun(args: string[]): Promise<number> {
  const begun = performance.now();
  const { stdout } = await exec('docker', args);
  if (stdout !== '1\n') throw new Error(`docker run printed ${JSON.stringify(stdout)}`);
  return performance.now() - begun;
}

/** (c): `docker run --rm` of print(1), one at a time. */
async function plainDockerLatency(args: string[], runs: number): Promise<Stats> {
  for (let i = 0; i < 2; i += 1) await dockerRun(args);
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await dockerRun(args));
  return stats(samples);
}

/** (d), plain: `total` docker runs, `parallel` at a time; runs per second. */
async function plainDockerRate(args: string[], total: number, parallel: number): Promise<number> {
  let next = 0;
  const begun = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) {
        next += 1;
        await dockerRun(args);
      }
    }),
  );
  return total / ((performance.now() - begun) / 1000);
}

/** (d), through the queue: `total` jobs submitted at once; runs per second until the last result. */
async function queueRate(redisUrl: string, total: number, concurrency: number): Promise<number> {
  return withRunner(redisUrl, { poolSize: concurrency, concurrency }, async ({ queue, events, ready }) => {
    const deadline = Date.now() + 30_000;
    while (ready() < concurrency && Date.now() < deadline) await sleep(20);
    const begun = performance.now();
    const jobs = await queue.addBulk(
      Array.from({ length: total }, () => {
        const data = printJob();
        return { name: 'run', data, opts: { jobId: data.submissionId, removeOnComplete: true, removeOnFail: true } };
      }),
    );
    const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 120_000)));
    const seconds = (performance.now() - begun) / 1000;
    const bad = results.filter((r) => r.kind !== 'run' || r.status !== 'ok');
    if (bad.length) throw new Error(`${bad.length} runs did not succeed: ${JSON.stringify(bad[0])}`);
    return total / seconds;
  });
}

async function main(): Promise<void> {
  execFileSync('sh', [path.join(root, 'scripts/build-sandbox.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['SANDBOX_IMAGE', 'SANDBOX_RUNTIME', 'SANDBOX_POOL_SIZE']) if (process.env[name]) env[name] = process.env[name];
  const settings = loadConfig(env).runner;
  const redis = await startRedis();
  try {
    console.log(
      `sandbox benchmark: image ${settings.image}, ${settings.memoryMb} MB, ${settings.pids} pids, ${settings.cpus} CPU, runtime ${settings.runtime ?? 'default'}`,
    );

    const a = await queueLatency(redis.url, settings.poolSize || 2, RUNS);
    console.log(`(a) queue + runner, warm pool of ${settings.poolSize || 2}, print(1):  ${fmt(a)}`);

    const b = await queueLatency(redis.url, 0, Math.max(10, Math.round(RUNS / 3)));
    console.log(`(b) queue + runner, pool off, print(1):       ${fmt(b)}`);

    const args = dockerRunArgs(settings.image, settings);
    const c = await plainDockerLatency(args, Math.max(10, Math.round(RUNS / 3)));
    console.log(`(c) docker run --rm (CLI), print(1):           ${fmt(c)}`);

    const plainRate = await plainDockerRate(args, SATURATION_RUNS, PARALLEL);
    const rate = await queueRate(redis.url, SATURATION_RUNS, PARALLEL);
    console.log(
      `(d) saturation, ${SATURATION_RUNS} runs: queue + runner (concurrency ${PARALLEL}) ${rate.toFixed(2)} runs/s; ` +
        `plain docker run, ${PARALLEL} in parallel ${plainRate.toFixed(2)} runs/s; ratio ${(rate / plainRate).toFixed(2)}`,
    );

    const graded = await gradedLatency(redis.url, settings.poolSize || 2, GRADED_RUNS);
    console.log(`(e) queue + runner, graded challenge ${GRADED_CHALLENGE} (${graded.cases} cases): ${fmt(graded.stats)}`);

    const checked = await checkLatency(redis.url, settings.poolSize || 2, CHECK_RUNS);
    console.log(`(f) queue + runner, /check (mypy --strict + black), warm pool: ${fmt(checked)}`);

    console.log(`ratio (a) p50 / (c) p50: ${(a.p50 / c.p50).toFixed(3)}`);
    console.log(`ratio (e) p50 / (${graded.cases} × (c) p50): ${(graded.stats.p50 / (graded.cases * c.p50)).toFixed(3)}`);
  } finally {
    await redis.stop();
  }
}

await main();

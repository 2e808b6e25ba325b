import { execFile, execFileSync } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { GradeCase, GradeJob, GradeResult, Grader, RunJob, RunJobData, RunJobResult, RunResult } from '../../src/contract/code-runs.js';
import { silentLogger } from '../../src/logger.js';
import { startRunner, type Runner } from '../../src/runner/index.js';
import { RUNNER_LABEL } from '../../src/runner/settings.js';
import type { SandboxSettings } from '../../src/runner/settings.js';
import { sandboxEnv } from '../support/app.js';
import { testRedis, testRedisUrl, uniqueName } from '../support/redis.js';

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let built = false;

/** Builds the sandbox image through the project's script (a no-op when it is up to date). */
export function ensureSandboxImage(): void {
  if (built) return;
  execFileSync('sh', [path.join(repoRoot, 'scripts/build-sandbox.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  built = true;
}

/** The runner settings from an empty environment (the documented defaults), with overrides. */
export function testSettings(overrides: Partial<SandboxSettings> = {}): SandboxSettings {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['SANDBOX_IMAGE', 'SANDBOX_RUNTIME']) if (process.env[name]) env[name] = process.env[name];
  return { ...loadConfig(env).runner, ...overrides };
}

/** Ids of every container (running or not) labelled with this runner id. */
export async function containersOf(runnerId: string): Promise<string[]> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${RUNNER_LABEL}=${runnerId}`]);
  return stdout.split('\n').filter(Boolean);
}

export async function removeContainersOf(runnerId: string): Promise<void> {
  const ids = await containersOf(runnerId);
  if (ids.length) await run('docker', ['rm', '-f', ...ids]).catch(() => undefined);
}

let counter = 0;
export function runJob(code: string, options: { stdin?: string; timeLimitSeconds?: number } = {}): RunJob {
  counter += 1;
  return {
    kind: 'run',
    submissionId: `sub-${process.pid}-${counter}`,
    code,
    stdin: options.stdin ?? '',
    ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds } : {}),
  };
}

export function gradeJob(
  grader: Grader,
  code: string,
  cases: Array<Partial<GradeCase> & { expected: string }>,
  options: { target?: string; timeLimitSeconds?: number } = {},
): GradeJob {
  counter += 1;
  return {
    kind: 'grade',
    submissionId: `sub-${process.pid}-${counter}`,
    challengeId: 'test-challenge',
    code,
    grader,
    ...(options.target ? { target: options.target } : {}),
    cases: cases.map((c, i) => ({ name: c.name ?? `case ${i + 1}`, hidden: c.hidden ?? false, ...c })),
    timeLimitSeconds: options.timeLimitSeconds ?? 5,
  };
}

export function asRun(result: unknown): RunResult {
  const r = result as RunResult;
  if (r.kind !== 'run') throw new Error(`expected a run result, got ${JSON.stringify(result)}`);
  return r;
}

export function asGrade(result: unknown): GradeResult {
  const r = result as GradeResult;
  if (r.kind !== 'grade') throw new Error(`expected a grade result, got ${JSON.stringify(result)}`);
  return r;
}

/** Python source with its common indentation removed, so tests can indent it with the TypeScript. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '\n')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/**
 * A socket that forwards to the real Docker engine until it is stopped: an engine that goes away
 * and comes back. The caller stops it when done.
 */
export async function dockerThatComesAndGoes(socket: string): Promise<{ stop(): Promise<void>; start(): Promise<void> }> {
  const engine = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
  let server: Server | undefined;
  const open = new Set<Socket>();
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(engine);
        open.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on('error', drop).on('close', drop).pipe(upstream);
        upstream.on('error', drop).on('close', drop).pipe(client);
      });
      server.listen(socket, resolve);
    });
  const stop = async () => {
    // close() waits for open connections, which are the engine's long-lived attach streams.
    const closed = new Promise((resolve) => server?.close(resolve));
    for (const s of open) s.destroy();
    await closed;
  };
  await start();
  return { start, stop };
}

export interface QueuedRunner {
  runner: Runner;
  queue: Queue<RunJobData, RunJobResult>;
  events: QueueEvents;
}

/**
 * A real runner on its own queue for the file's tests (started before them, closed after, leaving
 * no container behind): submissions go through Redis, the runner and Docker as a learner's do.
 */
export function useQueuedRunner(name: string, settings: Partial<SandboxSettings>): () => QueuedRunner {
  let it: QueuedRunner | undefined;
  beforeAll(async () => {
    ensureSandboxImage();
    const queueName = uniqueName(name);
    const config = loadConfig({ REDIS_URL: testRedisUrl(), ...sandboxEnv() });
    const runner = await startRunner({
      config: { ...config, runner: { ...testSettings(), ...settings } },
      logger: silentLogger,
      redisUrl: testRedisUrl(),
      queueName,
    });
    const queue = new Queue<RunJobData, RunJobResult>(queueName, { connection: testRedis() });
    const events = new QueueEvents(queueName, { connection: testRedis() });
    queue.setMaxListeners(100);
    events.setMaxListeners(100);
    await events.waitUntilReady();
    it = { runner, queue, events };
  });
  afterAll(async () => {
    if (!it) return;
    await it.runner.close();
    expect(await containersOf(it.runner.id)).toEqual([]);
    await it.events.close();
    await it.queue.obliterate({ force: true });
    await it.queue.close();
  });
  return () => {
    if (!it) throw new Error('the runner is not started yet');
    return it;
  };
}

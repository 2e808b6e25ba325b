import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type App } from '../../src/app.js';
import { workspaceKey, type ChatContext, type Platform } from '../../src/chat/context.js';
import { enterLearner } from '../../src/learning/users.js';
import type { RunRequest } from '../../src/runs/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import type { Clock } from '../../src/time.js';
import { testRedisUrl, uniqueName } from './redis.js';

export const FIXTURE_CONTENT = fileURLToPath(new URL('../fixtures/content', import.meta.url));

/** The sandbox image and runtime a test run uses can be chosen from outside (another image, gVisor). */
export function sandboxEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['SANDBOX_IMAGE', 'SANDBOX_RUNTIME']) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

/** A clock tests move by hand: crossing midnights and DST changes without waiting. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestApp extends App {
  config: Config;
  dir: string;
  queues: { runs: string; daily: string; timers?: string };
  /** Stops the app and deletes its data directory. */
  stop(): Promise<void>;
}

/**
 * A real app for tests: real Redis (the test run's), a fresh SQLite file, the fixture content (or
 * `content`), unique queue names, and an in-process runner on the real Docker engine only when
 * asked for (`runner: true`).
 */
export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    clock?: Clock;
    random?: () => number;
    runner?: boolean;
    content?: string;
    /** Reuse a data directory (kept on stop): a restart of the same bot. */
    dir?: string;
    /** Reuse queue names: a restart against the same Redis. */
    queues?: { runs: string; daily: string; timers?: string };
    /** Timers wait for the test to run them (tests/support/timers.ts) instead of firing on their own. */
    holdTimers?: boolean;
    /** Where the app logs (silent by default). */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'studybot-test-'));
  const config = loadConfig(
    {
      REDIS_URL: testRedisUrl(),
      DATA_DIR: dir,
      CONTENT_DIR: opts.content ?? FIXTURE_CONTENT,
      SANDBOX_POOL_SIZE: '1',
      ...sandboxEnv(),
      ...opts.env,
    },
    dir,
  );
  const queues = { timers: uniqueName('timers'), ...(opts.queues ?? { runs: uniqueName('runs'), daily: uniqueName('daily') }) };
  const app = await startApp({
    config,
    logger: opts.logger ?? silentLogger,
    ...(opts.clock && { clock: opts.clock }),
    random: opts.random ?? (() => 0),
    runner: opts.runner ?? false,
    queues,
    redisPrefix: `${queues.runs}:`,
    reconcileEveryMs: 1000,
    ...(opts.holdTimers && { holdTimersMs: 3_600_000 }),
  });
  return {
    ...app,
    config,
    dir,
    queues,
    async stop() {
      await app.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A chat context for tests: one user in one channel of one workspace. */
export function chatContext(over: Partial<ChatContext> & { platform?: Platform } = {}): ChatContext {
  const platform = over.platform ?? 'terminal';
  const workspaceId = over.workspaceId ?? 'ws1';
  const channelId = over.channelId ?? 'general';
  const userId = over.userId ?? 'u1';
  return {
    platform,
    workspaceId,
    channelId,
    userId,
    userName: over.userName ?? userId,
    locale: 'en-US',
    isAdmin: over.isAdmin ?? false,
    conversation: over.conversation ?? { platform, workspaceId, channelId, userId },
    ...over,
  };
}

/**
 * Submits code as the learner in `ctx`, the way a chat command does once the router has recorded
 * them (for tests of the run service below the commands).
 */
export function submitAs(app: App, ctx: ChatContext, req: RunRequest) {
  const ws = workspaceKey(ctx);
  enterLearner(app.services.db, { ws, userId: ctx.userId, name: ctx.userName }, app.services.clock.now(), app.services.config.defaultTimeZone);
  return app.runs.submit({ ws, userId: ctx.userId, channelId: ctx.channelId, conversation: ctx.conversation }, req);
}

import { announceMilestone, boardsChanged, commands, handleTimer, postDailyLesson } from '../commands/index.js';
import type { Adapter } from './chat/adapter.js';
import { splitWorkspaceKey } from './chat/context.js';
import { Outbox } from './chat/outbox.js';
import type { Config } from './config.js';
import path from 'node:path';
import { loadContentCached } from './content/cache.js';
import { startCheckpoints } from './db/checkpoints.js';
import { openDatabase, type DatabaseHandle } from './db/index.js';
import { rebuildPendingBoards } from './learning/boards.js';
import { redisReadiness, dockerReadiness } from './checks.js';
import { startHealthServer } from './infra/health-server.js';
import { watchPool, watchQueue } from './infra/metrics.js';
import { startPrivateRedis, type PrivateRedis } from './infra/redis-server.js';
import { RedisRateLimits } from './infra/rate-limits.js';
import { connectRedis, redisConnectionOptions, requireRedis } from './infra/redis.js';
import type { Logger } from './logger.js';
import { Router } from './router/router.js';
import { hasHealthyRunner, startRunner, type Runner } from './runner/index.js';
import { StoredLiveMessages } from './posts/live.js';
import { conversationOf, RunService } from './runs/index.js';
import { getUser } from './learning/users.js';
import { DailyLessons } from './schedule/daily.js';
import { Timers } from './schedule/timers.js';
import type { Services } from './services.js';
import { systemClock, type Clock } from './time.js';
import { warmUp as warmUpPictures } from './pictures/index.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  /** Run a code runner in this process (default: config.runner.enabled). */
  runner?: boolean;
  /** Prefix of this bot's own Redis keys (rate limits); tests isolate themselves with unique ones. */
  redisPrefix?: string;
  /** Queue names (tests isolate themselves with unique ones). */
  queues?: { runs?: string; daily?: string; timers?: string };
  reconcileEveryMs?: number;
  /** Serve /healthz, /readyz and /metrics on HEALTH_PORT when it is set (the long-running bot, not one-shot commands). */
  health?: boolean;
  /** Holds timers this long in real time (tests that run them on a manual clock). */
  holdTimersMs?: number;
}

export interface App {
  services: Services;
  /** The run service itself, for the CLI and the terminal (waiting on results). */
  runs: RunService;
  router: Router;
  redisUrl: string;
  runner: Runner | undefined;
  /** The port /healthz, /readyz and /metrics are served on, when they are. */
  healthPort: number | undefined;
  /** Registers and starts a platform adapter. */
  attach(adapter: Adapter): Promise<void>;
  close(): Promise<void>;
}

/** How long after start-up the pictures warm up: after the platforms are connected, before a first card is likely. */
const WARM_UP_AFTER_MS = 250;

/**
 * Builds the bot: Redis (REDIS_URL, or a private redis-server), the database, the content, the
 * services, optionally an in-process code runner, and the background listeners. Platforms are
 * attached afterwards with `attach`.
 */
export async function startApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        logger.warn({ err }, 'error while shutting down');
      }
    }
    cleanups.length = 0;
  };
  try {
    // Content first: a broken content file should be reported before anything is started.
    const content = loadContentCached(config.contentDir, path.join(config.dataDir, 'cache'));
    let privateRedis: PrivateRedis | undefined;
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      privateRedis = await startPrivateRedis(config.dataDir);
      cleanups.push(() => privateRedis?.stop());
      redisUrl = privateRedis.url;
      if (privateRedis.replaced) {
        logger.warn(privateRedis.replaced, 'stopped a redis-server an earlier bot left running on this data directory');
      }
      logger.info({ url: redisUrl, pid: privateRedis.pid }, 'started a private redis-server (REDIS_URL is unset)');
    }
    const connection = redisConnectionOptions(redisUrl);
    const redis = connectRedis(redisUrl, {}, (err) => logger.warn({ err: err.message }, 'redis connection error'));
    cleanups.push(() => void redis.disconnect());
    await requireRedis(redis, redisUrl);
    // Rate limits fail open: a Redis hiccup must not refuse every learner; each check gives up fast.
    // Checks made in the same tick (a crowd answering at once) travel to Redis in one write.
    const limitsRedis = connectRedis(redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 500,
      enableAutoPipelining: true,
    });
    cleanups.push(() => void limitsRedis.disconnect());
    const limits = new RedisRateLimits(limitsRedis, `${opts.redisPrefix ?? 'studybot:'}rate:`, (err) =>
      logger.warn({ err }, 'rate limits unavailable; not enforced'),
    );

    const database: DatabaseHandle = openDatabase(config.databasePath);
    cleanups.push(() => database.close());
    if (config.databasePath !== ':memory:') {
      const checkpoints = startCheckpoints(database.sqlite, config.databasePath, { onProblem: (message) => logger.warn(message) });
      cleanups.push(() => checkpoints.stop());
    }
    const rebuilt = rebuildPendingBoards(database.db, { now: (opts.clock ?? systemClock).now(), defaultZone: config.defaultTimeZone });
    if (rebuilt) logger.info({ workspaces: rebuilt }, 'built the leaderboards from the point log');

    const clock = opts.clock ?? systemClock;
    const random = opts.random ?? Math.random;
    const outbox = new Outbox(new StoredLiveMessages(database.db, clock));
    const runs = new RunService({
      db: database.db,
      content,
      config,
      connection,
      outbox,
      clock,
      logger,
      runnersAvailable: () => hasHealthyRunner(redis, opts.queues?.runs).catch(() => false),
      ...(opts.queues?.runs && { queueName: opts.queues.runs }),
      ...(opts.reconcileEveryMs && { reconcileEveryMs: opts.reconcileEveryMs }),
      onPoints: (ws) => void boardsChanged(services!, ws).catch((err) => logger.warn({ err }, 'scheduling a board refresh failed')),
      onMilestone: (s, days) =>
        void announceMilestone(services!, conversationOf(s), getUser(database.db, s.workspace, s.userId)?.displayName ?? s.userId, days).catch(
          (err) => logger.warn({ err }, 'announcing a streak milestone failed'),
        ),
    });
    cleanups.push(() => runs.close());
    let services: Services | undefined;
    // Quiz reveals, round steps and board refreshes: delayed jobs, run when their platform is connected.
    const timers = new Timers({
      connection,
      logger,
      handler: (job) => handleTimer(services!, job),
      ready: (job) => outbox.has(splitWorkspaceKey(String(job.data.ws ?? '')).platform),
      now: () => clock.now(),
      ...(opts.holdTimersMs !== undefined && { holdMs: opts.holdTimersMs }),
      ...(opts.queues?.timers && { queueName: opts.queues.timers }),
    });
    cleanups.push(() => timers.close());
    const daily = new DailyLessons({
      db: database.db,
      connection,
      clock,
      logger,
      poster: (cfg, day) => postDailyLesson(services!, cfg, day),
      canPost: (ws) => outbox.has(splitWorkspaceKey(ws).platform),
      ...(opts.queues?.daily && { queueName: opts.queues.daily }),
    });
    cleanups.push(() => daily.close());

    services = { config, content, db: database.db, clock, logger, random, outbox, daily, runs, limits, timers };
    const router = new Router(commands, services);

    let runner: Runner | undefined;
    if (opts.runner ?? config.runner.enabled) {
      runner = await startRunner({ config, logger, redisUrl, ...(opts.queues?.runs && { queueName: opts.queues.runs }) });
      cleanups.push(() => runner?.close());
    }
    await daily.start();
    await runs.start();
    timers.start();
    // The layout engine and fonts load in the background: being ready for chats does not wait for
    // them, and a card asked for meanwhile only takes longer.
    // It starts once start-up is through, so a chat's first prompt does not wait behind it either.
    if (config.pictures) {
      const warm = setTimeout(
        () => void warmUpPictures().catch((err: unknown) => logger.warn({ err }, 'pictures could not be prepared; replies may go without them')),
        WARM_UP_AFTER_MS,
      );
      cleanups.push(() => clearTimeout(warm));
    }

    cleanups.push(watchQueue(() => runs.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed')));
    if (runner) cleanups.push(watchPool(() => runner?.sandbox.readyCount ?? 0));
    // Ready for chats once every platform attached so far is connected (Discord's gateway, Slack's
    // receiver, the terminal), not merely once the process is up.
    let connecting = 0;
    let connected = 0;
    const chatReadiness = async (): Promise<string | undefined> =>
      connecting > 0 ? 'connecting to the chat platform' : connected === 0 ? 'no chat platform connected yet' : undefined;
    let healthPort: number | undefined;
    if (opts.health && config.health) {
      const redisReady = redisReadiness(redisUrl);
      cleanups.push(() => redisReady.close());
      const health = await startHealthServer({
        ...config.health,
        logger,
        checks: { redis: redisReady.check, chat: chatReadiness, ...(runner && dockerReadiness(config.runner)) },
      });
      cleanups.push(() => health.close());
      healthPort = health.port;
    }

    return {
      services,
      runs,
      router,
      redisUrl,
      runner,
      healthPort,
      async attach(adapter) {
        outbox.register(adapter.platform, adapter.sender);
        cleanups.push(() => adapter.stop());
        connecting++;
        try {
          await adapter.start();
          connected++;
        } finally {
          connecting--;
        }
        // Results that finished while this platform was away can be posted now.
        void runs.reconcile();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { connectRedis } from '../infra/redis.js';
import { RUN_QUEUE, type RunJobData, type RunJobResult } from '../contract/code-runs.js';
import { createDockerClients } from './docker-client.js';
import { InvalidJobError } from './errors.js';
import { startHeartbeat, HEARTBEAT_INTERVAL_MS, type Heartbeat } from './heartbeat.js';
import { removeStaleContainers } from './janitor.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import { checkSandboxVersions } from './sandbox-versions.js';

export interface StartRunnerOptions {
  config: Config;
  logger: Logger;
  /** Defaults to config.redisUrl. */
  redisUrl?: string;
  /** Defaults to RUN_QUEUE ('code-runs'); tests use unique names. */
  queueName?: string;
  /** Defaults to a random id; names the heartbeat key and labels this runner's containers. */
  runnerId?: string;
  /** BullMQ lock on an active job; a runner that dies holding one loses the job after this long. */
  lockDurationMs?: number;
  /** How often this runner looks for jobs whose runner died (BullMQ's stalled check). */
  stalledIntervalMs?: number;
  /** How long close() lets running jobs finish before it stops them and leaves them to other runners. */
  drainTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

export interface Runner {
  readonly id: string;
  readonly sandbox: Sandbox;
  readonly worker: Worker<RunJobData, RunJobResult>;
  /** Stops taking jobs, drains within drainTimeoutMs, removes every container, deletes the heartbeat. */
  close(): Promise<void>;
}

const JANITOR_INTERVAL_MS = 5 * 60_000;

async function within<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return done;
}

/**
 * A stateless runner: a BullMQ worker on the code-runs queue whose jobs run in the sandbox and whose
 * return value is the RunJobResult. Any number may run, on any hosts that share the Redis.
 */
export async function startRunner(options: StartRunnerOptions): Promise<Runner> {
  const { config, logger } = options;
  const redisUrl = options.redisUrl ?? config.redisUrl;
  if (!redisUrl) throw new Error('a runner needs Redis: set REDIS_URL');
  const settings = config.runner;
  const sandbox = createSandbox(settings, logger, options.runnerId ? { id: options.runnerId } : {});
  const id = sandbox.id;
  const log = logger.child({ runner: id });
  const onRedisError = (err: Error) => log.warn({ err }, 'redis connection error');
  const connection: Redis = connectRedis(redisUrl, {}, onRedisError);
  const heartbeatRedis: Redis = connectRedis(redisUrl, {}, onRedisError);

  let closing: Promise<void> | undefined;
  const processor = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    const kind = (job.data as { kind?: unknown } | undefined)?.kind;
    log.debug({ job: job.id, kind }, 'run started');
    try {
      const total = job.data.kind === 'grade' ? job.data.cases.length : 1;
      const result = await sandbox.run(job.data, {
        onCaseEnd: (done) => {
          job.updateProgress({ done, total }).catch(() => undefined);
        },
      });
      const status = result.kind === 'run' ? result.status : result.passed ? 'passed' : 'failed';
      log.info({ job: job.id, kind, status, durationMs: result.durationMs }, 'run finished');
      return result;
    } catch (err) {
      if (err instanceof InvalidJobError) {
        log.error({ job: job.id, err }, 'invalid run job');
        throw new UnrecoverableError(err.message);
      }
      if (closing) log.info({ job: job.id }, 'run interrupted by shutdown; another runner will take it');
      else log.warn({ job: job.id, err, attempt: job.attemptsMade + 1 }, 'run could not be carried out; it will be retried');
      throw err;
    }
  };

  const queueName = options.queueName ?? RUN_QUEUE;
  const worker = new Worker<RunJobData, RunJobResult>(queueName, processor, {
    connection,
    concurrency: settings.concurrency,
    ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs !== undefined ? { stalledInterval: options.stalledIntervalMs } : {}),
    autorun: true,
  });
  worker.on('error', (err) => log.warn({ err }, 'worker error'));

  const heartbeat: Heartbeat = startHeartbeat(
    heartbeatRedis,
    {
      id,
      queue: queueName,
      concurrency: settings.concurrency,
      poolSize: settings.poolSize,
      ping: () => sandbox.ping(),
      readyCount: () => sandbox.readyCount,
    },
    log,
    options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
  );

  // Producers check heartbeats before queueing: be listed before anyone is told this runner exists.
  await heartbeat.beat().catch((err: unknown) => log.warn({ err }, 'first heartbeat failed'));

  const dockerClients = createDockerClients(settings.dockerHost);
  const sweep = () => {
    removeStaleContainers(dockerClients, log).catch((err: unknown) => log.debug({ err }, 'stale container sweep failed'));
  };
  sweep();
  // In the background: a drifted image still runs code, the log says why proven content may fail.
  void checkSandboxVersions(dockerClients, settings.image, log);
  const janitor = setInterval(sweep, JANITOR_INTERVAL_MS);
  janitor.unref();

  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(janitor);
      // Leave the list of live runners first, so the bot stops counting on this one.
      await heartbeat.stop();
      const drainMs = options.drainTimeoutMs ?? 10_000;
      const drained = worker.close();
      if (!(await within(drained, drainMs))) {
        // Cut the worker off from Redis before stopping its runs: the interrupted jobs keep their
        // lock until it expires and are then picked up by another runner (stalled-job recovery)
        // instead of being recorded as failed attempts.
        log.warn({ drainMs }, 'runs did not finish in time: stopping them for another runner to retry');
        await within(worker.disconnect(), 2_000);
        await sandbox.close();
        await within(drained, 3_000);
      } else {
        await sandbox.close();
      }
      connection.disconnect();
      heartbeatRedis.disconnect();
      log.info('runner stopped');
    })();
    return closing;
  };

  try {
    await worker.waitUntilReady();
  } catch (err) {
    await close();
    throw err;
  }
  log.info({ queue: worker.name, concurrency: settings.concurrency, poolSize: settings.poolSize }, 'runner started');
  return { id, sandbox, worker, close };
}

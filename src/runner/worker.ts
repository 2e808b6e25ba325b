import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { connectRedis } from '../infra/redis.js';
import { RUN_QUEUE, type RunJobData, type RunJobResult } from '../contract/code-runs.js';
import { createDockerClients } from './docker-client.js';
import { DockerUnavailableError, InvalidJobError } from './errors.js';
import { heartbeatKey, startHeartbeat, HEARTBEAT_INTERVAL_MS, type Heartbeat } from './heartbeat.js';
import { deploymentId, removeStaleContainers } from './janitor.js';
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
  /** How old a stopped container must be before the janitor removes it (default STALE_AFTER_MS). */
  staleAfterMs?: number;
}

export interface Runner {
  readonly id: string;
  readonly sandbox: Sandbox;
  readonly worker: Worker<RunJobData, RunJobResult>;
  /** Stops taking jobs, drains within drainTimeoutMs, removes every container, deletes the heartbeat. */
  close(): Promise<void>;
}

const JANITOR_INTERVAL_MS = 5 * 60_000;

/**
 * A runner that dies holding a job loses it once its lock expires and the next stalled check of
 * any live runner sees it: at most LOCK_DURATION_MS + STALLED_INTERVAL_MS, about 12 s, before
 * another runner takes it. A live runner renews the lock every quarter of its duration, however
 * long the run, so a busy machine can miss three renewals before the job is taken from it.
 */
export const LOCK_DURATION_MS = 8_000;
export const STALLED_INTERVAL_MS = 4_000;

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
  const queueName = options.queueName ?? RUN_QUEUE;
  const deployment = deploymentId(redisUrl, queueName);
  const sandbox = createSandbox(settings, logger, { deployment, ...(options.runnerId && { id: options.runnerId }) });
  const id = sandbox.id;
  const log = logger.child({ runner: id });
  const onRedisError = (err: Error) => log.warn({ err }, 'redis connection error');
  const connection: Redis = connectRedis(redisUrl, {}, onRedisError);
  const heartbeatRedis: Redis = connectRedis(redisUrl, {}, onRedisError);

  let closing: Promise<void> | undefined;
  // Set once the worker is created; the processor and the heartbeat only use it after that.
  let worker: Worker<RunJobData, RunJobResult> | undefined;
  let paused = false;
  // A runner that cannot reach Docker (or lacks the image) takes no jobs until it can: otherwise
  // it would take each job in turn, fail it in seconds, and take its retry too.
  const dockerIs = (ok: boolean): void => {
    if (!worker || closing) return;
    if (!ok && !paused) {
      paused = true;
      log.error('pausing: this runner takes no jobs until Docker and the sandbox image are available');
      void worker.pause(true).catch((err: unknown) => log.warn({ err }, 'pausing the worker failed'));
    } else if (ok && paused) {
      paused = false;
      log.info('resuming: Docker and the sandbox image are available again');
      worker.resume();
    }
  };

  const processor = async (job: Job<RunJobData, RunJobResult>, token?: string): Promise<RunJobResult> => {
    const kind = (job.data as { kind?: unknown } | undefined)?.kind;
    log.debug({ job: job.id, kind }, 'run started');
    try {
      const total = job.data.kind === 'grade' ? job.data.cases.length : 1;
      const result = await sandbox.run(job.data, {
        onCaseEnd: (done) => {
          job.updateProgress({ done, total }).catch(() => undefined);
        },
      });
      const status =
        result.kind === 'run'
          ? result.status
          : result.kind === 'check'
            ? `${result.mypy.status}/${result.black.status}`
            : result.passed
              ? 'passed'
              : 'failed';
      log.info({ job: job.id, kind, status, durationMs: result.durationMs }, 'run finished');
      return result;
    } catch (err) {
      if (err instanceof InvalidJobError) {
        log.error({ job: job.id, err }, 'invalid run job');
        throw new UnrecoverableError(err.message);
      }
      if (!closing && (err instanceof DockerUnavailableError || sandbox.docker === 'down')) {
        // Not the learner's doing: the job goes back to the queue, with no attempt counted, for a
        // runner that can run it (this one, once Docker is back).
        log.error({ job: job.id, err }, 'Docker is unavailable: giving the job back to the queue');
        dockerIs(false);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (closing) log.info({ job: job.id }, 'run interrupted by shutdown; another runner will take it');
      else log.warn({ job: job.id, err, attempt: job.attemptsMade + 1 }, 'run could not be carried out; it will be retried');
      throw err;
    }
  };

  const bull = new Worker<RunJobData, RunJobResult>(queueName, processor, {
    connection,
    concurrency: settings.concurrency,
    lockDuration: options.lockDurationMs ?? LOCK_DURATION_MS,
    lockRenewTime: (options.lockDurationMs ?? LOCK_DURATION_MS) / 4,
    stalledInterval: options.stalledIntervalMs ?? STALLED_INTERVAL_MS,
    autorun: true,
  });
  worker = bull;
  bull.on('error', (err) => log.warn({ err }, 'worker error'));

  const heartbeat: Heartbeat = startHeartbeat(
    heartbeatRedis,
    {
      id,
      queue: queueName,
      concurrency: settings.concurrency,
      poolSize: settings.poolSize,
      ping: async () => {
        const ok = await sandbox.ping();
        dockerIs(ok);
        return ok;
      },
      readyCount: () => sandbox.readyCount,
    },
    log,
    options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
  );

  // Producers check heartbeats before queueing: be listed before anyone is told this runner exists.
  await heartbeat.beat().catch((err: unknown) => log.warn({ err }, 'first heartbeat failed'));

  const dockerClients = createDockerClients(settings.dockerHost);
  const sweep = () => {
    const scope = {
      runnerId: id,
      deployment,
      isAlive: async (other: string) => (await heartbeatRedis.exists(heartbeatKey(queueName, other))) > 0,
    };
    removeStaleContainers(dockerClients, log, scope, options.staleAfterMs).catch((err: unknown) =>
      log.debug({ err }, 'stale container sweep failed'),
    );
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
      const drained = bull.close();
      if (!(await within(drained, drainMs))) {
        // Cut the worker off from Redis before stopping its runs: the interrupted jobs keep their
        // lock until it expires and are then picked up by another runner (stalled-job recovery)
        // instead of being recorded as failed attempts.
        log.warn({ drainMs }, 'runs did not finish in time: stopping them for another runner to retry');
        await within(bull.disconnect(), 2_000);
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
    await bull.waitUntilReady();
  } catch (err) {
    await close();
    throw err;
  }
  log.info({ queue: bull.name, concurrency: settings.concurrency, poolSize: settings.poolSize }, 'runner started');
  return { id, sandbox, worker: bull, close };
}

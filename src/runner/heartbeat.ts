import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { RUN_QUEUE } from '../contract/code-runs.js';

/**
 * Each live runner holds `studybot:runner:<queue>:<runnerId>`; the key expires when the runner
 * stops beating. Scoped by queue: a runner only helps the producers of the queue it serves.
 */
export const RUNNER_KEY_PREFIX = 'studybot:runner:';

export function heartbeatKey(queue: string, runnerId: string): string {
  return `${RUNNER_KEY_PREFIX}${queue}:${runnerId}`;
}
export const RUNNER_TTL_SECONDS = 15;
export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface RunnerHeartbeat {
  id: string;
  host: string;
  docker: 'ok' | 'down';
  concurrency: number;
  /** Configured warm pool size. */
  poolSize: number;
  /** Warm containers ready at the time of the beat. */
  ready: number;
  /** Epoch milliseconds of the beat. */
  at: number;
}

export interface HeartbeatSource {
  id: string;
  /** The queue this runner serves. */
  queue: string;
  concurrency: number;
  poolSize: number;
  /** Checks Docker now; a beat never claims 'ok' from stale knowledge. */
  ping(): Promise<boolean>;
  readyCount(): number;
}

export interface Heartbeat {
  /** Beats once now (also what the timer does). */
  beat(): Promise<RunnerHeartbeat>;
  /** Stops beating and deletes the key, so the runner disappears from listRunners at once. */
  stop(): Promise<void>;
}

export function startHeartbeat(redis: Redis, source: HeartbeatSource, logger: Logger, intervalMs = HEARTBEAT_INTERVAL_MS): Heartbeat {
  const key = heartbeatKey(source.queue, source.id);
  const host = hostname();
  let stopped = false;
  let inFlight: Promise<RunnerHeartbeat> | undefined;
  let lastDocker: 'ok' | 'down' | undefined;

  const beat = async (): Promise<RunnerHeartbeat> => {
    const docker = (await source.ping()) ? 'ok' : 'down';
    if (docker !== lastDocker) {
      if (docker === 'down') logger.error({ runner: source.id }, 'Docker is unreachable: this runner cannot run code');
      else if (lastDocker) logger.info({ runner: source.id }, 'Docker is reachable again');
      lastDocker = docker;
    }
    const entry: RunnerHeartbeat = {
      id: source.id,
      host,
      docker,
      concurrency: source.concurrency,
      poolSize: source.poolSize,
      ready: source.readyCount(),
      at: Date.now(),
    };
    if (!stopped) await redis.set(key, JSON.stringify(entry), 'EX', RUNNER_TTL_SECONDS);
    return entry;
  };

  const tick = (): void => {
    if (stopped || inFlight) return;
    inFlight = beat();
    inFlight
      .catch((err: unknown) => logger.warn({ err, runner: source.id }, 'heartbeat failed'))
      .finally(() => {
        inFlight = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();

  return {
    beat,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight?.catch(() => undefined);
      await redis.del(key).catch((err: unknown) => logger.warn({ err }, 'could not delete the heartbeat key'));
    },
  };
}

function parseHeartbeat(raw: string | null): RunnerHeartbeat | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<RunnerHeartbeat>;
    if (typeof value.id !== 'string' || (value.docker !== 'ok' && value.docker !== 'down')) return undefined;
    return {
      id: value.id,
      host: String(value.host ?? ''),
      docker: value.docker,
      concurrency: Number(value.concurrency ?? 0),
      poolSize: Number(value.poolSize ?? 0),
      ready: Number(value.ready ?? 0),
      at: Number(value.at ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** Every runner of `queue` whose heartbeat has not expired, healthy or not. */
export async function listRunners(redis: Redis, queue: string = RUN_QUEUE): Promise<RunnerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${heartbeatKey(queue.replace(/[*?[\]\\]/g, '\\$&'), '*')}`, 'COUNT', 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  return values.map(parseHeartbeat).filter((h): h is RunnerHeartbeat => h !== undefined);
}

/** Whether some live runner can run code now: when false, tell the learner at once instead of queueing. */
export async function hasHealthyRunner(redis: Redis, queue: string = RUN_QUEUE): Promise<boolean> {
  return (await listRunners(redis, queue)).some((r) => r.docker === 'ok');
}

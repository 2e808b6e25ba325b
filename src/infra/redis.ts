import type { RedisOptions as QueueRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { MissingServiceError } from './errors.js';

/**
 * Opens an ioredis connection from a URL: redis://, rediss:// or unix:///path/to/redis.sock.
 * `maxRetriesPerRequest: null` is what BullMQ workers require; every connection gets an error
 * listener so a Redis outage is logged instead of crashing the process.
 */
export function connectRedis(url: string, options: RedisOptions = {}, onError?: (err: Error) => void): Redis {
  const u = new URL(url);
  const base: RedisOptions = { maxRetriesPerRequest: null, ...options };
  const client = u.protocol === 'unix:' ? new Redis({ ...base, path: decodeURIComponent(u.pathname) }) : new Redis(url, base);
  client.on('error', onError ?? (() => {}));
  return client;
}

/**
 * Connection options for BullMQ from a URL, so each Queue, Worker and QueueEvents opens (and
 * closes) its own connections. BullMQ's `url` option does not understand unix:// URLs.
 */
export function redisConnectionOptions(url: string): QueueRedisOptions {
  const u = new URL(url);
  if (u.protocol === 'unix:') return { path: decodeURIComponent(u.pathname), maxRetriesPerRequest: null };
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(u.pathname.length > 1 && { db: Number(u.pathname.slice(1)) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
    maxRetriesPerRequest: null,
  };
}

/** A Redis URL as it may be shown: the password masked. */
export function shownRedisUrl(url: string): string {
  return url.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, '$1***@');
}

/**
 * Fails fast, with what to do, when Redis does not answer at start-up (instead of every queue
 * and command waiting for it silently).
 */
export async function requireRedis(client: Redis, url: string, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw new MissingServiceError(
      `Redis is not reachable at ${shownRedisUrl(url)} (${err instanceof Error ? err.message : String(err)}).\n` +
        '  Start it, or fix REDIS_URL; unset REDIS_URL to let the bot run a redis-server of its own.',
    );
  } finally {
    clearTimeout(timer);
  }
}

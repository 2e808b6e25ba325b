import type { RedisOptions as QueueRedisOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

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

import { Redis, type RedisOptions } from 'ioredis';

/**
 * Opens an ioredis connection from a URL: redis://, rediss:// or unix:///path/to/redis.sock.
 * `maxRetriesPerRequest: null` is what BullMQ workers require; every connection gets an error
 * listener so a Redis outage is logged instead of crashing the process.
 */
export function connectRedis(url: string, options: RedisOptions = {}, onError?: (err: Error) => void): Redis {
  const u = new URL(url);
  const base: RedisOptions = { maxRetriesPerRequest: null, ...options };
  const client =
    u.protocol === 'unix:' ? new Redis({ ...base, path: decodeURIComponent(u.pathname) }) : new Redis(url, base);
  client.on('error', onError ?? (() => {}));
  return client;
}

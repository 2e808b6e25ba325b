import type { Redis } from 'ioredis';

/**
 * Sliding windows in Redis (one minute unless asked otherwise): bounded memory (each key expires
 * with its window), shared by every bot process, and keyed however the caller likes (per person
 * across servers, per workspace, per channel).
 */
export interface RateLimits {
  /** Counts a hit and returns 0, or returns how many milliseconds to wait when over `limit` hits per window. */
  take(key: string, limit: number, now: number, windowMs?: number): Promise<number>;
}

const WINDOW_MS = 60_000;

// Drops hits older than the window, then counts this one unless the window is full, atomically.
const SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, window)
return 0
`;

type WithTake = Redis & { studybotTake(key: string, now: number, window: number, limit: number, member: string): Promise<number> };

export class RedisRateLimits implements RateLimits {
  private seq = 0;
  private readonly redis: WithTake;

  constructor(
    redis: Redis,
    private readonly prefix = 'studybot:rate:',
    /** Called when Redis cannot answer: limits are then not enforced (better than refusing everyone). */
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    // Sent by its hash (EVALSHA, loading it once), not as 400 bytes of source with every command.
    if (!('studybotTake' in redis)) redis.defineCommand('studybotTake', { numberOfKeys: 1, lua: SCRIPT });
    this.redis = redis as WithTake;
  }

  async take(key: string, limit: number, now: number, windowMs = WINDOW_MS): Promise<number> {
    try {
      const member = `${now}:${process.pid}:${this.seq++}`;
      const wait = await this.redis.studybotTake(this.prefix + key, now, windowMs, limit, member);
      return Math.max(0, Number(wait));
    } catch (err) {
      this.onError(err);
      return 0;
    }
  }
}

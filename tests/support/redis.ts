import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/infra/redis.js';

/** The test run's real Redis (see global-setup.ts). */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A new connection to the test Redis, suitable for BullMQ workers too. */
export function testRedis(): Redis {
  return connectRedis(testRedisUrl());
}

/** A unique name so concurrent test files never share queues or keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

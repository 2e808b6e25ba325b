import type { Config } from './config.js';
import type { Content } from './content/types.js';
import type { Db } from './db/index.js';
import type { Logger } from './logger.js';
import type { Outbox } from './chat/outbox.js';
import type { DailyLessons } from './schedule/daily.js';
import type { RunService } from './runs/service.js';

/** A source of the current time, replaceable in tests that cross midnights and DST changes. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Everything a command handler may use. Built once at start-up (src/app.ts). */
export interface Services {
  config: Config;
  content: Content;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Picks among equally good choices (quiz questions); replaceable for deterministic tests. */
  random: () => number;
  outbox: Outbox;
  daily: DailyLessons;
  runs: RunService;
}

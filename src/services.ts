import type { Outbox } from './chat/outbox.js';
import type { Config } from './config.js';
import type { Content } from './content/types.js';
import type { Db } from './db/index.js';
import type { RateLimits } from './infra/rate-limits.js';
import type { Logger } from './logger.js';
import type { RunRequest, Submission, Submitter } from './runs/index.js';
import type { AfterTrack, DailyConfig } from './schedule/daily.js';
import type { Clock } from './time.js';

/** Code runs as commands use them. */
export interface RunQueue {
  /** Validates, stores and enqueues; throws a UserError (nothing stored) when it cannot. */
  submit(who: Submitter, req: RunRequest): Promise<{ submission: Submission; position: number }>;
}

/** Daily lesson posts as commands use them. */
export interface DailySchedule {
  configure(args: {
    ws: string;
    channelId: string;
    time: string;
    timezone: string;
    track?: string | undefined;
    afterTrack?: AfterTrack | undefined;
    createdBy: string;
  }): Promise<DailyConfig>;
  remove(ws: string, channelId: string): Promise<boolean>;
  get(ws: string, channelId: string): DailyConfig | undefined;
  list(ws: string): DailyConfig[];
  nextRun(ws: string, channelId: string): Promise<number | undefined>;
  post(ws: string, channelId: string): Promise<void>;
  finish(ws: string, channelId: string, now: number): Promise<void>;
  moveTrack(ws: string, channelId: string, track: string): Promise<void>;
}

/** The bot's own clockwork as commands use it (src/schedule/timers.ts): delayed jobs that survive a restart. */
export interface TimerQueue {
  /** Runs `kind` for `key` after `delayMs`, once: a job of that name already waiting stays (bursts fold into one) unless `replace`. */
  at(kind: string, key: string, delayMs: number, data?: Record<string, string | number>, opts?: { replace?: boolean }): Promise<void>;
  /** Runs `kind` for `key` at the end of the current `everyMs` window: at most once per window, however many calls. */
  throttle(kind: string, key: string, everyMs: number, data?: Record<string, string | number>): Promise<void>;
  cancel(kind: string, key: string): Promise<void>;
}

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
  daily: DailySchedule;
  runs: RunQueue;
  /** Per-person limits shared by every bot process (Redis). */
  limits: RateLimits;
  timers: TimerQueue;
}

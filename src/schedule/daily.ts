import { DelayedError, type Job, Queue, Worker, type ConnectionOptions } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/index.js';
import { dailyConfigs } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { addDays, type Clock, localDay } from '../time.js';

export const DAILY_QUEUE = 'daily-lessons';

export type DailyConfig = typeof dailyConfigs.$inferSelect;
export type AfterTrack = DailyConfig['afterTrack'];

/** One day's post of one channel. */
interface DailyJob {
  ws: string;
  channelId: string;
  /** The local day (in the channel's zone) this post is for. */
  day: string;
}

/** A post missed while the bot was down is still sent this long after its time; later ones are skipped. */
export const GRACE_MS = 6 * 3_600_000;
/** A post that fails is tried again this many times (first retry after 30 s, then doubling). */
const ATTEMPTS = 6;

/** "09:00", "9:30", "9am", "9:30 pm" → "09:00" / "09:30" / "21:30"; undefined if not a time. */
export function parseTime(input: string): string | undefined {
  const m = /^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*$/i.exec(input);
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  const ampm = m[3]?.toLowerCase();
  if (m[2] === undefined && !ampm) return undefined;
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/**
 * The instant a daily post for `day` fires: `time` on that day in `zone`. A time that does not
 * exist that day (it falls in a DST gap) fires at the first valid local time after it; a time
 * that happens twice (the hour repeated when clocks go back) fires at the first of the two.
 */
export function fireInstant(day: string, time: string, zone: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  for (let minutes = h * 60 + m; minutes < 24 * 60; minutes++) {
    const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone });
    if (dt.hour * 60 + dt.minute !== minutes || dt.toISODate() !== day) continue; // inside a gap: luxon moved it
    // The same wall time an hour earlier in real time: the first of a repeated hour.
    const earlier = dt.minus({ hours: 1 });
    return earlier.hour === dt.hour && earlier.minute === dt.minute && earlier.toISODate() === day ? earlier.toMillis() : dt.toMillis();
  }
  return DateTime.fromISO(day, { zone }).endOf('day').toMillis();
}

const jobIdOf = (ws: string, channelId: string, day: string) => `post|${ws.replace(/:/g, '~')}|${channelId}|${day}`;

/** Posts a channel's daily lesson for a day; what is posted is decided above this module (commands/daily-post.ts). */
export type DailyPoster = (cfg: DailyConfig, day: string) => Promise<void>;

export interface DailyDeps {
  db: Db;
  connection: ConnectionOptions;
  clock: Clock;
  logger: Logger;
  poster: DailyPoster;
  /** True when the platform a workspace is on is connected in this process (posts wait until it is). */
  canPost: (ws: string) => boolean;
  queueName?: string;
}

/**
 * When daily lessons are posted: every day exactly once. The database holds each channel's
 * configuration and the last day it was posted for; each day's post is a BullMQ job whose id
 * names the channel and the day, so it can be scheduled from several places (configuration,
 * start-up, the previous post) and still run once. A post that fails is retried and the channel
 * moves on only once it is delivered; a post missed while the bot was down is sent when it comes
 * back within GRACE_MS, and skipped (with a note) after that.
 */
export class DailyLessons {
  private readonly queue: Queue<DailyJob>;
  private worker: Worker<DailyJob> | undefined;

  constructor(private readonly deps: DailyDeps) {
    this.queue = new Queue<DailyJob>(deps.queueName ?? DAILY_QUEUE, { connection: deps.connection });
    this.queue.on('error', (err) => deps.logger.error({ err }, 'daily queue error'));
  }

  /** Creates or updates a channel's daily post; re-configuring replaces, never duplicates. */
  async configure(args: {
    ws: string;
    channelId: string;
    time: string;
    timezone: string;
    track?: string | undefined;
    afterTrack?: AfterTrack | undefined;
    createdBy: string;
  }): Promise<DailyConfig> {
    const now = this.deps.clock.now();
    const values = {
      time: args.time,
      timezone: args.timezone,
      track: args.track ?? null,
      afterTrack: args.afterTrack ?? 'next',
      finishedAt: null,
      createdBy: args.createdBy,
      updatedAt: now,
    };
    const previous = this.get(args.ws, args.channelId);
    const row = this.deps.db
      .insert(dailyConfigs)
      .values({ workspace: args.ws, channelId: args.channelId, ...values })
      .onConflictDoUpdate({ target: [dailyConfigs.workspace, dailyConfigs.channelId], set: values })
      .returning()
      .get();
    if (previous) await this.unschedule(previous);
    await this.schedule(row, now);
    return row;
  }

  /** Turns a channel's daily post off. Returns false when it was not on. */
  async remove(ws: string, channelId: string): Promise<boolean> {
    const cfg = this.get(ws, channelId);
    if (!cfg) return false;
    this.deps.db
      .delete(dailyConfigs)
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .run();
    await this.unschedule(cfg);
    return true;
  }

  get(ws: string, channelId: string): DailyConfig | undefined {
    return this.deps.db
      .select()
      .from(dailyConfigs)
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .get();
  }

  list(ws: string): DailyConfig[] {
    return this.deps.db.select().from(dailyConfigs).where(eq(dailyConfigs.workspace, ws)).all();
  }

  /** The day and instant of a channel's next post, or undefined when its feed has finished. */
  next(cfg: DailyConfig, now: number): { day: string; at: number } | undefined {
    if (cfg.finishedAt !== null) return undefined;
    const today = localDay(now, cfg.timezone);
    // Today, unless today's post was delivered already or its time has passed (then tomorrow).
    for (const day of [today, addDays(today, 1)]) {
      const at = fireInstant(day, cfg.time, cfg.timezone);
      if (cfg.lastPostDay !== null && day <= cfg.lastPostDay) continue;
      if (at > now) return { day, at };
    }
    const day = addDays(today, 2);
    return { day, at: fireInstant(day, cfg.time, cfg.timezone) };
  }

  /** When the channel's next post goes out, if one is due. */
  async nextRun(ws: string, channelId: string): Promise<number | undefined> {
    const cfg = this.get(ws, channelId);
    return cfg ? this.next(cfg, this.deps.clock.now())?.at : undefined;
  }

  private async schedule(cfg: DailyConfig, now: number): Promise<void> {
    const next = this.next(cfg, now);
    if (!next) return;
    await this.enqueue(cfg, next.day, Math.max(0, next.at - now));
  }

  private async enqueue(cfg: DailyConfig, day: string, delay: number): Promise<void> {
    await this.queue.add(
      'daily-lesson',
      { ws: cfg.workspace, channelId: cfg.channelId, day },
      {
        jobId: jobIdOf(cfg.workspace, cfg.channelId, day),
        delay,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
  }

  /** Removes a channel's pending posts (reconfigured or turned off). */
  private async unschedule(cfg: DailyConfig): Promise<void> {
    const today = localDay(this.deps.clock.now(), cfg.timezone);
    for (const day of [addDays(today, -1), today, addDays(today, 1), addDays(today, 2)]) {
      const job = await this.queue.getJob(jobIdOf(cfg.workspace, cfg.channelId, day));
      if (job && (await job.isDelayed())) await job.remove();
    }
  }

  private note(cfg: DailyConfig, message: string): void {
    this.deps.db
      .update(dailyConfigs)
      .set({ lastError: message, lastErrorAt: this.deps.clock.now() })
      .where(and(eq(dailyConfigs.workspace, cfg.workspace), eq(dailyConfigs.channelId, cfg.channelId)))
      .run();
  }

  /**
   * Starts the worker and brings every channel up to date: a post missed while the bot was down
   * (yesterday's or today's) goes out now when it is less than GRACE_MS late and is skipped with a
   * note otherwise, and each channel's next post is scheduled (again: the job id makes it once).
   */
  async start(): Promise<void> {
    const now = this.deps.clock.now();
    for (const cfg of this.deps.db.select().from(dailyConfigs).all()) {
      if (cfg.finishedAt !== null) continue;
      const today = localDay(now, cfg.timezone);
      for (const day of [addDays(today, -1), today]) {
        const at = fireInstant(day, cfg.time, cfg.timezone);
        const configuredAfter = cfg.updatedAt > at;
        if (at > now || configuredAfter || (cfg.lastPostDay !== null && day <= cfg.lastPostDay)) continue;
        if (now - at <= GRACE_MS) {
          // Its job may be waiting in Redis already (scheduled before the bot went down): run it now.
          const waiting = await this.queue.getJob(jobIdOf(cfg.workspace, cfg.channelId, day));
          if (waiting && (await waiting.isDelayed())) await waiting.promote();
          else await this.enqueue(cfg, day, 0);
        } else {
          const when = DateTime.fromMillis(at, { zone: cfg.timezone }).toFormat("ccc d LLL 'at' HH:mm");
          this.note(
            cfg,
            `The post of ${when} was skipped: the bot was not running then, and came back more than ${GRACE_MS / 3_600_000} hours later.`,
          );
          this.deps.logger.warn({ ws: cfg.workspace, channel: cfg.channelId, day }, 'daily post skipped: missed by more than the grace window');
          this.deps.db
            .update(dailyConfigs)
            .set({ lastPostDay: day })
            .where(and(eq(dailyConfigs.workspace, cfg.workspace), eq(dailyConfigs.channelId, cfg.channelId)))
            .run();
          const stale = await this.queue.getJob(jobIdOf(cfg.workspace, cfg.channelId, day));
          if (stale && (await stale.isDelayed())) await stale.remove();
        }
      }
      const fresh = this.get(cfg.workspace, cfg.channelId);
      if (fresh) await this.schedule(fresh, now);
    }
    this.worker = new Worker<DailyJob>(this.queue.name, (job, token) => this.process(job, token), {
      connection: this.deps.connection,
      concurrency: 4,
    });
    this.worker.on('error', (err) => this.deps.logger.error({ err }, 'daily worker error'));
    this.worker.on('failed', (job, err) => {
      if (!job || job.attemptsMade < ATTEMPTS) return;
      // Out of attempts: the day is given up (the note says why) and the next one is scheduled.
      this.deps.logger.error({ err, job: job.data }, 'daily post failed for good');
      const cfg = this.get(job.data.ws, job.data.channelId);
      if (cfg) void this.schedule({ ...cfg, lastPostDay: job.data.day }, this.deps.clock.now()).catch(() => undefined);
    });
  }

  private async process(job: Job<DailyJob>, token: string | undefined): Promise<void> {
    const { ws, channelId, day } = job.data;
    const cfg = this.get(ws, channelId);
    if (!cfg || cfg.finishedAt !== null) return;
    if (cfg.lastPostDay !== null && day <= cfg.lastPostDay) {
      await this.schedule(cfg, this.deps.clock.now());
      return;
    }
    // Fired before this process has the platform connected (at start-up): wait for it, attempt not spent.
    if (!this.deps.canPost(ws)) {
      await job.moveToDelayed(Date.now() + 2000, token);
      throw new DelayedError();
    }
    try {
      await this.deps.poster(cfg, day);
    } catch (err) {
      this.note(cfg, `Posting failed (attempt ${job.attemptsMade + 1} of ${ATTEMPTS}): ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    const now = this.deps.clock.now();
    this.deps.db
      .update(dailyConfigs)
      .set({ lastPostDay: day, lastPostAt: now, lastError: null, lastErrorAt: null })
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .run();
    this.deps.logger.info({ ws, channelId, day }, 'daily lesson posted');
    const after = this.get(ws, channelId);
    if (after) await this.schedule(after, now);
  }

  /** A track feed set to stop has ended: no more posts until it is configured again. */
  async finish(ws: string, channelId: string, now: number): Promise<void> {
    this.deps.db
      .update(dailyConfigs)
      .set({ finishedAt: now })
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .run();
  }

  /** A track feed went on to the next track (`afterTrack` "next"). */
  async moveTrack(ws: string, channelId: string, track: string): Promise<void> {
    this.deps.db
      .update(dailyConfigs)
      .set({ track })
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .run();
  }

  /** Posts the channel's next lesson now (`/config daily now`), counting as today's post. */
  async post(ws: string, channelId: string): Promise<void> {
    const cfg = this.get(ws, channelId);
    if (!cfg || cfg.finishedAt !== null) return;
    const day = localDay(this.deps.clock.now(), cfg.timezone);
    await this.deps.poster(cfg, day);
    this.deps.db
      .update(dailyConfigs)
      .set({ lastPostDay: day, lastPostAt: this.deps.clock.now(), lastError: null, lastErrorAt: null })
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .run();
    await this.unschedule(cfg);
    const after = this.get(ws, channelId);
    if (after) await this.schedule(after, this.deps.clock.now());
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

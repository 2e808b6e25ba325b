import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { dailyConfigs } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time.js';

export const DAILY_QUEUE = 'daily-lessons';

export type DailyConfig = typeof dailyConfigs.$inferSelect;

interface DailyJob {
  ws: string;
  channelId: string;
}

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

export function schedulerId(ws: string, channelId: string): string {
  return `daily:${ws}:${channelId}`;
}

/** Posts a channel's daily lesson; what is posted is decided above this module (commands/daily-post.ts). */
export type DailyPoster = (cfg: DailyConfig) => Promise<void>;

/**
 * When daily lessons are posted. The database holds each channel's configuration; a BullMQ job
 * scheduler per channel (`upsertJobScheduler` with a cron pattern and time zone, id
 * `daily:<ws>:<channel>`) fires at the local time, and this process's worker calls the poster.
 */
export class DailyLessons {
  private readonly queue: Queue<DailyJob>;
  private worker: Worker<DailyJob> | undefined;

  constructor(
    private readonly deps: {
      db: Db;
      connection: ConnectionOptions;
      clock: Clock;
      logger: Logger;
      poster: DailyPoster;
      queueName?: string;
    },
  ) {
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
    createdBy: string;
  }): Promise<DailyConfig> {
    const row = {
      workspace: args.ws,
      channelId: args.channelId,
      time: args.time,
      timezone: args.timezone,
      track: args.track ?? null,
      createdBy: args.createdBy,
      updatedAt: this.deps.clock.now(),
    };
    // The scheduler first: if Redis is down the command fails and the database keeps the old setting.
    await this.upsertScheduler(row);
    this.deps.db
      .insert(dailyConfigs)
      .values(row)
      .onConflictDoUpdate({ target: [dailyConfigs.workspace, dailyConfigs.channelId], set: row })
      .run();
    return row;
  }

  /** Turns a channel's daily post off. Returns false when it was not on. */
  async remove(ws: string, channelId: string): Promise<boolean> {
    await this.queue.removeJobScheduler(schedulerId(ws, channelId));
    const res = this.deps.db
      .delete(dailyConfigs)
      .where(and(eq(dailyConfigs.workspace, ws), eq(dailyConfigs.channelId, channelId)))
      .run();
    return res.changes > 0;
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

  /** When the scheduler will fire next for a channel, if it exists. */
  async nextRun(ws: string, channelId: string): Promise<number | undefined> {
    const s = await this.queue.getJobScheduler(schedulerId(ws, channelId));
    return s?.next ?? undefined;
  }

  private async upsertScheduler(c: DailyConfig): Promise<void> {
    const [hh, mm] = c.time.split(':');
    await this.queue.upsertJobScheduler(
      schedulerId(c.workspace, c.channelId),
      { pattern: `${Number(mm)} ${Number(hh)} * * *`, tz: c.timezone },
      {
        name: 'daily-lesson',
        data: { ws: c.workspace, channelId: c.channelId },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }

  /**
   * Starts the worker and makes Redis match the database: every configured channel has its
   * scheduler (Redis may have been flushed), and schedulers without a configuration are removed.
   */
  async start(): Promise<void> {
    const configs = this.deps.db.select().from(dailyConfigs).all();
    const wanted = new Set(configs.map((c) => schedulerId(c.workspace, c.channelId)));
    for (const c of configs) await this.upsertScheduler(c);
    for (const s of await this.queue.getJobSchedulers(0, -1)) {
      if (s.key && !wanted.has(s.key)) await this.queue.removeJobScheduler(s.key);
    }
    this.worker = new Worker<DailyJob>(this.queue.name, (job) => this.post(job.data.ws, job.data.channelId), {
      connection: this.deps.connection,
      concurrency: 2,
    });
    this.worker.on('error', (err) => this.deps.logger.error({ err }, 'daily worker error'));
    this.worker.on('failed', (job, err) => this.deps.logger.error({ err, job: job?.data }, 'daily post failed'));
  }

  /** Posts the channel's daily lesson now: the scheduler's firing, and `/config daily now`. */
  async post(ws: string, channelId: string): Promise<void> {
    const cfg = this.get(ws, channelId);
    if (!cfg) {
      // Configuration removed while a firing was pending: stop the scheduler for good.
      await this.queue.removeJobScheduler(schedulerId(ws, channelId));
      return;
    }
    await this.deps.poster(cfg);
    this.deps.logger.info({ ws, channelId }, 'daily lesson posted');
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

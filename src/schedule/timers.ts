import { type ConnectionOptions, DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../logger.js';

export const TIMERS_QUEUE = 'timers';

/** Something to do at a time: reveal a quiz post, refresh a count, the next step of a round. */
export interface TimerJob {
  kind: string;
  /** What it is about (a post id, a round id); with `kind`, it names the job, so it is scheduled once. */
  key: string;
  data: Record<string, string | number>;
  /** When it is due by the bot's clock (what a delay was measured against). */
  due?: number;
}

export type TimerHandler = (job: TimerJob) => Promise<void>;

/**
 * Delayed jobs in Redis for the bot's own clockwork. They survive a restart of the bot (a round
 * carries on, a question is still revealed), fire once per name, and wait for the platform to be
 * connected before they run.
 */
export class Timers {
  private readonly queue: Queue<TimerJob>;
  private worker: Worker<TimerJob> | undefined;

  constructor(
    private readonly deps: {
      connection: ConnectionOptions;
      logger: Logger;
      handler: TimerHandler;
      /** True when the job's workspace's platform is connected in this process. */
      ready: (job: TimerJob) => boolean;
      /** The bot's clock, which `due` is stated in (default: the system clock). */
      now?: () => number;
      /**
       * Holds every timer this long in real time whatever its delay (its `due` stays as asked): for
       * tests that run timers themselves on a manual clock.
       */
      holdMs?: number;
      queueName?: string;
    },
  ) {
    this.queue = new Queue<TimerJob>(deps.queueName ?? TIMERS_QUEUE, { connection: deps.connection });
    this.queue.on('error', (err) => deps.logger.error({ err }, 'timers queue error'));
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private id(kind: string, key: string): string {
    return `${kind}|${key.replace(/:/g, '~')}`;
  }

  /**
   * Runs `kind` for `key` after `delayMs`. A job of that name already waiting stays as it is (so
   * bursts fold into one), unless `replace` asks for the new time.
   */
  async at(kind: string, key: string, delayMs: number, data: TimerJob['data'] = {}, opts: { replace?: boolean } = {}): Promise<void> {
    const jobId = this.id(kind, key);
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if ((state === 'delayed' || state === 'waiting') && !opts.replace) return;
      if (state !== 'active') await existing.remove().catch(() => undefined);
    }
    await this.queue.add(
      kind,
      { kind, key, data, due: this.now() + Math.max(0, delayMs) },
      {
        jobId,
        delay: this.deps.holdMs ?? Math.max(0, delayMs),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      },
    );
  }

  /**
   * Runs `kind` for `key` at the end of the current `everyMs` window: however many calls come in
   * a window, the job runs once, and at most once per window (a count edited as answers arrive).
   */
  async throttle(kind: string, key: string, everyMs: number, data: TimerJob['data'] = {}): Promise<void> {
    const now = Date.now();
    const slot = Math.floor(now / everyMs) + 1;
    const jobId = `${this.id(kind, key)}@${slot}`;
    const delay = slot * everyMs - now;
    await this.queue.add(
      kind,
      { kind, key, data, due: this.now() + delay },
      {
        jobId,
        delay: this.deps.holdMs ?? delay,
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: Math.ceil((everyMs * 2) / 1000) },
        removeOnFail: { count: 1000 },
      },
    );
  }

  /** Cancels a waiting job (a round stopped early). */
  async cancel(kind: string, key: string): Promise<void> {
    const job = await this.queue.getJob(this.id(kind, key));
    if (job && (await job.getState()) !== 'active') await job.remove().catch(() => undefined);
  }

  start(): void {
    this.worker = new Worker<TimerJob>(this.queue.name, (job, token) => this.process(job, token), {
      connection: this.deps.connection,
      concurrency: 4,
    });
    this.worker.on('error', (err) => this.deps.logger.error({ err }, 'timers worker error'));
    this.worker.on('failed', (job, err) => this.deps.logger.warn({ err, job: job?.data }, 'a timer failed'));
  }

  private async process(job: Job<TimerJob>, token: string | undefined): Promise<void> {
    if (!this.deps.ready(job.data)) {
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    await this.deps.handler(job.data);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

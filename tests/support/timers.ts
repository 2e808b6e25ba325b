import { type Job, Queue } from 'bullmq';
import { redisConnectionOptions } from '../../src/infra/redis.js';
import type { TimerJob } from '../../src/schedule/timers.js';
import type { ManualClock } from './app.js';

/**
 * Drives the bot's timers (real BullMQ delayed jobs, run by the app's own worker) on a manual
 * clock: `next()` moves the clock to the earliest due timer and promotes every timer due then, so
 * a twenty-second question takes milliseconds and the scoring sees the times the test chose.
 */
export class TimerDriver {
  private readonly queue: Queue<TimerJob>;

  constructor(
    redisUrl: string,
    queueName: string,
    private readonly clock: ManualClock,
  ) {
    this.queue = new Queue<TimerJob>(queueName, { connection: redisConnectionOptions(redisUrl) });
  }

  /** Timers waiting to run, earliest first. */
  async pending(): Promise<Job<TimerJob>[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    return jobs.filter((j) => j?.data).sort((a, b) => (a.data.due ?? 0) - (b.data.due ?? 0));
  }

  /** The kinds of the timers waiting, in order ("round-reveal", …). */
  async kinds(): Promise<string[]> {
    return (await this.pending()).map((j) => j.data.kind);
  }

  /**
   * Moves the clock to the next due timer (never backwards) and runs every timer due by then,
   * waiting until each has finished. Returns the kinds run; [] when nothing is pending.
   */
  async next(): Promise<string[]> {
    const jobs = await this.pending();
    if (!jobs.length) return [];
    const due = jobs[0]!.data.due ?? this.clock.now();
    if (due > this.clock.now()) this.clock.advance(due - this.clock.now());
    const batch = jobs.filter((j) => (j.data.due ?? 0) <= this.clock.now());
    for (const job of batch) {
      if ((await job.getState()) === 'delayed') await job.promote();
    }
    for (const job of batch) await this.settled(job);
    return batch.map((j) => j.data.kind);
  }

  /** Runs timers until one of `kind` has run (or throws after `max` batches); returns the kinds run. */
  async drainUntil(kind: string, max = 50): Promise<string[]> {
    const all: string[] = [];
    for (let i = 0; i < max; i++) {
      const ran = await this.next();
      if (!ran.length) throw new Error(`no timer pending, waiting for "${kind}" (ran: ${all.join(', ')})`);
      all.push(...ran);
      if (ran.includes(kind)) return all;
    }
    throw new Error(`no "${kind}" timer within ${max} batches (ran: ${all.join(', ')})`);
  }

  /** Runs every timer, including the ones they schedule, until none is left. */
  async drain(max = 200): Promise<string[]> {
    const all: string[] = [];
    for (let i = 0; i < max; i++) {
      const ran = await this.next();
      if (!ran.length) return all;
      all.push(...ran);
    }
    throw new Error(`timers still pending after ${max} batches: ${(await this.kinds()).join(', ')}`);
  }

  private async settled(job: Job<TimerJob>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.queue.getJobState(job.id!);
      if (state === 'completed' || state === 'unknown') return;
      if (state === 'failed') throw new Error(`timer ${job.id} failed: ${(await this.queue.getJob(job.id!))?.failedReason}`);
      if (state === 'delayed') {
        const now = await this.queue.getJob(job.id!);
        if (now && now.attemptsMade > 0) throw new Error(`timer ${job.id} failed and will be retried: ${now.failedReason}`);
      }
      if (Date.now() > deadline) throw new Error(`timer ${job.id} (${job.data.kind}) still ${state} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

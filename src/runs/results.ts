import { Job, QueueEvents, type ConnectionOptions, type Queue } from 'bullmq';
import type { Content } from '../content/types.js';
import { parseResult, type RunJobData, type RunJobResult } from '../contract/code-runs.js';
import type { Db } from '../db/index.js';
import { recordRunResult } from '../infra/metrics.js';
import { MILESTONES } from '../learning/streaks.js';
import type { Logger } from '../logger.js';
import { Deliveries, type DeliveryDeps } from './delivery.js';
import { renderWaiting } from './render.js';
import { dropReplyHandles, queuedSubmissions, storeOutcome, undeliveredSubmissions, type Outcome, type Submission } from './submissions.js';

export interface ResultsDeps extends DeliveryDeps {
  db: Db;
  content: Content;
  queue: Queue<RunJobData, RunJobResult>;
  connection: ConnectionOptions;
  logger: Logger;
  defaultZone: string;
  /** How long a queued run may wait while no healthy runner exists before it is cancelled. */
  resultTimeoutSeconds: number;
  reconcileEveryMs: number;
  /** True when at least one runner with a working Docker engine is alive. */
  runnersAvailable: () => Promise<boolean>;
  onPoints?: (ws: string) => void;
  onMilestone?: (s: Submission, days: number) => void;
}

/** What a learner reads when the runners failed their job; the runner's own reason goes to the logs. */
export const RUNNER_FAILED = 'the code runner failed while running it';
export const RUNNERS_GONE = 'no code runner was available to run it, so it was cancelled';

/** Posts at most this many results at once when catching up (a platform's rate limits allow a few). */
const CATCH_UP_CONCURRENCY = 4;
/** A waiting learner hears of their place in the queue after this long, and again when it changes. */
const NOTICE_AFTER_MS = 10_000;

async function inParallel<T>(items: T[], limit: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * The consumer side of results: turns runners' return values into stored outcomes, points and chat
 * posts, whether they arrive live (QueueEvents) or after a restart (reconciliation). Each outcome
 * is stored once and shown once; posts are retried until the platform accepts them.
 */
export class RunResults {
  private events: QueueEvents | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private readonly waiters = new Map<string, (s: Submission) => void>();
  private readonly deliveries: Deliveries;
  /** The last queue notice shown per waiting submission (its position), so it is edited only on change. */
  private readonly noticed = new Map<string, string>();
  /** Since when no healthy runner has been seen (while runs waited), or undefined. */
  private unhealthySince: number | undefined;

  constructor(private readonly deps: ResultsDeps) {
    this.deliveries = new Deliveries(deps);
  }

  /** Listens for results and starts the periodic reconciliation. */
  async start(): Promise<void> {
    const { queue, connection, logger } = this.deps;
    this.events = new QueueEvents(queue.name, { connection });
    this.events.on('error', (err) => logger.error({ err }, 'code-runs events error'));
    this.events.on('completed', ({ jobId, returnvalue }) => void this.completed(jobId, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => {
      // 'failed' also fires for attempts that will be retried; only a job in the failed set is final.
      void Job.fromId(queue, jobId).then(async (job) => {
        if (job && (await job.getState()) === 'failed') await this.failed(jobId, failedReason);
      });
    });
    await this.events.waitUntilReady();
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.deps.reconcileEveryMs);
    this.timer.unref();
  }

  /**
   * Catches up with anything missed: results that finished while the bot was down, results
   * stored but not yet posted, and submissions still waiting (their place in the queue, or
   * cancellation when no runner has been able to take them for too long).
   */
  reconcile(): Promise<void> {
    this.reconciling ??= this.doReconcile().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async doReconcile(): Promise<void> {
    const { db, queue, logger } = this.deps;
    try {
      const now = this.deps.now();
      let healthy: boolean | undefined;
      let waitingIds: string[] | undefined;
      for (const s of queuedSubmissions(db)) {
        let job = await Job.fromId<RunJobData, RunJobResult>(queue, s.id);
        const state = job ? await job.getState() : 'unknown';
        // The job may have finished between reading it and asking its state: its result is read
        // again, or a run that went well would be stored as an unreadable result.
        if (job && (state === 'completed' || state === 'failed')) job = (await Job.fromId<RunJobData, RunJobResult>(queue, s.id)) ?? job;
        if (job && state === 'completed') await this.completed(s.id, job.returnvalue);
        else if (job && state === 'failed') await this.failed(s.id, job.failedReason);
        else if (!job) {
          if (now - s.createdAt > 30_000) await this.finish(s.id, { error: 'the job was lost from the queue' });
        } else if (state !== 'active' && now - s.createdAt > NOTICE_AFTER_MS) {
          // A run that has started is never given up on; a waiting one waits its turn.
          if (healthy === undefined) {
            healthy = await this.deps.runnersAvailable();
            this.unhealthySince = healthy ? undefined : (this.unhealthySince ?? now);
          }
          const timeoutMs = this.deps.resultTimeoutSeconds * 1000;
          if (!healthy && now - (this.unhealthySince ?? now) >= timeoutMs && now - s.createdAt > timeoutMs) {
            // A job a runner took meanwhile is locked and stays: its result will come.
            const removed = await job.remove().then(
              () => true,
              () => false,
            );
            if (removed) await this.finish(s.id, { error: RUNNERS_GONE });
            continue;
          }
          waitingIds ??= (await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1, true)).map((j) => j.id ?? '');
          const position = waitingIds.indexOf(s.id) + 1;
          const notice = `${position}:${healthy}`;
          if (this.noticed.get(s.id) !== notice) {
            this.noticed.set(s.id, notice);
            await this.deliveries.notice(s, renderWaiting(s, this.deps.content, { position, runnersUp: healthy }));
          }
        }
      }
      const pending = undeliveredSubmissions(db, now);
      await inParallel(pending, CATCH_UP_CONCURRENCY, (s) => this.deliveries.result(s));
      dropReplyHandles(db, { expiredBefore: now });
    } catch (err) {
      logger.warn({ err }, 'reconciliation failed; will retry');
    }
  }

  private async failed(id: string, reason: string): Promise<void> {
    // The runner's reason may name hosts, sockets or stack frames: operators read it in the log.
    this.deps.logger.warn({ submission: id, reason }, 'a runner gave up on a code run');
    await this.finish(id, { error: RUNNER_FAILED });
  }

  private async completed(id: string, returnvalue: unknown): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = parseResult(returnvalue);
    } catch (err) {
      this.deps.logger.error({ err, submission: id }, 'a runner returned a result that breaks the contract');
      outcome = { error: 'the runner returned an unreadable result' };
    }
    await this.finish(id, outcome);
  }

  /** Stores the outcome (once) and posts it. A failed post is retried by later reconciliations. */
  async finish(id: string, outcome: Outcome): Promise<void> {
    if ('error' in outcome) this.deps.logger.warn({ submission: id, reason: outcome.error }, 'code run failed');
    try {
      const s = storeOutcome(this.deps.db, this.deps.content, id, outcome, this.deps.now(), this.deps.defaultZone);
      if (!s) return;
      recordRunResult(s, outcome, this.deps.now());
      this.noticed.delete(id);
      this.waiters.get(id)?.(s);
      if (s.pointsAwarded) this.deps.onPoints?.(s.workspace);
      if (s.streakDays !== null && (MILESTONES as readonly number[]).includes(s.streakDays)) this.deps.onMilestone?.(s, s.streakDays);
      await this.deliveries.result(s, { force: true });
    } catch (err) {
      this.deps.logger.error({ err, submission: id }, 'storing a code result failed');
    }
  }

  /** Resolves when the submission has an outcome stored (for the CLI and tests). */
  waitFor(id: string, existing: Submission | undefined, timeoutMs?: number): Promise<Submission> {
    if (existing && existing.status !== 'queued') return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const t =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.waiters.delete(id);
              reject(new Error(`no result for ${id} within ${timeoutMs} ms`));
            }, timeoutMs);
      this.waiters.set(id, (s) => {
        clearTimeout(t);
        this.waiters.delete(id);
        resolve(s);
      });
    });
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.events?.close();
  }
}

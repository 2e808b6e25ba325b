import { Job, QueueEvents, type ConnectionOptions, type Queue } from 'bullmq';
import type { Content } from '../content/types.js';
import { parseResult, type RunJobData, type RunJobResult } from '../contract/code-runs.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { deliverResult, type DeliveryDeps } from './delivery.js';
import { dropReplyHandles, queuedSubmissions, storeOutcome, undeliveredSubmissions, type Outcome, type Submission } from './submissions.js';

export interface ResultsDeps extends DeliveryDeps {
  db: Db;
  content: Content;
  queue: Queue<RunJobData, RunJobResult>;
  connection: ConnectionOptions;
  logger: Logger;
  defaultZone: string;
  resultTimeoutSeconds: number;
  reconcileEveryMs: number;
  onPoints?: (ws: string) => void;
}

/**
 * The consumer side of results: turns runners' return values into stored outcomes, points and chat
 * posts exactly once, whether they arrive live (QueueEvents) or after a restart (reconciliation).
 */
export class RunResults {
  private events: QueueEvents | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private readonly waiters = new Map<string, (s: Submission) => void>();

  constructor(private readonly deps: ResultsDeps) {}

  /** Listens for results and starts the periodic reconciliation. */
  async start(): Promise<void> {
    const { queue, connection, logger } = this.deps;
    this.events = new QueueEvents(queue.name, { connection });
    this.events.on('error', (err) => logger.error({ err }, 'code-runs events error'));
    this.events.on('completed', ({ jobId, returnvalue }) => void this.completed(jobId, returnvalue));
    this.events.on('failed', ({ jobId, failedReason }) => {
      // 'failed' also fires for attempts that will be retried; only a job in the failed set is final.
      void Job.fromId(queue, jobId).then(async (job) => {
        if (job && (await job.getState()) === 'failed') await this.finish(jobId, { error: failedReason });
      });
    });
    await this.events.waitUntilReady();
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.deps.reconcileEveryMs);
    this.timer.unref();
  }

  /**
   * Catches up with anything missed: results that finished while the bot was down, results
   * stored but not yet posted, and submissions nobody picked up in time.
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
      for (const s of queuedSubmissions(db)) {
        const job = await Job.fromId<RunJobData, RunJobResult>(queue, s.id);
        const state = job ? await job.getState() : 'unknown';
        if (job && state === 'completed') await this.completed(s.id, job.returnvalue);
        else if (job && state === 'failed') await this.finish(s.id, { error: job.failedReason });
        else if (now - s.createdAt > this.deps.resultTimeoutSeconds * 1000) {
          await job?.remove().catch(() => undefined);
          await this.finish(s.id, { error: 'no runner picked it up in time' });
        } else if (!job && now - s.createdAt > 30_000) {
          await this.finish(s.id, { error: 'the job was lost from the queue' });
        }
      }
      for (const s of undeliveredSubmissions(db, now)) await deliverResult(this.deps, s);
      dropReplyHandles(db, { expiredBefore: now });
    } catch (err) {
      logger.warn({ err }, 'reconciliation failed; will retry');
    }
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

  /** Stores the outcome (once) and posts it. A failure leaves it for the next reconciliation. */
  async finish(id: string, outcome: Outcome): Promise<void> {
    if ('error' in outcome) this.deps.logger.warn({ submission: id, reason: outcome.error }, 'code run failed');
    try {
      const s = storeOutcome(this.deps.db, this.deps.content, id, outcome, this.deps.now(), this.deps.defaultZone);
      if (!s) return;
      this.waiters.get(id)?.(s);
      if (s.pointsAwarded) this.deps.onPoints?.(s.workspace);
      await deliverResult(this.deps, s);
    } catch (err) {
      this.deps.logger.error({ err, submission: id }, 'storing a code result failed');
    }
  }

  /** Resolves when the submission has an outcome stored (for the CLI and tests). */
  waitFor(id: string, existing: Submission | undefined, timeoutMs: number): Promise<Submission> {
    if (existing && existing.status !== 'queued') return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
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

import { Queue, type ConnectionOptions } from 'bullmq';
import type { Outbox } from '../chat/outbox.js';
import type { Config } from '../config.js';
import type { Content } from '../content/types.js';
import { RUN_QUEUE, type RunJobData, type RunJobResult } from '../contract/code-runs.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time.js';
import { submitRun, type RunRequest, type Submitter } from './producer.js';
import type { Message } from '../chat/reply.js';
import { renderOutcome, type Limits } from './render.js';
import { RunResults } from './results.js';
import { getSubmission, outcomeOf, queuedCount, type Outcome, type Submission } from './submissions.js';

export { gradeJob, type RunRequest, type Submitter } from './producer.js';
export { renderQueued } from './render.js';
export type { Submission } from './submissions.js';
export { conversationOf } from './submissions.js';

export interface RunServiceDeps {
  db: Db;
  content: Content;
  config: Config;
  connection: ConnectionOptions;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  runnersAvailable: () => Promise<boolean>;
  queueName?: string;
  reconcileEveryMs?: number;
  /** Told when a result has awarded points in a workspace (pinned boards refresh). */
  onPoints?: (ws: string) => void;
  /** Told when a result extended a learner's streak to a milestone (7, 30, 100, 365 days). */
  onMilestone?: (s: Submission, days: number) => void;
}

/** Code runs as the bot sees them: submit (producer), then results stored and posted once. */
export class RunService {
  readonly queue: Queue<RunJobData, RunJobResult>;
  private readonly results: RunResults;

  constructor(private readonly deps: RunServiceDeps) {
    this.queue = new Queue<RunJobData, RunJobResult>(deps.queueName ?? RUN_QUEUE, { connection: deps.connection });
    this.queue.on('error', (err) => deps.logger.error({ err }, 'code-runs queue error'));
    this.results = new RunResults({
      db: deps.db,
      content: deps.content,
      outbox: deps.outbox,
      logger: deps.logger,
      queue: this.queue,
      connection: deps.connection,
      limits: this.limits,
      now: () => deps.clock.now(),
      defaultZone: deps.config.defaultTimeZone,
      resultTimeoutSeconds: deps.config.runs.resultTimeoutSeconds,
      reconcileEveryMs: deps.reconcileEveryMs ?? 10_000,
      runnersAvailable: deps.runnersAvailable,
      ...(deps.onPoints && { onPoints: deps.onPoints }),
      ...(deps.onMilestone && { onMilestone: deps.onMilestone }),
    });
  }

  get limits(): Limits {
    const r = this.deps.config.runner;
    return {
      timeoutSeconds: r.timeoutSeconds,
      memoryMb: r.memoryMb,
      outputKb: r.outputKb,
      checkTimeoutSeconds: r.checkTimeoutSeconds,
      checkMemoryMb: r.checkMemoryMb,
    };
  }

  /** Validates, stores and enqueues a run; a UserError (nothing stored) for bad code, limits or no runner. */
  submit(who: Submitter, req: RunRequest): Promise<{ submission: Submission; position: number }> {
    const { db, logger, config } = this.deps;
    return submitRun(
      {
        db,
        queue: this.queue,
        logger,
        limits: { codeMaxBytes: config.runs.codeMaxBytes, perMinute: config.runs.perMinute },
        runnersAvailable: this.deps.runnersAvailable,
        abandon: (id, reason) => void this.results.finish(id, { error: reason }),
      },
      who,
      req,
      this.deps.clock.now(),
    );
  }

  start(): Promise<void> {
    return this.results.start();
  }

  reconcile(): Promise<void> {
    return this.results.reconcile();
  }

  get(id: string): Submission | undefined {
    return getSubmission(this.deps.db, id);
  }

  /** Resolves when the submission has an outcome stored (for the CLI and tests); without `timeoutMs`, waits as long as that takes. */
  waitFor(id: string, timeoutMs?: number): Promise<Submission> {
    return this.results.waitFor(id, this.get(id), timeoutMs);
  }

  /** What a finished submission came to (the runner's result, or why it could not run). */
  outcome(s: Submission): Outcome {
    const o = outcomeOf(s);
    if (!o) throw new Error(`submission ${s.id} has no outcome yet`);
    return o;
  }

  /** The chat message for a finished submission, as learners see it. */
  resultMessage(s: Submission): Message {
    return renderOutcome(s, this.outcome(s), this.limits, this.deps.content);
  }

  /** Submissions still waiting for a result (the terminal waits for these before exiting). */
  pendingCount(): number {
    return queuedCount(this.deps.db);
  }

  async close(): Promise<void> {
    await this.results.close();
    await this.queue.close();
  }
}

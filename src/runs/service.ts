import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { ChatContext, Conversation } from '../chat/context.js';
import { workspaceKey } from '../chat/context.js';
import { formatWait, RateLimitError, UnavailableError, UserError } from '../chat/errors.js';
import type { Outbox } from '../chat/outbox.js';
import type { Message } from '../chat/reply.js';
import type { Config } from '../config.js';
import type { Challenge, Content } from '../content/types.js';
import type { Db } from '../db/index.js';
import { submissions } from '../db/schema.js';
import { award } from '../learning/points.js';
import { recordActivity } from '../learning/streaks.js';
import { touchUser, userTimeZone } from '../learning/users.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../services.js';
import { RUN_QUEUE, type GradeJob, type RunJob, type RunJobData, type RunJobResult } from './contract.js';
import { renderGradeResult, renderRunResult } from './render.js';
import { validateCode } from './validate.js';

export type Submission = typeof submissions.$inferSelect;

export type RunRequest = { kind: 'run'; code: string; stdin?: string } | { kind: 'grade'; challengeId: string; code: string };

/** Sets how jobs live in Redis: retried by another runner on failure, cleaned up after a while. */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

const STDIN_MAX_BYTES = 64 * 1024;

/** Turns a challenge into the job a runner grades: expected outputs travel to the runner only. */
export function gradeJob(submissionId: string, code: string, ch: Challenge): GradeJob {
  return {
    kind: 'grade',
    submissionId,
    challengeId: ch.id,
    code,
    grader: ch.grader,
    ...(ch.target && { target: ch.target }),
    timeLimitSeconds: ch.timeLimitSeconds,
    cases: ch.cases.map((c) => ({ ...c })),
  };
}

/**
 * The producer side of code runs. Stores each submission, enqueues it (job id = submission id, so
 * a retry never runs twice), and turns results into stored outcomes, points and chat posts exactly
 * once — whether they arrive live (QueueEvents) or after a restart (reconciliation).
 */
export class RunService {
  readonly queue: Queue<RunJobData, RunJobResult>;
  private events: QueueEvents | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly waiters = new Map<string, (s: Submission) => void>();
  private reconciling: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      db: Db;
      content: Content;
      config: Config;
      connection: ConnectionOptions;
      outbox: Outbox;
      clock: Clock;
      logger: Logger;
      /** True when at least one runner with a working Docker engine is alive. */
      runnersAvailable: () => Promise<boolean>;
      queueName?: string;
      reconcileEveryMs?: number;
    },
  ) {
    this.queue = new Queue<RunJobData, RunJobResult>(deps.queueName ?? RUN_QUEUE, { connection: deps.connection });
    this.queue.on('error', (err) => deps.logger.error({ err }, 'code-runs queue error'));
  }

  get limits() {
    const r = this.deps.config.runner;
    return { timeoutSeconds: r.timeoutSeconds, memoryMb: r.memoryMb, outputKb: r.outputKb };
  }

  /**
   * Validates, stores and enqueues a run. Throws a UserError (nothing stored) for bad code, limits
   * and an unavailable runner. Returns the submission and its place in the queue.
   */
  async submit(ctx: ChatContext, req: RunRequest): Promise<{ submission: Submission; position: number }> {
    const { db, config, clock, content } = this.deps;
    const code = validateCode(req.code, config.runs.codeMaxBytes);
    let stdin: string | null = null;
    if (req.kind === 'run' && req.stdin) {
      if (Buffer.byteLength(req.stdin) > STDIN_MAX_BYTES) throw new UserError(`The input is over ${STDIN_MAX_BYTES / 1024} KiB.`);
      stdin = req.stdin.endsWith('\n') ? req.stdin : `${req.stdin}\n`;
    }
    const challenge = req.kind === 'grade' ? content.challengeById.get(req.challengeId) : undefined;
    if (req.kind === 'grade' && !challenge) {
      throw new UserError(`There is no challenge "${req.challengeId}".`, 'See `/challenges` for the list.');
    }
    if (!(await this.deps.runnersAvailable())) {
      throw new UnavailableError('The code runner is unavailable right now, so your code was not run. Please try again in a minute.');
    }
    const ws = workspaceKey(ctx);
    const now = clock.now();
    // The CLI submits without going through the router, which records users for chat commands.
    touchUser(db, ctx, now);
    const submission = db.transaction((tx) => {
      const mine = and(eq(submissions.workspace, ws), eq(submissions.userId, ctx.userId));
      const inFlight = tx
        .select({ createdAt: submissions.createdAt })
        .from(submissions)
        .where(and(mine, eq(submissions.status, 'queued')))
        .get();
      if (inFlight) {
        throw new RateLimitError(
          `You already have code running (sent ${formatWait(now - inFlight.createdAt)} ago). Its result will be posted here; send more once it arrives.`,
          1000,
        );
      }
      const recent = tx
        .select({ createdAt: submissions.createdAt })
        .from(submissions)
        .where(and(mine, gte(submissions.createdAt, now - 60_000)))
        .orderBy(submissions.createdAt)
        .all();
      if (recent.length >= config.runs.perMinute) {
        const wait = recent[0]!.createdAt + 60_000 - now;
        throw new RateLimitError(`You have sent ${recent.length} runs in the last minute. Try again in ${formatWait(wait)}.`, wait);
      }
      return tx
        .insert(submissions)
        .values({
          id: randomUUID(),
          workspace: ws,
          userId: ctx.userId,
          channelId: ctx.channelId,
          kind: req.kind,
          challengeId: challenge?.id ?? null,
          code,
          stdin,
          status: 'queued',
          conversation: JSON.stringify(ctx.conversation),
          createdAt: now,
        })
        .returning()
        .get();
    });
    const job: RunJobData =
      req.kind === 'run'
        ? ({ kind: 'run', submissionId: submission.id, code, stdin: stdin ?? '' } satisfies RunJob)
        : gradeJob(submission.id, code, challenge!);
    try {
      await this.queue.add(req.kind, job, { ...JOB_OPTIONS, jobId: submission.id });
    } catch (err) {
      this.deps.logger.error({ err, submission: submission.id }, 'enqueue failed');
      this.finish(submission.id, { error: 'queue unavailable' }, false);
      throw new UnavailableError('The code runner queue is unavailable right now, so your code was not run. Please try again in a minute.');
    }
    const position = await this.queue.getWaitingCount().catch(() => 1);
    return { submission, position: Math.max(1, position) };
  }

  /** Listens for results and starts the periodic reconciliation. */
  async start(): Promise<void> {
    this.events = new QueueEvents(this.queue.name, { connection: this.deps.connection });
    this.events.on('error', (err) => this.deps.logger.error({ err }, 'code-runs events error'));
    this.events.on('completed', ({ jobId, returnvalue }) => {
      const value: unknown = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
      void this.complete(jobId, value as RunJobResult);
    });
    this.events.on('failed', ({ jobId, failedReason }) => {
      // 'failed' also fires for attempts that will be retried; only a job in the failed set is final.
      void Job.fromId(this.queue, jobId).then(async (job) => {
        if (job && (await job.getState()) === 'failed') this.fail(jobId, failedReason);
      });
    });
    await this.events.waitUntilReady();
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.deps.reconcileEveryMs ?? 10_000);
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
    const { db, clock, config, logger } = this.deps;
    try {
      const now = clock.now();
      for (const s of db.select().from(submissions).where(eq(submissions.status, 'queued')).all()) {
        const job = await Job.fromId<RunJobData, RunJobResult>(this.queue, s.id);
        const state = job ? await job.getState() : 'unknown';
        if (job && state === 'completed') await this.complete(s.id, job.returnvalue);
        else if (job && state === 'failed') this.fail(s.id, job.failedReason);
        else if (now - s.createdAt > config.runs.resultTimeoutSeconds * 1000) {
          await job?.remove().catch(() => undefined);
          this.finish(s.id, { error: 'no runner picked it up in time' }, false);
        } else if (!job && now - s.createdAt > 30_000) {
          this.finish(s.id, { error: 'the job was lost from the queue' }, false);
        }
      }
      const undelivered = db
        .select()
        .from(submissions)
        .where(and(isNull(submissions.deliveredAt), sql`${submissions.status} != 'queued'`, gte(submissions.createdAt, now - 86_400_000)))
        .all();
      for (const s of undelivered) await this.deliver(s);
    } catch (err) {
      logger.warn({ err }, 'reconciliation failed; will retry');
    }
  }

  private async complete(id: string, result: RunJobResult): Promise<void> {
    try {
      const s = this.finish(id, result, result.kind === 'grade' ? result.passed : null);
      if (s) await this.deliver(s);
    } catch (err) {
      // Left queued: the next reconciliation tries again.
      this.deps.logger.error({ err, submission: id }, 'storing a code result failed');
    }
  }

  private fail(id: string, reason: string): void {
    this.deps.logger.warn({ submission: id, reason }, 'code run failed');
    try {
      const s = this.finish(id, { error: reason }, false);
      if (s) void this.deliver(s);
    } catch (err) {
      this.deps.logger.error({ err, submission: id }, 'storing a code failure failed');
    }
  }

  /**
   * Stores an outcome once. Returns the updated submission, or undefined if it had already been
   * stored (a duplicate event). A first challenge pass awards points and counts for the streak in
   * the same transaction.
   */
  private finish(id: string, result: RunJobResult | { error: string }, passed: boolean | null): Submission | undefined {
    const { db, clock, config } = this.deps;
    const now = clock.now();
    const updated = db.transaction((tx) => {
      const row = tx
        .update(submissions)
        .set({ status: 'error' in result ? 'failed' : 'done', result: JSON.stringify(result), passed, finishedAt: now })
        .where(and(eq(submissions.id, id), eq(submissions.status, 'queued')))
        .returning()
        .get();
      if (!row) return undefined;
      if (row.kind !== 'grade' || !passed || !row.challengeId) return row;
      const ch = this.deps.content.challengeById.get(row.challengeId);
      const zone = userTimeZone(tx, row.workspace, row.userId, config.defaultTimeZone);
      const points = ch && award(tx, row.workspace, row.userId, ch.points, 'challenge', ch.id, now) ? ch.points : 0;
      const streak = recordActivity(tx, row.workspace, row.userId, zone, now);
      return tx
        .update(submissions)
        .set({ pointsAwarded: points, streakDays: streak.extended ? streak.current : null })
        .where(eq(submissions.id, id))
        .returning()
        .get();
    });
    if (updated) this.waiters.get(id)?.(updated);
    return updated;
  }

  /** The chat message for a finished submission. */
  resultMessage(s: Submission): Message {
    const parsed = JSON.parse(s.result ?? '{}') as RunJobResult | { error: string };
    if ('error' in parsed) {
      return {
        blocks: [
          {
            kind: 'text',
            markdown: `⚠️ **Code runner unavailable**: your code could not be run (${parsed.error}). Nothing was scored; please send it again in a minute.`,
          },
        ],
      };
    }
    if (parsed.kind === 'run') {
      return renderRunResult(parsed, { stdinGiven: Boolean(s.stdin), limits: this.limits });
    }
    return renderGradeResult(parsed, this.deps.content.challengeById.get(parsed.challengeId), {
      points: s.pointsAwarded,
      firstPass: s.pointsAwarded > 0,
      ...(s.streakDays !== null && { streakDays: s.streakDays }),
    });
  }

  /**
   * Posts a stored result. The delivery is claimed in the database first, so the live event and a
   * reconciliation pass racing on the same result post it once; a failed post is released for a
   * later retry.
   */
  private async deliver(s: Submission): Promise<void> {
    const to = JSON.parse(s.conversation) as Conversation;
    if (!this.deps.outbox.has(to.platform)) return; // that platform is not running in this process
    const { db, clock, logger } = this.deps;
    const claimed = db
      .update(submissions)
      .set({ deliveredAt: clock.now() })
      .where(and(eq(submissions.id, s.id), isNull(submissions.deliveredAt)))
      .run().changes;
    if (!claimed) return;
    try {
      await this.deps.outbox.deliver(to, this.resultMessage(s), { replaceOriginal: true });
    } catch (err) {
      db.update(submissions).set({ deliveredAt: null }).where(eq(submissions.id, s.id)).run();
      logger.warn({ err, submission: s.id }, 'posting a result failed; will retry');
    }
  }

  get(id: string): Submission | undefined {
    return this.deps.db.select().from(submissions).where(eq(submissions.id, id)).get();
  }

  /** Resolves when the submission has an outcome stored (for the CLI and tests). */
  waitFor(id: string, timeoutMs = 120_000): Promise<Submission> {
    const existing = this.get(id);
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

  /** Submissions still waiting for a result (the terminal waits for these before exiting). */
  pendingCount(): number {
    return (
      this.deps.db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(submissions)
        .where(eq(submissions.status, 'queued'))
        .get()?.n ?? 0
    );
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.events?.close();
    await this.queue.close();
  }
}

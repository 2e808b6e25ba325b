import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Conversation } from '../chat/context.js';
import { formatWait, RateLimitError, UnavailableError, UserError } from '../chat/errors.js';
import type { Challenge } from '../content/types.js';
import type { GradeJob, RunJobData, RunJobResult } from '../contract/code-runs.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { insertSubmission, isRefusal, type Submission } from './submissions.js';
import { validateCode } from './validate.js';

export type RunRequest =
  | { kind: 'run'; code: string; stdin?: string }
  | { kind: 'grade'; challenge: Challenge; code: string }
  | { kind: 'check'; code: string };

/** Who submits, and where the result goes back to. */
export interface Submitter {
  ws: string;
  userId: string;
  channelId: string;
  conversation: Conversation;
}

/** How jobs live in Redis: retried by another runner on failure, cleaned up after a while. */
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

export interface ProducerDeps {
  db: Db;
  queue: Queue<RunJobData, RunJobResult>;
  logger: Logger;
  limits: { codeMaxBytes: number; perMinute: number };
  /** True when at least one runner with a working Docker engine is alive. */
  runnersAvailable: () => Promise<boolean>;
  /** Stores "could not be queued" for a submission whose job never reached Redis. */
  abandon: (id: string, reason: string) => void;
}

/**
 * The producer side: validates code, applies the per-learner limits, stores the submission and
 * enqueues its job (job id = submission id). Refusals are UserErrors, and nothing is stored then.
 */
export async function submitRun(
  deps: ProducerDeps,
  who: Submitter,
  req: RunRequest,
  now: number,
): Promise<{ submission: Submission; position: number }> {
  const code = validateCode(req.code, deps.limits.codeMaxBytes);
  let stdin: string | null = null;
  if (req.kind === 'run' && req.stdin) {
    if (Buffer.byteLength(req.stdin) > STDIN_MAX_BYTES) throw new UserError(`The input is over ${STDIN_MAX_BYTES / 1024} KiB.`);
    stdin = req.stdin.endsWith('\n') ? req.stdin : `${req.stdin}\n`;
  }
  if (!(await deps.runnersAvailable())) {
    throw new UnavailableError('The code runner is unavailable right now, so your code was not run. Please try again in a minute.');
  }
  const stored = insertSubmission(
    deps.db,
    {
      id: randomUUID(),
      ws: who.ws,
      userId: who.userId,
      channelId: who.channelId,
      kind: req.kind,
      challengeId: req.kind === 'grade' ? req.challenge.id : null,
      code,
      stdin,
      conversation: who.conversation,
      now,
    },
    deps.limits.perMinute,
  );
  if (isRefusal(stored)) {
    if (stored.kind === 'in-flight') {
      throw new RateLimitError(
        `You already have code running (sent ${formatWait(now - stored.since)} ago). Its result will be posted here; send more once it arrives.`,
        1000,
      );
    }
    const wait = stored.retryAt - now;
    throw new RateLimitError(`You have sent ${stored.count} runs in the last minute. Try again in ${formatWait(wait)}.`, wait);
  }
  const job: RunJobData =
    req.kind === 'run'
      ? { kind: 'run', submissionId: stored.id, code, stdin: stdin ?? '' }
      : req.kind === 'check'
        ? { kind: 'check', submissionId: stored.id, code }
        : gradeJob(stored.id, code, req.challenge);
  try {
    await deps.queue.add(req.kind, job, { ...JOB_OPTIONS, jobId: stored.id });
  } catch (err) {
    deps.logger.error({ err, submission: stored.id }, 'enqueue failed');
    deps.abandon(stored.id, 'queue unavailable');
    throw new UnavailableError('The code runner queue is unavailable right now, so your code was not run. Please try again in a minute.');
  }
  const position = await deps.queue.getWaitingCount().catch(() => 1);
  return { submission: stored, position: Math.max(1, position) };
}

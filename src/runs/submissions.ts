import { and, eq, gte, isNull, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Conversation } from '../chat/context.js';
import type { Content } from '../content/types.js';
import { parseResult, type RunJobResult } from '../contract/code-runs.js';
import type { Db } from '../db/index.js';
import { submissions } from '../db/schema.js';
import { refreshLessonMastery } from '../learning/mastery.js';
import { noteChallengeFailure, noteChallengePass } from '../learning/mistakes.js';
import { award } from '../learning/points.js';
import { recordActivity } from '../learning/streaks.js';
import { userTimeZone, workspaceTimeZone } from '../learning/users.js';

/**
 * The `submissions` table: every piece of code sent for a run or a challenge, and its outcome once
 * a runner returns one. All SQL about submissions lives here.
 */

export type Submission = typeof submissions.$inferSelect;

/** What a submission came to: the runner's result, or why it could not be run. */
export type Outcome = RunJobResult | { error: string };

const conversationSchema = z.object({
  platform: z.enum(['terminal', 'discord', 'slack']),
  workspaceId: z.string(),
  channelId: z.string(),
  threadId: z.string().optional(),
  userId: z.string().optional(),
  handle: z.string().optional(),
  handleExpiresAt: z.number().optional(),
});

/** The stored conversation a result goes back to. */
export function conversationOf(s: Submission): Conversation {
  return conversationSchema.parse(JSON.parse(s.conversation));
}

/** The stored outcome, checked against the contract (a row written by another version is caught here). */
export function outcomeOf(s: Submission): Outcome | undefined {
  if (s.result === null) return undefined;
  const raw: unknown = JSON.parse(s.result);
  if (raw && typeof raw === 'object' && 'error' in raw && typeof raw.error === 'string') return { error: raw.error };
  return parseResult(raw);
}

export interface NewSubmission {
  id: string;
  ws: string;
  userId: string;
  channelId: string;
  kind: 'run' | 'grade' | 'check';
  challengeId: string | null;
  code: string;
  stdin: string | null;
  conversation: Conversation;
  now: number;
}

/** Why a learner may not submit right now, or undefined when they may. */
export type SubmitRefusal = { kind: 'in-flight'; since: number } | { kind: 'per-minute'; count: number; retryAt: number };

/**
 * Stores a submission unless the person already has one in flight or has sent `perMinute` in the
 * last minute, counting every server of their platform (a learner in three servers does not get
 * three times the sandbox); checked and stored in one transaction so two quick sends cannot both
 * slip through.
 */
export function insertSubmission(db: Db, s: NewSubmission, perMinute: number): Submission | SubmitRefusal {
  return db.transaction((tx): Submission | SubmitRefusal => {
    const platform = s.ws.slice(0, s.ws.indexOf(':') + 1);
    const mine = and(eq(submissions.userId, s.userId), like(submissions.workspace, `${platform}%`));
    const inFlight = tx
      .select({ createdAt: submissions.createdAt })
      .from(submissions)
      .where(and(mine, eq(submissions.status, 'queued')))
      .get();
    if (inFlight) return { kind: 'in-flight', since: inFlight.createdAt };
    const recent = tx
      .select({ createdAt: submissions.createdAt })
      .from(submissions)
      .where(and(mine, gte(submissions.createdAt, s.now - 60_000)))
      .orderBy(submissions.createdAt)
      .all();
    if (recent.length >= perMinute) return { kind: 'per-minute', count: recent.length, retryAt: recent[0]!.createdAt + 60_000 };
    return tx
      .insert(submissions)
      .values({
        id: s.id,
        workspace: s.ws,
        userId: s.userId,
        channelId: s.channelId,
        kind: s.kind,
        challengeId: s.challengeId,
        code: s.code,
        stdin: s.stdin,
        status: 'queued',
        conversation: JSON.stringify(s.conversation),
        createdAt: s.now,
      })
      .returning()
      .get();
  });
}

export function isRefusal(x: Submission | SubmitRefusal): x is SubmitRefusal {
  return 'kind' in x && (x.kind === 'in-flight' || x.kind === 'per-minute');
}

/**
 * Stores an outcome once. Returns the updated submission, or undefined if one had already been
 * stored (a duplicate or late event). A real result arriving after "could not be run" was stored
 * replaces it and is posted again (over the earlier notice): the learner's run did happen. A first challenge pass awards points and counts for the
 * streak in the same transaction.
 */
export function storeOutcome(db: Db, content: Content, id: string, outcome: Outcome, now: number, defaultZone: string): Submission | undefined {
  const passed = 'error' in outcome ? false : outcome.kind === 'grade' ? outcome.passed : null;
  return db.transaction((tx) => {
    const open =
      'error' in outcome
        ? eq(submissions.status, 'queued')
        : or(
            eq(submissions.status, 'queued'),
            and(eq(submissions.status, 'failed'), sql`json_extract(${submissions.result}, '$.error') is not null`),
          );
    const row = tx
      .update(submissions)
      .set({ status: 'error' in outcome ? 'failed' : 'done', result: JSON.stringify(outcome), passed, finishedAt: now, deliveredAt: null })
      .where(and(eq(submissions.id, id), open))
      .returning()
      .get();
    if (!row) return undefined;
    if (row.kind !== 'grade' || !row.challengeId || 'error' in outcome) return row;
    const ch = content.challengeById.get(row.challengeId);
    const workspaceZone = workspaceTimeZone(tx, row.workspace, defaultZone);
    const zone = userTimeZone(tx, row.workspace, row.userId, workspaceZone);
    // The learning model hears of every graded attempt: a failure comes back in review, a pass settles it.
    if (ch && !passed) noteChallengeFailure(tx, content, { ws: row.workspace, userId: row.userId, challenge: ch, now, zone });
    if (ch && passed) noteChallengePass(tx, { ws: row.workspace, userId: row.userId, challengeId: ch.id, now });
    if (ch?.lessonId) refreshLessonMastery(tx, content, { ws: row.workspace, userId: row.userId, lessonId: ch.lessonId, now, workspaceZone });
    if (!passed) return row;
    const points =
      ch && award(tx, { ws: row.workspace, userId: row.userId, amount: ch.points, reason: 'challenge', ref: ch.id, now, workspaceZone })
        ? ch.points
        : 0;
    // The day the learner submitted counts for the streak, however long the queue took to grade it
    // (a pass sent at 23:59 and graded at 00:00 is yesterday's work). Points are the board's when graded.
    const streak = recordActivity(tx, row.workspace, row.userId, zone, Math.min(row.createdAt, now));
    return tx
      .update(submissions)
      .set({ pointsAwarded: points, streakDays: streak.extended ? streak.current : null })
      .where(eq(submissions.id, id))
      .returning()
      .get();
  });
}

export function getSubmission(db: Db, id: string): Submission | undefined {
  return db.select().from(submissions).where(eq(submissions.id, id)).get();
}

export function queuedSubmissions(db: Db): Submission[] {
  return db.select().from(submissions).where(eq(submissions.status, 'queued')).all();
}

/** Finished submissions of the last day whose result has not been posted yet. */
export function undeliveredSubmissions(db: Db, now: number): Submission[] {
  return db
    .select()
    .from(submissions)
    .where(and(isNull(submissions.deliveredAt), sql`${submissions.status} != 'queued'`, gte(submissions.createdAt, now - 86_400_000)))
    .all();
}

export function queuedCount(db: Db): number {
  return (
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(submissions)
      .where(eq(submissions.status, 'queued'))
      .get()?.n ?? 0
  );
}

/** Records that the platform accepted the post of a result. */
export function markDelivered(db: Db, id: string, now: number): void {
  db.update(submissions)
    .set({ deliveredAt: now })
    .where(and(eq(submissions.id, id), isNull(submissions.deliveredAt)))
    .run();
}

/**
 * Forgets how to edit the learner's original reply (a Discord interaction token, a Slack
 * response_url): kept only until the result is posted or the handle expires, never longer.
 */
export function dropReplyHandles(db: Db, opts: { id?: string; expiredBefore?: number }): number {
  const handle = sql`json_remove(${submissions.conversation}, '$.handle', '$.handleExpiresAt')`;
  const has = sql`json_extract(${submissions.conversation}, '$.handle') is not null`;
  if (opts.id !== undefined)
    return db
      .update(submissions)
      .set({ conversation: handle })
      .where(and(eq(submissions.id, opts.id), has))
      .run().changes;
  return db
    .update(submissions)
    .set({ conversation: handle })
    .where(and(has, sql`json_extract(${submissions.conversation}, '$.handleExpiresAt') < ${opts.expiredBefore ?? 0}`))
    .run().changes;
}

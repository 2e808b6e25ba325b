import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { points } from '../db/schema.js';
import { addToBoards } from './boards.js';

/**
 * Challenges the learner has passed at least once (each first pass earned points, one row per
 * challenge), or whether they passed `challengeId` when it is given.
 */
export function passedChallenges(db: Db, ws: string, userId: string, challengeId?: string): string[] {
  return db
    .select({ ref: points.ref })
    .from(points)
    .where(
      and(
        eq(points.workspace, ws),
        eq(points.userId, userId),
        eq(points.reason, 'challenge'),
        challengeId === undefined ? undefined : eq(points.ref, challengeId),
      ),
    )
    .all()
    .map((r) => r.ref);
}

/** What each learning action is worth. */
export const POINTS = {
  quizCorrect: 10,
  lessonRead: 2,
  /** Per card per day: reviewing is rewarded, grinding one card is not. */
  flashcardReview: 1,
} as const;

export type PointReason = (typeof points.$inferInsert)['reason'];

export interface Award {
  ws: string;
  userId: string;
  amount: number;
  reason: PointReason;
  /** What the points are for: a reason and ref earn at most once per learner. */
  ref: string;
  now: number;
  /** The workspace's zone: this week's board began on Monday 00:00 there. */
  workspaceZone: string;
}

const insertPoints = (db: Db) =>
  db
    .insert(points)
    .values({
      workspace: sql.placeholder('ws'),
      userId: sql.placeholder('userId'),
      amount: sql.placeholder('amount'),
      reason: sql.placeholder('reason'),
      ref: sql.placeholder('ref'),
      at: sql.placeholder('at'),
    })
    .onConflictDoNothing()
    .prepare();

/**
 * Awards points once per (user, reason, ref): a second call with the same ref awards nothing and
 * returns false. The boards move in the same transaction; run it inside the action's transaction.
 */
export function award(db: Db, a: Award): boolean {
  const res = prepared(db, insertPoints).run({ ws: a.ws, userId: a.userId, amount: a.amount, reason: a.reason, ref: a.ref, at: a.now });
  if (res.changes !== 1) return false;
  addToBoards(db, a);
  return true;
}

import type { Db } from '../db/index.js';
import { points } from '../db/schema.js';

/** What each learning action is worth. */
export const POINTS = {
  quizCorrect: 10,
  lessonRead: 2,
  /** Per card per day: reviewing is rewarded, grinding one card is not. */
  flashcardReview: 1,
} as const;

export type PointReason = (typeof points.$inferInsert)['reason'];

/**
 * Awards points once per (user, reason, ref): a second call with the same ref awards nothing and
 * returns false. Run inside the transaction that performs the action.
 */
export function award(db: Db, ws: string, userId: string, amount: number, reason: PointReason, ref: string, now: number): boolean {
  const res = db.insert(points).values({ workspace: ws, userId, amount, reason, ref, at: now }).onConflictDoNothing().run();
  return res.changes === 1;
}

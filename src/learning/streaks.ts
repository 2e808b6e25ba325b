import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { activityDays, users } from '../db/schema.js';
import { localDay, previousDay } from '../time.js';
import { setStreakStanding, streakBreaksAt } from './boards.js';

export interface StreakUpdate {
  day: string;
  current: number;
  longest: number;
  /** True when this action made today count (the first learning action of the day). */
  extended: boolean;
}

/**
 * Records a learning action (answering a question, reviewing a card, passing a challenge) at `now`
 * for a user whose days are counted in `zone`. Call inside the same transaction as the action.
 *
 * The day is the user's local calendar day, so 23:59 and 00:01 are different days even when only two
 * minutes apart, and a 23- or 25-hour day at a DST change is still one day.
 */
export function recordActivity(db: Db, ws: string, userId: string, zone: string, now: number): StreakUpdate {
  const day = localDay(now, zone);
  db.insert(activityDays)
    .values({ workspace: ws, userId, day, actions: 1 })
    .onConflictDoUpdate({
      target: [activityDays.workspace, activityDays.userId, activityDays.day],
      set: { actions: sql`${activityDays.actions} + 1` },
    })
    .run();
  const user = db
    .select()
    .from(users)
    .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
    .get();
  if (!user) throw new Error(`recordActivity: unknown user ${ws}/${userId}`);
  const last = user.lastActiveDay;
  // A day already counted, or one before it (the user moved to a zone further west): nothing changes.
  if (last !== null && day <= last) {
    return { day, current: user.currentStreak, longest: user.longestStreak, extended: false };
  }
  const current = last !== null && last === previousDay(day) ? user.currentStreak + 1 : 1;
  const longest = Math.max(user.longestStreak, current);
  db.update(users)
    .set({ currentStreak: current, longestStreak: longest, lastActiveDay: day })
    .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
    .run();
  setStreakStanding(db, { ws, userId, streak: current, until: streakBreaksAt(day, zone) });
  return { day, current, longest, extended: true };
}

/**
 * The streak as the user sees it at `now`: still alive if they were active today or yesterday
 * (today is not over yet), otherwise broken (0). The longest streak never drops.
 */
export function streakAt(
  user: { currentStreak: number; longestStreak: number; lastActiveDay: string | null },
  zone: string,
  now: number,
): { current: number; longest: number; activeToday: boolean } {
  const today = localDay(now, zone);
  const last = user.lastActiveDay;
  const alive = last !== null && (last >= today || last === previousDay(today));
  return { current: alive ? user.currentStreak : 0, longest: user.longestStreak, activeToday: last !== null && last >= today };
}

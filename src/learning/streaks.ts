import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { activityDays, users } from '../db/schema.js';
import { addDays, daysBetween, localDay, startOfLocalDay } from '../time.js';
import { setStreakStanding, streakBreaksAt } from './boards.js';

/** One freeze is earned every this many days of streak; no more than MAX_FREEZES are held. */
export const FREEZE_EVERY = 7;
export const MAX_FREEZES = 2;
/** Streak lengths worth telling the channel about. */
export const MILESTONES = [7, 30, 100, 365] as const;

export interface StreakUpdate {
  day: string;
  current: number;
  longest: number;
  /** True when this action made today count (the first learning action of the day). */
  extended: boolean;
  /** Missed days a freeze covered just now, oldest first. */
  frozenDays: string[];
  /** Freezes held after this action. */
  freezes: number;
  /** A freeze was earned by this action. */
  earnedFreeze: boolean;
  /** The milestone this action reached (7, 30, 100, 365 days), if any. */
  milestone: number | undefined;
}

// The statements every learning action runs, compiled once (db/prepared.ts).
const countAction = (db: Db) =>
  db
    .insert(activityDays)
    .values({ workspace: sql.placeholder('ws'), userId: sql.placeholder('userId'), day: sql.placeholder('day'), actions: 1 })
    .onConflictDoUpdate({
      target: [activityDays.workspace, activityDays.userId, activityDays.day],
      set: { actions: sql`${activityDays.actions} + 1`, frozen: false },
    })
    .prepare();
const thisUser = and(eq(users.workspace, sql.placeholder('ws')), eq(users.userId, sql.placeholder('userId')));
const userRow = (db: Db) => db.select().from(users).where(thisUser).prepare();
const touchUser = (db: Db) =>
  db
    .update(users)
    .set({ lastActiveAt: sql`${sql.placeholder('now')}` })
    .where(thisUser)
    .prepare();
const setStreak = (db: Db) =>
  db
    .update(users)
    .set({
      currentStreak: sql`${sql.placeholder('current')}`,
      longestStreak: sql`${sql.placeholder('longest')}`,
      lastActiveDay: sql`${sql.placeholder('day')}`,
      lastActiveAt: sql`${sql.placeholder('now')}`,
      freezes: sql`${sql.placeholder('freezes')}`,
    })
    .where(thisUser)
    .prepare();

/**
 * Records a learning action (answering a question, reviewing a card, passing a challenge) at `now`
 * for a user whose days are counted in `zone`. Call inside the same transaction as the action.
 *
 * A day is the learner's local calendar day, so 23:59 and 00:01 are two days, and a 23- or 25-hour
 * day at a DST change is still one. One real day counts once: moving to a zone further east past
 * midnight relabels the day the learner is in rather than adding a second one, and moving west
 * takes none away. A missed day is covered by a freeze when the learner holds one.
 */
export function recordActivity(db: Db, ws: string, userId: string, zone: string, now: number): StreakUpdate {
  const day = localDay(now, zone);
  prepared(db, countAction).run({ ws, userId, day });
  const where = and(eq(users.workspace, ws), eq(users.userId, userId));
  const user = prepared(db, userRow).get({ ws, userId });
  if (!user) throw new Error(`recordActivity: unknown user ${ws}/${userId}`);
  const unchanged = (extra: Partial<typeof users.$inferInsert> = {}): StreakUpdate => {
    if (Object.keys(extra).length === 0) prepared(db, touchUser).run({ ws, userId, now });
    else
      db.update(users)
        .set({ lastActiveAt: now, ...extra })
        .where(where)
        .run();
    return {
      day,
      current: user.currentStreak,
      longest: user.longestStreak,
      extended: false,
      frozenDays: [],
      freezes: user.freezes,
      earnedFreeze: false,
      milestone: undefined,
    };
  };
  const last = user.lastActiveDay;
  // A day already counted, or one before it (the learner moved to a zone further west).
  if (last !== null && day <= last) return unchanged();
  // A later date that began before the last action: the learner moved east past midnight, and no
  // real day has passed. The day is relabelled (so tomorrow follows on), not counted again.
  if (last !== null && user.lastActiveAt !== null && startOfLocalDay(day, zone) <= user.lastActiveAt) {
    setStreakStanding(db, { ws, userId, streak: user.currentStreak, until: streakBreaksAt(day, zone, user.freezes) });
    return unchanged({ lastActiveDay: day });
  }
  const missed = last === null ? Number.POSITIVE_INFINITY : daysBetween(last, day) - 1;
  let freezes = user.freezes;
  const frozenDays: string[] = [];
  let current: number;
  if (missed === 0) current = user.currentStreak + 1;
  else if (missed <= freezes && user.currentStreak > 0) {
    for (let i = 1; i <= missed; i++) frozenDays.push(addDays(last!, i));
    for (const d of frozenDays) {
      db.insert(activityDays).values({ workspace: ws, userId, day: d, actions: 0, frozen: true }).onConflictDoNothing().run();
    }
    freezes -= missed;
    current = user.currentStreak + 1;
  } else {
    // More days missed than freezes held: they were spent on the first of them, and the streak
    // starts again (as /streak showed it in between: broken, no freezes).
    current = 1;
    freezes = 0;
  }
  const earnedFreeze = current % FREEZE_EVERY === 0 && freezes < MAX_FREEZES;
  if (earnedFreeze) freezes += 1;
  const longest = Math.max(user.longestStreak, current);
  prepared(db, setStreak).run({ ws, userId, current, longest, day, now, freezes });
  setStreakStanding(db, { ws, userId, streak: current, until: streakBreaksAt(day, zone, freezes) });
  const milestone = (MILESTONES as readonly number[]).includes(current) ? current : undefined;
  return { day, current, longest, extended: true, frozenDays, freezes, earnedFreeze, milestone };
}

/**
 * The streak as the learner sees it at `now`: alive while no more days were missed than the
 * freezes they hold can cover (today is never missed: it is not over), otherwise broken (0). The
 * longest streak never drops.
 */
export function streakAt(
  user: { currentStreak: number; longestStreak: number; lastActiveDay: string | null; freezes: number },
  zone: string,
  now: number,
): { current: number; longest: number; activeToday: boolean; freezes: number } {
  const today = localDay(now, zone);
  const last = user.lastActiveDay;
  const missed = last === null ? Number.POSITIVE_INFINITY : daysBetween(last, today) - 1;
  const alive = last !== null && missed <= user.freezes;
  return {
    current: alive ? user.currentStreak : 0,
    longest: user.longestStreak,
    activeToday: last !== null && last >= today,
    // Days already missed take their freezes, though they are written down only at the next action.
    freezes: alive ? user.freezes - Math.max(0, missed) : 0,
  };
}

/** After a learner changes zone: their streak ends at midnight of the new zone, not the old one. */
export function rezoneStreak(db: Db, ws: string, userId: string, zone: string, now: number): void {
  const user = db
    .select()
    .from(users)
    .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
    .get();
  if (!user?.lastActiveDay) return;
  const until = streakBreaksAt(user.lastActiveDay, zone, user.freezes);
  setStreakStanding(db, { ws, userId, streak: until > now ? user.currentStreak : 0, until });
}

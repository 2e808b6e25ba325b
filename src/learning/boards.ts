import { and, desc, eq, gt, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { boardCounts, boardsPending, points, standings, users, workspaces } from '../db/schema.js';
import { addDays, startOfLocalDay, weekStart } from '../time.js';

/**
 * The boards' data: every learner's standing, and how many learners hold each score, both kept up
 * to date in the transaction that changes a score. "Top 10" is an index range; "my rank" is one
 * plus the number of learners ahead, summed from at most 3 × 64 count rows, so both cost the same
 * with a thousand learners or a hundred thousand.
 */

export type Board = 'week' | 'all' | 'streaks';

/** Scores above this share the top slot (a learner would need a quarter of a million points). */
const MAX_SCORE = (1 << 18) - 1;
const SHIFT = [0, 6, 12] as const;
const FANOUT = 64;

const key = (ws: string, board: Board, weekOf?: number) =>
  board === 'week' ? `${ws}|week|${weekOf}` : `${ws}|${board === 'all' ? 'all' : 'streak'}`;

const leaveSlot = (db: Db) =>
  db
    .update(boardCounts)
    .set({ n: sql`${boardCounts.n} - 1` })
    .where(
      and(
        eq(boardCounts.board, sql.placeholder('board')),
        eq(boardCounts.level, sql.placeholder('level')),
        eq(boardCounts.slot, sql.placeholder('slot')),
      ),
    )
    .prepare();

const enterSlot = (db: Db) =>
  db
    .insert(boardCounts)
    .values({ board: sql.placeholder('board'), level: sql.placeholder('level'), slot: sql.placeholder('slot'), n: 1 })
    .onConflictDoUpdate({ target: [boardCounts.board, boardCounts.level, boardCounts.slot], set: { n: sql`${boardCounts.n} + 1` } })
    .prepare();

/**
 * Moves one learner from `from` to `to` in a board's counts (0 means "not on the board"): at each
 * level whose slot changes, one down and one up, by statements compiled once. A score that moves by
 * a few points changes the lowest level only.
 */
function move(db: Db, board: string, from: number, to: number): void {
  const a = Math.min(from, MAX_SCORE);
  const b = Math.min(to, MAX_SCORE);
  for (const [level, shift] of SHIFT.entries()) {
    const was = a > 0 ? a >> shift : -1;
    const now = b > 0 ? b >> shift : -1;
    if (was === now) continue;
    if (was >= 0) prepared(db, leaveSlot).run({ board, level, slot: was });
    if (now >= 0) prepared(db, enterSlot).run({ board, level, slot: now });
  }
}

const slotsAbove = (db: Db) =>
  db
    .select({ n: sql<number>`coalesce(sum(${boardCounts.n}), 0)`.mapWith(Number) })
    .from(boardCounts)
    .where(
      and(
        eq(boardCounts.board, sql.placeholder('board')),
        eq(boardCounts.level, sql.placeholder('level')),
        gt(boardCounts.slot, sql.placeholder('mine')),
        sql`${boardCounts.slot} < ${sql.placeholder('end')}`,
      ),
    )
    .prepare();

/** How many learners on a board score more than `score`. */
function countAbove(db: Db, board: string, score: number): number {
  const s = Math.min(score, MAX_SCORE);
  let total = 0;
  for (const [level, shift] of SHIFT.entries()) {
    const mine = s >> shift;
    // Within the parent slot (or everything, at the top level): the slots above mine.
    const end = level < SHIFT.length - 1 ? ((mine >> 6) + 1) * FANOUT : Number.MAX_SAFE_INTEGER;
    total += prepared(db, slotsAbove).get({ board, level, mine, end })?.n ?? 0;
  }
  return total;
}

type StandingRow = typeof standings.$inferSelect;

const standingRow = (db: Db) =>
  db
    .select()
    .from(standings)
    .where(and(eq(standings.workspace, sql.placeholder('ws')), eq(standings.userId, sql.placeholder('userId'))))
    .prepare();

function standingOf(db: Db, ws: string, userId: string): StandingRow | undefined {
  return prepared(db, standingRow).get({ ws, userId });
}

const addPoints = (db: Db) =>
  db
    .insert(standings)
    .values({
      workspace: sql.placeholder('ws'),
      userId: sql.placeholder('userId'),
      pointsAll: sql.placeholder('amount'),
      weekOf: sql.placeholder('weekOf'),
      pointsWeek: sql.placeholder('amount'),
    })
    .onConflictDoUpdate({
      target: [standings.workspace, standings.userId],
      set: {
        pointsAll: sql`${standings.pointsAll} + ${sql.placeholder('amount')}`,
        pointsWeek: sql`case when ${standings.weekOf} = ${sql.placeholder('weekOf')} then ${standings.pointsWeek} + ${sql.placeholder('amount')} else ${sql.placeholder('amount')} end`,
        weekOf: sql`${sql.placeholder('weekOf')}`,
      },
    })
    .returning({ pointsAll: standings.pointsAll, pointsWeek: standings.pointsWeek })
    .prepare();

const setStreak = (db: Db) =>
  db
    .insert(standings)
    .values({
      workspace: sql.placeholder('ws'),
      userId: sql.placeholder('userId'),
      streakLive: sql.placeholder('streak'),
      streakUntil: sql.placeholder('until'),
    })
    .onConflictDoUpdate({
      target: [standings.workspace, standings.userId],
      set: { streakLive: sql`${sql.placeholder('streak')}`, streakUntil: sql`${sql.placeholder('until')}` },
    })
    .prepare();

/** Adds awarded points to the all-time and weekly boards. Call in the awarding transaction. */
export function addToBoards(db: Db, a: { ws: string; userId: string; amount: number; now: number; workspaceZone: string }): void {
  if (a.amount === 0) return;
  const weekOf = weekStart(a.now, a.workspaceZone);
  // One statement reads and moves the standing; what it held before is what it holds now, less
  // the award (a score from an earlier week starts this week's at zero).
  const row = prepared(db, addPoints).get({ ws: a.ws, userId: a.userId, amount: a.amount, weekOf })!;
  move(db, key(a.ws, 'all'), row.pointsAll - a.amount, row.pointsAll);
  // A score from an earlier week is already counted on that week's board, not this one.
  move(db, key(a.ws, 'week', weekOf), row.pointsWeek - a.amount, row.pointsWeek);
}

/**
 * When a streak whose last active day is `day` breaks: once the day after it is over in `zone`, or
 * later by one day for each freeze held.
 */
export function streakBreaksAt(day: string, zone: string, freezes = 0): number {
  return startOfLocalDay(addDays(day, 2 + freezes), zone);
}

/** Sets a learner's live streak and when it breaks without more activity. */
export function setStreakStanding(db: Db, s: { ws: string; userId: string; streak: number; until: number }): void {
  const row = standingOf(db, s.ws, s.userId);
  if (row && row.streakLive === s.streak && row.streakUntil === s.until) return;
  prepared(db, setStreak).run({ ws: s.ws, userId: s.userId, streak: s.streak, until: s.until });
  move(db, key(s.ws, 'streaks'), row?.streakLive ?? 0, s.streak);
}

/** Takes streaks whose time ran out off the streak board (cheap when there are none). */
export function expireStreaks(db: Db, ws: string, now: number): number {
  return db.transaction((tx) => {
    const expired = tx
      .select({ userId: standings.userId, streak: standings.streakLive })
      .from(standings)
      .where(and(eq(standings.workspace, ws), gt(standings.streakLive, 0), lte(standings.streakUntil, now)))
      .all();
    for (const e of expired) {
      tx.update(standings)
        .set({ streakLive: 0 })
        .where(and(eq(standings.workspace, ws), eq(standings.userId, e.userId)))
        .run();
      move(tx, key(ws, 'streaks'), e.streak, 0);
    }
    return expired.length;
  });
}

export interface Standing {
  rank: number;
  userId: string;
  name: string;
  score: number;
}

const scoreColumn = (board: Board) => (board === 'all' ? standings.pointsAll : board === 'week' ? standings.pointsWeek : standings.streakLive);

/** The top `limit` of a board, ranked (equal scores share a rank: 1, 2, 2, 4). */
export function topOf(db: Db, ws: string, board: Board, opts: { weekOf: number; limit: number }): Standing[] {
  const score = scoreColumn(board);
  const rows = db
    .select({ userId: standings.userId, name: users.displayName, score })
    .from(standings)
    .innerJoin(users, and(eq(users.workspace, standings.workspace), eq(users.userId, standings.userId)))
    .where(and(eq(standings.workspace, ws), gt(score, 0), board === 'week' ? eq(standings.weekOf, opts.weekOf) : undefined))
    .orderBy(desc(score), desc(standings.userId))
    .limit(opts.limit)
    .all()
    // Learners tied on a score are listed by name.
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  let prev = Number.NaN;
  let rank = 0;
  return rows.map((r, i) => {
    if (r.score !== prev) rank = i + 1;
    prev = r.score;
    return { rank, ...r };
  });
}

/** A learner's score and rank on a board, or undefined when they are not on it (no score yet). */
export function rankOf(db: Db, ws: string, board: Board, userId: string, opts: { weekOf: number }): { score: number; rank: number } | undefined {
  const row = standingOf(db, ws, userId);
  if (!row) return undefined;
  const score = board === 'all' ? row.pointsAll : board === 'week' ? (row.weekOf === opts.weekOf ? row.pointsWeek : 0) : row.streakLive;
  if (score <= 0) return undefined;
  return { score, rank: 1 + countAbove(db, key(ws, board, opts.weekOf), score) };
}

/**
 * Recomputes a workspace's standings and counts from the point log and the learners' streaks: the
 * same figures the incremental updates keep, derived from scratch. For `studybot boards:rebuild`,
 * after the workspace's time zone changes (its weeks begin at another instant), and for databases
 * from before the boards had tables of their own.
 */
export function rebuildBoards(db: Db, ws: string, opts: { now: number; defaultZone: string }): void {
  db.transaction((tx) => {
    const workspaceZone = tx.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, ws)).get()?.tz ?? opts.defaultZone;
    const weekOf = weekStart(opts.now, workspaceZone);
    tx.delete(standings).where(eq(standings.workspace, ws)).run();
    tx.delete(boardCounts)
      .where(sql`${boardCounts.board} >= ${`${ws}|`} and ${boardCounts.board} < ${`${ws}|\uffff`}`)
      .run();
    const totals = tx
      .select({
        userId: points.userId,
        all: sql<number>`sum(${points.amount})`.mapWith(Number),
        week: sql<number>`coalesce(sum(case when ${points.at} >= ${weekOf} then ${points.amount} else 0 end), 0)`.mapWith(Number),
      })
      .from(points)
      .where(eq(points.workspace, ws))
      .groupBy(points.userId)
      .all();
    for (const t of totals) {
      tx.insert(standings).values({ workspace: ws, userId: t.userId, pointsAll: t.all, weekOf, pointsWeek: t.week }).run();
      move(tx, key(ws, 'all'), 0, t.all);
      move(tx, key(ws, 'week', weekOf), 0, t.week);
    }
    const learners = tx
      .select({
        userId: users.userId,
        streak: users.currentStreak,
        lastActiveDay: users.lastActiveDay,
        timezone: users.timezone,
        freezes: users.freezes,
      })
      .from(users)
      .where(and(eq(users.workspace, ws), gt(users.currentStreak, 0)))
      .all();
    for (const u of learners) {
      if (!u.lastActiveDay) continue;
      const until = streakBreaksAt(u.lastActiveDay, u.timezone ?? workspaceZone, u.freezes);
      if (until > opts.now) setStreakStanding(tx, { ws, userId: u.userId, streak: u.streak, until });
    }
    tx.delete(boardsPending).where(eq(boardsPending.workspace, ws)).run();
  });
}

/** Rebuilds every workspace's boards; returns how many there were. */
export function rebuildAllBoards(db: Db, opts: { now: number; defaultZone: string }): number {
  const all = db.selectDistinct({ ws: users.workspace }).from(users).all();
  for (const { ws } of all) rebuildBoards(db, ws, opts);
  return all.length;
}

/** Rebuilds the boards of workspaces the last migration marked (points from before the boards' tables). */
export function rebuildPendingBoards(db: Db, opts: { now: number; defaultZone: string }): number {
  const pending = db.select().from(boardsPending).all();
  for (const p of pending) rebuildBoards(db, p.workspace, opts);
  return pending.length;
}

/** Every standing of a workspace (tests compare the incremental figures with a rebuild). */
export function allStandings(db: Db, ws: string): StandingRow[] {
  return db.select().from(standings).where(eq(standings.workspace, ws)).orderBy(standings.userId).all();
}

/** Every count row of a workspace's boards, non-zero ones only. */
export function allCounts(db: Db, ws: string): (typeof boardCounts.$inferSelect)[] {
  return db
    .select()
    .from(boardCounts)
    .where(and(sql`${boardCounts.board} >= ${`${ws}|`} and ${boardCounts.board} < ${`${ws}|\uffff`}`, gte(boardCounts.n, 1)))
    .orderBy(boardCounts.board, boardCounts.level, boardCounts.slot)
    .all();
}

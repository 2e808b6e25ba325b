import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { points, users } from '../db/schema.js';
import { streakAt } from './streaks.js';
import { weekStart } from '../time.js';

export type Board = 'week' | 'all' | 'streaks';

export interface Standing {
  rank: number;
  userId: string;
  name: string;
  score: number;
}

export interface LeaderboardView {
  board: Board;
  top: Standing[];
  /** The caller's own line: present even when they are outside the top. */
  me: Standing | undefined;
  /** For the weekly board: when this week began (Monday 00:00 in the workspace's zone). */
  since?: number;
}

/** Competition ranking: equal scores share a rank and the next rank skips (1, 2, 2, 4). */
function rank(rows: { userId: string; name: string; score: number }[]): Standing[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  let prevScore = Number.NaN;
  let prevRank = 0;
  return sorted.map((r, i) => {
    const position = r.score === prevScore ? prevRank : i + 1;
    prevScore = r.score;
    prevRank = position;
    return { rank: position, ...r };
  });
}

/**
 * Top `limit` of a workspace on one board, plus the caller's own standing. The weekly board counts
 * points earned since Monday 00:00 in the workspace's time zone; the streak board ranks current
 * streaks, each judged in its user's own zone.
 */
export function leaderboard(
  db: Db,
  ws: string,
  board: Board,
  callerId: string,
  opts: { now: number; workspaceZone: string; zoneOf: (u: { timezone: string | null }) => string; limit?: number },
): LeaderboardView {
  const limit = opts.limit ?? 10;
  let rows: { userId: string; name: string; score: number }[];
  let since: number | undefined;
  if (board === 'streaks') {
    rows = db
      .select()
      .from(users)
      .where(eq(users.workspace, ws))
      .all()
      .map((u) => ({ userId: u.userId, name: u.displayName, score: streakAt(u, opts.zoneOf(u), opts.now).current }))
      .filter((r) => r.score > 0);
  } else {
    since = board === 'week' ? weekStart(opts.now, opts.workspaceZone) : undefined;
    const total = sql<number>`sum(${points.amount})`.mapWith(Number);
    rows = db
      .select({ userId: points.userId, name: users.displayName, score: total })
      .from(points)
      .innerJoin(users, and(eq(users.workspace, points.workspace), eq(users.userId, points.userId)))
      .where(since === undefined ? eq(points.workspace, ws) : and(eq(points.workspace, ws), gte(points.at, since)))
      .groupBy(points.userId)
      .orderBy(desc(total))
      .all()
      .filter((r) => r.score > 0);
  }
  const ranked = rank(rows);
  return {
    board,
    top: ranked.slice(0, limit),
    me: ranked.find((s) => s.userId === callerId),
    ...(since !== undefined && { since }),
  };
}

/** A user's all-time and this-week points. */
export function pointsOf(db: Db, ws: string, userId: string, now: number, workspaceZone: string): { total: number; week: number } {
  const since = weekStart(now, workspaceZone);
  const row = db
    .select({
      total: sql<number>`coalesce(sum(${points.amount}), 0)`.mapWith(Number),
      week: sql<number>`coalesce(sum(case when ${points.at} >= ${since} then ${points.amount} else 0 end), 0)`.mapWith(Number),
    })
    .from(points)
    .where(and(eq(points.workspace, ws), eq(points.userId, userId)))
    .get();
  return { total: row?.total ?? 0, week: row?.week ?? 0 };
}

import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { standings } from '../db/schema.js';
import { weekStart } from '../time.js';
import { type Board, expireStreaks, rankOf, type Standing, topOf } from './boards.js';
import { getUser } from './users.js';

export type { Board, Standing } from './boards.js';

export interface LeaderboardView {
  board: Board;
  top: Standing[];
  /** The caller's own line: present even when they are outside the top. */
  me: Standing | undefined;
  /** For the weekly board: when this week began (Monday 00:00 in the workspace's zone). */
  since?: number;
}

/**
 * Top `limit` of a workspace on one board, plus the caller's own standing. The weekly board counts
 * points earned since Monday 00:00 in the workspace's time zone; the streak board ranks streaks
 * still alive, each judged in its learner's own zone. Costs the same whatever the workspace's size.
 */
export function leaderboard(
  db: Db,
  ws: string,
  board: Board,
  callerId: string,
  opts: { now: number; workspaceZone: string; limit?: number },
): LeaderboardView {
  if (board === 'streaks') expireStreaks(db, ws, opts.now);
  const weekOf = weekStart(opts.now, opts.workspaceZone);
  const top = topOf(db, ws, board, { weekOf, limit: opts.limit ?? 10 });
  const mine = top.find((s) => s.userId === callerId) ?? rankedCaller(db, ws, board, callerId, weekOf);
  return { board, top, me: mine, ...(board === 'week' && { since: weekOf }) };
}

function rankedCaller(db: Db, ws: string, board: Board, userId: string, weekOf: number): Standing | undefined {
  const r = rankOf(db, ws, board, userId, { weekOf });
  if (!r) return undefined;
  return { rank: r.rank, userId, name: getUser(db, ws, userId)?.displayName ?? userId, score: r.score };
}

/** A learner's all-time and this-week points. */
export function pointsOf(db: Db, ws: string, userId: string, now: number, workspaceZone: string): { total: number; week: number } {
  const row = db
    .select()
    .from(standings)
    .where(and(eq(standings.workspace, ws), eq(standings.userId, userId)))
    .get();
  if (!row) return { total: 0, week: 0 };
  return { total: row.pointsAll, week: row.weekOf === weekStart(now, workspaceZone) ? row.pointsWeek : 0 };
}

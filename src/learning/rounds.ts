import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Difficulty } from '../content/types.js';
import type { Db } from '../db/index.js';
import { points, rounds, users } from '../db/schema.js';
import { award } from './points.js';

export type Round = typeof rounds.$inferSelect;

/** The bounds a round's settings are held to. */
export const ROUND_LIMITS = { questions: { min: 3, max: 30, default: 10 }, seconds: { min: 10, max: 60, default: 20 } } as const;

/** Points for a right answer at `t` into a question of `limit`: the full `max` at once, half at the last moment. */
export function speedPoints(max: number, t: number, limit: number): number {
  return Math.max(0, Math.round(max * (1 - Math.min(t, limit) / (2 * limit))));
}

/** A wrong answer this soon is a guess, and costs points: spamming buttons does not pay. */
export const GUESS_WINDOW_MS = 2000;
export const GUESS_PENALTY = 5;

export function activeRound(db: Db, ws: string, channelId: string): Round | undefined {
  return db
    .select()
    .from(rounds)
    .where(and(eq(rounds.workspace, ws), eq(rounds.channelId, channelId), inArray(rounds.state, ['asking', 'between'])))
    .get();
}

export function getRound(db: Db, id: string): Round | undefined {
  return db.select().from(rounds).where(eq(rounds.id, id)).get();
}

/** Starts a round, unless the channel has one running (then that one is returned as `busy`). */
export function startRound(
  db: Db,
  r: {
    ws: string;
    channelId: string;
    startedBy: string;
    track?: string | undefined;
    difficulty?: Difficulty | undefined;
    questions: number;
    seconds: number;
    now: number;
  },
): { round: Round } | { busy: Round } {
  return db.transaction((tx) => {
    const busy = activeRound(tx, r.ws, r.channelId);
    if (busy) return { busy };
    const round = tx
      .insert(rounds)
      .values({
        id: randomBytes(6).toString('base64url'),
        workspace: r.ws,
        channelId: r.channelId,
        startedBy: r.startedBy,
        track: r.track ?? null,
        difficulty: r.difficulty ?? null,
        questions: r.questions,
        seconds: r.seconds,
        state: 'between',
        startedAt: r.now,
        updatedAt: r.now,
      })
      .returning()
      .get();
    return { round };
  });
}

export function updateRound(db: Db, id: string, set: Partial<typeof rounds.$inferInsert>): Round | undefined {
  return db.update(rounds).set(set).where(eq(rounds.id, id)).returning().get();
}

/** Round points of one question, once: a replayed reveal awards nothing more. */
export function awardRoundPoints(
  db: Db,
  a: { ws: string; roundId: string; index: number; userId: string; amount: number; now: number; workspaceZone: string },
): boolean {
  // The point row and the board totals it moves commit together, or a retried reveal would find the
  // point logged and leave the boards short of it.
  return db.transaction((tx) =>
    award(tx, {
      ws: a.ws,
      userId: a.userId,
      amount: a.amount,
      reason: 'round',
      ref: `${a.roundId}:${a.index}`,
      now: a.now,
      workspaceZone: a.workspaceZone,
    }),
  );
}

/** A round's standings so far: everyone who scored in it, best first. */
export function roundStandings(db: Db, ws: string, roundId: string): { userId: string; name: string; points: number }[] {
  const total = sql<number>`sum(${points.amount})`.mapWith(Number);
  return db
    .select({ userId: points.userId, name: users.displayName, points: total })
    .from(points)
    .innerJoin(users, and(eq(users.workspace, points.workspace), eq(users.userId, points.userId)))
    .where(and(eq(points.workspace, ws), eq(points.reason, 'round'), like(points.ref, `${roundId}:%`)))
    .groupBy(points.userId)
    .orderBy(desc(total))
    .all();
}

import { and, asc, eq, gt, gte, lte, ne, sql } from 'drizzle-orm';
import { createEmptyCard, Rating, State, type Grade } from 'ts-fsrs';
import type { Content, Flashcard } from '../content/types.js';
import type { Db } from '../db/index.js';
import { cardStates, reviewLogs } from '../db/schema.js';
import { award, POINTS } from './points.js';
import { recordActivity, type StreakUpdate } from './streaks.js';
import { localDay, startOfLocalDay } from '../time.js';
import { readLessonIds } from './lessons.js';
import { refreshLessonMastery } from './mastery.js';
import { type CardRow, scheduler, toCard } from './memory.js';
import { type Boost, cardFor } from './mistakes.js';

export type { CardRow } from './memory.js';

export const RATINGS = [
  { grade: Rating.Again, label: 'Again' },
  { grade: Rating.Hard, label: 'Hard' },
  { grade: Rating.Good, label: 'Good' },
  { grade: Rating.Easy, label: 'Easy' },
] as const;

function getState(db: Db, ws: string, userId: string, cardId: string): CardRow | undefined {
  return db
    .select()
    .from(cardStates)
    .where(and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), eq(cardStates.cardId, cardId)))
    .get();
}

export interface NextCard {
  card: Flashcard;
  /** Times the card has been reviewed: part of button ids, so a stale or double click is detected. */
  reps: number;
  isNew: boolean;
  /** Why a mistake put it at the front of the review. */
  boost?: Boost;
}

export interface Queue {
  next: NextCard | undefined;
  dueNow: number;
  newLeftToday: number;
  /** When the next review falls due, if nothing is due now. */
  nextDueAt: number | undefined;
}

/** The instant the learner's current local day began. */
function dayStart(now: number, zone: string): number {
  return startOfLocalDay(localDay(now, zone), zone);
}

/** Cards a learner met for the first time at or after `since` (cards a mistake brought in do not count). */
function introducedSince(db: Db, ws: string, userId: string, since: number): number {
  return (
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(cardStates)
      .where(and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), gte(cardStates.introducedAt, since), eq(cardStates.origin, 'course')))
      .get()?.n ?? 0
  );
}

/**
 * What to review next: cards a mistake brought back first (the latest mistake first, its missed
 * question before its lesson's cards), then due cards (most overdue first), then new cards while
 * today's new-card allowance lasts, taken from lessons the user has read before the rest, in course order.
 */
export function reviewQueue(
  db: Db,
  content: Content,
  args: { ws: string; userId: string; now: number; zone: string; newPerDay: number; track?: string; lessonId?: string },
): Queue {
  const wanted = (c: Flashcard | undefined): c is Flashcard =>
    c !== undefined && (!args.track || c.track === args.track) && (!args.lessonId || c.lessonId === args.lessonId);
  const inTrack = (id: string) => wanted(cardFor(content, id));
  const where = and(eq(cardStates.workspace, args.ws), eq(cardStates.userId, args.userId));
  const due = db
    .select()
    .from(cardStates)
    .where(and(where, lte(cardStates.due, args.now)))
    .orderBy(sql`${cardStates.boostedAt} is null`, sql`${cardStates.boostedAt} desc`, asc(cardStates.due))
    .all()
    .filter((r) => inTrack(r.cardId));
  const newLeftToday = Math.max(0, args.newPerDay - introducedSince(db, args.ws, args.userId, dayStart(args.now, args.zone)));
  // The next review in this scope: retired cards and cards outside the filter do not count.
  const nextDueAt = db
    .select({ due: cardStates.due, cardId: cardStates.cardId })
    .from(cardStates)
    .where(and(where, gt(cardStates.due, args.now)))
    .orderBy(asc(cardStates.due))
    .all()
    .find((r) => inTrack(r.cardId))?.due;

  const first = due[0];
  if (first) {
    const card = cardFor(content, first.cardId)!;
    const boost = first.boost ? (JSON.parse(first.boost) as Boost) : undefined;
    return { next: { card, reps: first.reps, isNew: first.reps === 0, ...(boost && { boost }) }, dueNow: due.length, newLeftToday, nextDueAt };
  }
  if (newLeftToday > 0) {
    const seen = new Set(
      db
        .select({ id: cardStates.cardId })
        .from(cardStates)
        .where(where)
        .all()
        .map((r) => r.id),
    );
    const read = readLessonIds(db, args.ws, args.userId);
    const unseen = [...content.cardById.values()].filter((c) => !seen.has(c.id) && wanted(c));
    const order = (c: Flashcard) => content.lessons.findIndex((l) => l.id === c.lessonId);
    unseen.sort((a, b) => Number(!read.has(a.lessonId)) - Number(!read.has(b.lessonId)) || order(a) - order(b));
    const card = unseen[0];
    if (card) return { next: { card, reps: 0, isNew: true }, dueNow: 0, newLeftToday, nextDueAt };
  }
  return { next: undefined, dueNow: 0, newLeftToday, nextDueAt };
}

/** How many times the learner has reviewed a card (0 for a card they have not met). */
export function cardReps(db: Db, ws: string, userId: string, cardId: string): number {
  return getState(db, ws, userId, cardId)?.reps ?? 0;
}

/** The interval each rating would give, for the answer buttons ("Good · 3d"). */
export function previewIntervals(db: Db, args: { ws: string; userId: string; cardId: string; now: number }): Record<Grade, number> {
  const row = getState(db, args.ws, args.userId, args.cardId);
  const card = row ? toCard(row) : createEmptyCard(new Date(args.now));
  const preview = scheduler.repeat(card, new Date(args.now));
  const out = {} as Record<Grade, number>;
  for (const r of RATINGS) out[r.grade] = preview[r.grade].card.due.getTime() - args.now;
  return out;
}

export interface Rated {
  kind: 'rated';
  card: Flashcard;
  rating: Grade;
  due: number;
  points: number;
  streak: StreakUpdate;
}

/**
 * A rating applied, or why not: the card left the course, it moved on since the buttons were made,
 * or it is new and today's new-card allowance is used up.
 */
export type ReviewOutcome = Rated | { kind: 'retired' } | { kind: 'stale' } | { kind: 'allowance' };

/**
 * Applies a rating with ts-fsrs in one synchronous transaction. `expectedReps` is the review count
 * the buttons were made for: if the card moved on since (a double click, an old message), the
 * rating is refused instead of being applied twice.
 */
export function rateCard(
  db: Db,
  content: Content,
  args: {
    ws: string;
    userId: string;
    cardId: string;
    expectedReps: number;
    rating: Grade;
    now: number;
    zone: string;
    workspaceZone: string;
    /** New cards allowed per local day: rating a card for the first time introduces it. */
    newPerDay: number;
  },
): ReviewOutcome {
  const card = cardFor(content, args.cardId);
  if (!card) return { kind: 'retired' };
  return db.transaction((tx): ReviewOutcome => {
    const row = getState(tx, args.ws, args.userId, args.cardId);
    if ((row?.reps ?? 0) !== args.expectedReps) return { kind: 'stale' };
    if (!row && introducedSince(tx, args.ws, args.userId, dayStart(args.now, args.zone)) >= args.newPerDay) return { kind: 'allowance' };
    const day = localDay(args.now, args.zone);
    const before = row ? toCard(row) : createEmptyCard(new Date(args.now));
    const { card: after, log } = scheduler.next(before, new Date(args.now), args.rating);
    const values = {
      due: after.due.getTime(),
      stability: after.stability,
      difficulty: after.difficulty,
      elapsedDays: after.elapsed_days,
      scheduledDays: after.scheduled_days,
      learningSteps: after.learning_steps,
      reps: after.reps,
      lapses: after.lapses,
      state: after.state,
      lastReview: after.last_review?.getTime() ?? args.now,
      // Rated: whatever brought it to the front has been dealt with.
      boost: null,
      boostedAt: null,
    };
    if (row) {
      tx.update(cardStates)
        .set(values)
        .where(and(eq(cardStates.workspace, args.ws), eq(cardStates.userId, args.userId), eq(cardStates.cardId, args.cardId)))
        .run();
    } else {
      tx.insert(cardStates)
        .values({ workspace: args.ws, userId: args.userId, cardId: args.cardId, introducedDay: day, introducedAt: args.now, ...values })
        .run();
    }
    tx.insert(reviewLogs)
      .values({
        workspace: args.ws,
        userId: args.userId,
        cardId: args.cardId,
        rating: log.rating,
        state: log.state,
        due: log.due.getTime(),
        stability: log.stability,
        difficulty: log.difficulty,
        scheduledDays: log.scheduled_days,
        learningSteps: log.learning_steps,
        reviewedAt: args.now,
        day,
      })
      .run();
    const points = award(tx, {
      ws: args.ws,
      userId: args.userId,
      amount: POINTS.flashcardReview,
      reason: 'flashcards',
      ref: `${args.cardId}:${day}`,
      now: args.now,
      workspaceZone: args.workspaceZone,
    })
      ? POINTS.flashcardReview
      : 0;
    const streak = recordActivity(tx, args.ws, args.userId, args.zone, args.now);
    refreshLessonMastery(tx, content, {
      ws: args.ws,
      userId: args.userId,
      lessonId: card.lessonId,
      now: args.now,
      workspaceZone: args.workspaceZone,
    });
    return { kind: 'rated', card, rating: args.rating, due: values.due, points, streak };
  });
}

export interface CardStats {
  total: number;
  byState: { new: number; learning: number; review: number; relearning: number };
  dueNow: number;
  dueToday: number;
  reviewedToday: number;
  newToday: number;
  newPerDay: number;
  /** Share of reviews in the last 30 days not rated Again, or undefined without reviews. */
  retention30d: number | undefined;
  unseen: number;
}

export function cardStats(
  db: Db,
  content: Content,
  args: { ws: string; userId: string; now: number; zone: string; newPerDay: number; endOfDay: number },
): CardStats {
  const where = and(eq(cardStates.workspace, args.ws), eq(cardStates.userId, args.userId));
  const rows = db
    .select()
    .from(cardStates)
    .where(where)
    .all()
    .filter((r) => cardFor(content, r.cardId) !== undefined);
  const today = localDay(args.now, args.zone);
  const logs = db
    .select({ rating: reviewLogs.rating, day: reviewLogs.day })
    .from(reviewLogs)
    .where(
      and(
        eq(reviewLogs.workspace, args.ws),
        eq(reviewLogs.userId, args.userId),
        gte(reviewLogs.reviewedAt, args.now - 30 * 86_400_000),
        ne(reviewLogs.state, State.New),
      ),
    )
    .all();
  const byState = { new: 0, learning: 0, review: 0, relearning: 0 };
  for (const r of rows) {
    if (r.state === State.New) byState.new++;
    else if (r.state === State.Learning) byState.learning++;
    else if (r.state === State.Review) byState.review++;
    else byState.relearning++;
  }
  const reviewedToday =
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(reviewLogs)
      .where(and(eq(reviewLogs.workspace, args.ws), eq(reviewLogs.userId, args.userId), eq(reviewLogs.day, today)))
      .get()?.n ?? 0;
  return {
    total: rows.length,
    byState,
    dueNow: rows.filter((r) => r.due <= args.now).length,
    dueToday: rows.filter((r) => r.due <= args.endOfDay).length,
    reviewedToday,
    // The day's allowance of new cards, as rating counts it: cards a mistake brought in are not part of it.
    newToday: introducedSince(db, args.ws, args.userId, dayStart(args.now, args.zone)),
    newPerDay: args.newPerDay,
    retention30d: logs.length ? logs.filter((l) => l.rating !== Rating.Again).length / logs.length : undefined,
    unseen: content.cardById.size - rows.length,
  };
}

/** Due cards of a user right now (for App Home and reminders). */
export function dueCount(db: Db, content: Content, ws: string, userId: string, now: number): number {
  return db
    .select({ id: cardStates.cardId })
    .from(cardStates)
    .where(and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), lte(cardStates.due, now)))
    .all()
    .filter((r) => cardFor(content, r.id) !== undefined).length;
}

import { randomBytes } from 'node:crypto';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Content } from '../content/types.js';
import type { Db } from '../db/index.js';
import { cardStates, mistakes, quizAnswers, reviewSessions, users } from '../db/schema.js';
import { masteryOf } from './mastery.js';
import { cardFor, dueRetries } from './mistakes.js';

/**
 * The learner's daily review, chosen by the mastery model: cards due (those a mistake brought back
 * first), then questions from shaky lessons, then a challenge to try again; capped to the size the
 * learner set, and closed with what moved.
 */

export type ReviewItem =
  | { kind: 'card'; id: string }
  /** `post` is the private quiz post made when the question is shown (its order of options). */
  | { kind: 'question'; id: string; post?: string }
  | { kind: 'challenge'; id: string };

export interface ReviewSession {
  id: string;
  ws: string;
  userId: string;
  items: ReviewItem[];
  /** The item on screen. */
  position: number;
  /** Lesson mastery when the session began. */
  before: Record<string, number>;
  startedAt: number;
  finishedAt: number | null;
}

export const REVIEW_SIZE = { min: 5, max: 50, default: 15 } as const;
/** Of a session, at most this many questions from shaky lessons. */
const MAX_QUESTIONS = 5;

function toSession(row: typeof reviewSessions.$inferSelect): ReviewSession {
  return {
    id: row.id,
    ws: row.workspace,
    userId: row.userId,
    items: JSON.parse(row.items) as ReviewItem[],
    position: row.position,
    before: JSON.parse(row.before) as Record<string, number>,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** How many items the learner wants in a review. */
export function reviewSize(db: Db, ws: string, userId: string): number {
  return (
    db
      .select({ n: users.reviewSize })
      .from(users)
      .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
      .get()?.n ?? REVIEW_SIZE.default
  );
}

export function setReviewSize(db: Db, ws: string, userId: string, size: number): void {
  db.update(users)
    .set({ reviewSize: size })
    .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
    .run();
}

/** Plans a review: what is due, what is shaky, what failed; empty when there is nothing to do. */
export function planReview(
  db: Db,
  content: Content,
  at: { ws: string; userId: string; now: number; workspaceZone: string; size: number },
): {
  items: ReviewItem[];
  before: Record<string, number>;
} {
  const { ws, userId, now, size } = at;
  const items: ReviewItem[] = [];
  const retry = dueRetries(db, ws, userId, now).find((r) => content.challengeById.has(r.challengeId));
  const room = size - (retry ? 1 : 0);
  const due = db
    .select({ cardId: cardStates.cardId })
    .from(cardStates)
    .where(and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), lte(cardStates.due, now)))
    .orderBy(sql`${cardStates.boostedAt} is null`, sql`${cardStates.boostedAt} desc`, asc(cardStates.due))
    .all()
    .filter((r) => cardFor(content, r.cardId) !== undefined);
  for (const r of due.slice(0, room)) items.push({ kind: 'card', id: r.cardId });

  const mastery = masteryOf(db, content, { ws, userId, now, workspaceZone: at.workspaceZone });
  const shaky = content.lessons
    .map((l) => ({ lesson: l, ...mastery.lessons.get(l.id)! }))
    .filter((l) => l.label === 'shaky' && l.lesson.quiz.length)
    .sort((a, b) => (a.score ?? 0) - (b.score ?? 0));
  const missed = new Set(
    db
      .select({ id: mistakes.questionId })
      .from(mistakes)
      .where(and(eq(mistakes.workspace, ws), eq(mistakes.userId, userId)))
      .all()
      .map((r) => r.id),
  );
  const right = new Set(
    db
      .select({ id: quizAnswers.questionId })
      .from(quizAnswers)
      .where(
        and(
          eq(quizAnswers.workspace, ws),
          eq(quizAnswers.userId, userId),
          eq(quizAnswers.correct, true),
          sql`${quizAnswers.answeredAt} > ${now - 7 * 86_400_000}`,
        ),
      )
      .all()
      .map((r) => r.id),
  );
  for (const { lesson } of shaky) {
    if (items.length >= room || items.filter((i) => i.kind === 'question').length >= MAX_QUESTIONS) break;
    // A question they missed before, else one not answered right lately, else any.
    const pool = lesson.quiz.filter((id) => content.questionById.has(id));
    const pick = pool.find((id) => missed.has(id) && !right.has(id)) ?? pool.find((id) => !right.has(id));
    if (pick) items.push({ kind: 'question', id: pick });
  }
  if (retry) items.push({ kind: 'challenge', id: retry.challengeId });
  return { items, before: Object.fromEntries([...mastery.lessons].filter(([, m]) => m.score !== undefined).map(([id, m]) => [id, m.score!])) };
}

export function openReview(
  db: Db,
  s: { ws: string; userId: string; items: ReviewItem[]; before: Record<string, number>; now: number },
): ReviewSession {
  const row = db
    .insert(reviewSessions)
    .values({
      id: randomBytes(6).toString('base64url'),
      workspace: s.ws,
      userId: s.userId,
      items: JSON.stringify(s.items),
      position: 0,
      before: JSON.stringify(s.before),
      startedAt: s.now,
      updatedAt: s.now,
    })
    .returning()
    .get();
  return toSession(row);
}

/** The learner's own session with that id, or undefined (unknown or someone else's). */
export function reviewOf(db: Db, id: string, who: { ws: string; userId: string }): ReviewSession | undefined {
  const row = db.select().from(reviewSessions).where(eq(reviewSessions.id, id)).get();
  if (!row || row.workspace !== who.ws || row.userId !== who.userId) return undefined;
  return toSession(row);
}

/**
 * Saves the session's items and moves it to `position`, only if it is still at `from` (so a double
 * click or an old message cannot move it twice). The updated session, or undefined when it had moved.
 */
export function moveReview(
  db: Db,
  s: ReviewSession,
  from: number,
  to: { position: number; items?: ReviewItem[]; now: number },
): ReviewSession | undefined {
  const row = db
    .update(reviewSessions)
    .set({
      position: to.position,
      items: JSON.stringify(to.items ?? s.items),
      updatedAt: to.now,
      ...(to.position >= (to.items ?? s.items).length && { finishedAt: to.now }),
    })
    .where(and(eq(reviewSessions.id, s.id), eq(reviewSessions.position, from)))
    .returning()
    .get();
  return row && toSession(row);
}

/** Records the private post a question item was shown with. */
export function setItemPost(db: Db, s: ReviewSession, index: number, post: string, now: number): ReviewSession {
  const items = s.items.map((item, i) => (i === index && item.kind === 'question' ? { ...item, post } : item));
  db.update(reviewSessions)
    .set({ items: JSON.stringify(items), updatedAt: now })
    .where(eq(reviewSessions.id, s.id))
    .run();
  return { ...s, items };
}

import { and, eq, isNull, like, lte } from 'drizzle-orm';
import { createEmptyCard } from 'ts-fsrs';
import type { Challenge, Content, Flashcard, QuizQuestion } from '../content/types.js';
import type { Db } from '../db/index.js';
import { cardStates, challengeRetries, mistakes } from '../db/schema.js';
import { localDay } from '../time.js';
import { passedChallenges } from './points.js';

/**
 * Mistakes come back: a wrong answer or a failed challenge puts the lesson's cards at the front of
 * the learner's next review, with the missed question itself as a card, and a failed challenge comes
 * back to be tried again on a spaced schedule.
 */

/** Why a card is at the front of a review. */
export interface Boost {
  source: 'quiz' | 'round' | 'review' | 'challenge';
  at: number;
  questionId?: string;
  challengeId?: string;
}

/** The id of the card made from a missed question. */
export const missCardId = (questionId: string) => `miss:${questionId}`;

/** The question a missed-question card is made from, if `cardId` is one. */
export const missedQuestionOf = (cardId: string) => (cardId.startsWith('miss:') ? cardId.slice(5) : undefined);

/**
 * A card by id: the course's cards, and cards made from missed questions (the question on the
 * front, the right answer and why on the back; what the learner chose is added when shown).
 */
export function cardFor(content: Content, cardId: string): Flashcard | undefined {
  const questionId = missedQuestionOf(cardId);
  if (!questionId) return content.cardById.get(cardId);
  const q = content.questionById.get(questionId);
  if (!q) return undefined;
  const right = q.options.find((o) => o.correct)!;
  return {
    id: cardId,
    track: q.track,
    lessonId: q.lessonId,
    front: q.code ? `${q.question}\n\n\`\`\`python\n${q.code.replace(/\n$/, '')}\n\`\`\`` : q.question,
    back: `**${right.text}**\n\n${right.why}`,
    tags: ['missed'],
    file: q.file,
    line: q.line,
  };
}

/** Days until a failed challenge comes back, by how many times in a row it failed. */
export const RETRY_DAYS = [1, 3, 7, 14, 30] as const;
const DAY = 86_400_000;

/** Puts these cards at the front of the learner's next review; cards never met are brought in. */
function boostCards(db: Db, ws: string, userId: string, cardIds: string[], boost: Boost, now: number, zone: string): void {
  const json = JSON.stringify(boost);
  for (const [i, cardId] of cardIds.entries()) {
    // The first card listed comes first (the missed question before its lesson's cards).
    const boostedAt = now + cardIds.length - i;
    const where = and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), eq(cardStates.cardId, cardId));
    const row = db.select({ due: cardStates.due }).from(cardStates).where(where).get();
    if (row) {
      db.update(cardStates)
        .set({ due: Math.min(row.due, now), boost: json, boostedAt })
        .where(where)
        .run();
      continue;
    }
    const empty = createEmptyCard(new Date(now));
    db.insert(cardStates)
      .values({
        workspace: ws,
        userId,
        cardId,
        due: now,
        stability: empty.stability,
        difficulty: empty.difficulty,
        elapsedDays: empty.elapsed_days,
        scheduledDays: empty.scheduled_days,
        learningSteps: empty.learning_steps,
        reps: 0,
        lapses: 0,
        state: empty.state,
        lastReview: null,
        introducedDay: localDay(now, zone),
        introducedAt: now,
        boost: json,
        boostedAt,
        origin: 'mistake',
      })
      .run();
  }
}

/**
 * A wrong answer: remembered (with the option chosen), the missed question becomes a card, and the
 * lesson's cards go to the front of the next review.
 */
export function noteMistake(
  db: Db,
  content: Content,
  m: { ws: string; userId: string; question: QuizQuestion; choice: number; source: 'quiz' | 'round' | 'review'; now: number; zone: string },
): void {
  const values = { choice: m.choice, source: m.source, at: m.now };
  db.insert(mistakes)
    .values({ workspace: m.ws, userId: m.userId, questionId: m.question.id, ...values })
    .onConflictDoUpdate({ target: [mistakes.workspace, mistakes.userId, mistakes.questionId], set: values })
    .run();
  const lesson = content.lessonById.get(m.question.lessonId);
  const cards = [missCardId(m.question.id), ...(lesson?.flashcards ?? []).filter((id) => content.cardById.has(id))];
  boostCards(db, m.ws, m.userId, cards, { source: m.source, at: m.now, questionId: m.question.id }, m.now, m.zone);
}

/** The option the learner chose when they last missed a question. */
export function missedChoice(db: Db, ws: string, userId: string, questionId: string): { choice: number; source: string; at: number } | undefined {
  return db
    .select({ choice: mistakes.choice, source: mistakes.source, at: mistakes.at })
    .from(mistakes)
    .where(and(eq(mistakes.workspace, ws), eq(mistakes.userId, userId), eq(mistakes.questionId, questionId)))
    .get();
}

/** A failed challenge: its lesson's cards to the front, and the challenge back after a spaced interval. */
export function noteChallengeFailure(
  db: Db,
  content: Content,
  f: { ws: string; userId: string; challenge: Challenge; now: number; zone: string },
): void {
  const lesson = f.challenge.lessonId ? content.lessonById.get(f.challenge.lessonId) : undefined;
  if (lesson) {
    const cards = lesson.flashcards.filter((id) => content.cardById.has(id));
    boostCards(db, f.ws, f.userId, cards, { source: 'challenge', at: f.now, challengeId: f.challenge.id }, f.now, f.zone);
  }
  // A challenge already passed once needs no reminder: a later failing attempt is an experiment.
  if (passedChallenges(db, f.ws, f.userId, f.challenge.id).length) return;
  const where = and(eq(challengeRetries.workspace, f.ws), eq(challengeRetries.userId, f.userId), eq(challengeRetries.challengeId, f.challenge.id));
  const before = db.select().from(challengeRetries).where(where).get();
  // The interval grows when a retry that came due fails, not with each attempt while debugging:
  // five failing tries in ten minutes keep the next retry a day away, not a month.
  const pending = before && before.passedAt === null ? before : undefined;
  const step = pending ? (f.now >= pending.dueAt ? pending.step + 1 : pending.step) : 1;
  const dueAt = f.now + RETRY_DAYS[Math.min(step, RETRY_DAYS.length) - 1]! * DAY;
  db.insert(challengeRetries)
    .values({ workspace: f.ws, userId: f.userId, challengeId: f.challenge.id, step, dueAt, failedAt: f.now, passedAt: null })
    .onConflictDoUpdate({
      target: [challengeRetries.workspace, challengeRetries.userId, challengeRetries.challengeId],
      set: { step, dueAt, failedAt: f.now, passedAt: null },
    })
    .run();
}

/** A pass: any retry of that challenge is done (the pass counts as its review). True when one was waiting. */
export function noteChallengePass(db: Db, p: { ws: string; userId: string; challengeId: string; now: number }): boolean {
  return (
    db
      .update(challengeRetries)
      .set({ passedAt: p.now })
      .where(
        and(
          eq(challengeRetries.workspace, p.ws),
          eq(challengeRetries.userId, p.userId),
          eq(challengeRetries.challengeId, p.challengeId),
          isNull(challengeRetries.passedAt),
        ),
      )
      .run().changes > 0
  );
}

/** Challenges due to be tried again, the longest waiting first. */
export function dueRetries(
  db: Db,
  ws: string,
  userId: string,
  now: number,
): { challengeId: string; dueAt: number; failedAt: number; step: number }[] {
  return db
    .select({
      challengeId: challengeRetries.challengeId,
      dueAt: challengeRetries.dueAt,
      failedAt: challengeRetries.failedAt,
      step: challengeRetries.step,
    })
    .from(challengeRetries)
    .where(
      and(
        eq(challengeRetries.workspace, ws),
        eq(challengeRetries.userId, userId),
        isNull(challengeRetries.passedAt),
        lte(challengeRetries.dueAt, now),
      ),
    )
    .orderBy(challengeRetries.dueAt)
    .all();
}

/** The cards made from questions this learner missed (they are theirs alone), in the order missed. */
export function missedCards(db: Db, content: Content, ws: string, userId: string, track?: string): Flashcard[] {
  return db
    .select({ cardId: cardStates.cardId })
    .from(cardStates)
    .where(and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), like(cardStates.cardId, 'miss:%')))
    .orderBy(cardStates.cardId)
    .all()
    .map((r) => cardFor(content, r.cardId))
    .filter((c): c is Flashcard => c !== undefined && (!track || c.track === track));
}

import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Content, Lesson } from '../content/types.js';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { cardStates, lessonMastery, masteryTotals, quizAnswers, submissions, users } from '../db/schema.js';
import { weekStart } from '../time.js';
import { type CardRow, retrievability } from './memory.js';

/**
 * One model of what a learner knows, per lesson, fed by everything they do: how well they would
 * recall the lesson's cards right now (FSRS retrievability), their answers to its questions (recent
 * ones weigh more) and its challenge. Scores run from 0 to 1.
 */

export type MasteryLabel = 'mastered' | 'solid' | 'shaky' | 'new';

/** What each part counts for, among the parts a lesson has. */
const WEIGHTS = { cards: 0.5, quiz: 0.35, challenge: 0.15 } as const;
/** An answer's weight halves every this many days. */
const QUIZ_HALF_LIFE_DAYS = 14;
/** Right answers to this many different questions (or all of a lesson's, if fewer) give full coverage. */
const QUIZ_COVERAGE = 3;
/** A challenge tried but not passed still shows some grasp. */
const CHALLENGE_TRIED = 0.2;
const DAY = 86_400_000;

export function masteryLabel(score: number | undefined): MasteryLabel {
  if (score === undefined) return 'new';
  if (score >= 0.8) return 'mastered';
  if (score >= 0.5) return 'solid';
  return 'shaky';
}

interface Evidence {
  cards: CardRow[];
  answers: { questionId: string; correct: boolean; answeredAt: number }[];
  grades: { challengeId: string | null; passed: boolean | null }[];
}

/** A lesson's score from the learner's evidence, or undefined when they have done nothing on it yet. */
function scoreLesson(lesson: Lesson, ev: Evidence, now: number): number | undefined {
  const cardIds = new Set(lesson.flashcards);
  const questionIds = new Set(lesson.quiz);
  const cards = ev.cards.filter((c) => cardIds.has(c.cardId) && c.reps > 0);
  const answers = ev.answers.filter((a) => questionIds.has(a.questionId));
  const grades = lesson.challenge ? ev.grades.filter((g) => g.challengeId === lesson.challenge && g.passed !== null) : [];
  if (!cards.length && !answers.length && !grades.length) return undefined;
  const parts: [number, number][] = [];
  if (cardIds.size) parts.push([WEIGHTS.cards, cards.reduce((sum, c) => sum + retrievability(c, now), 0) / cardIds.size]);
  if (questionIds.size) {
    let weight = 0;
    let right = 0;
    for (const a of answers) {
      const w = 0.5 ** (Math.max(0, now - a.answeredAt) / DAY / QUIZ_HALF_LIFE_DAYS);
      weight += w;
      if (a.correct) right += w;
    }
    const covered = new Set(answers.filter((a) => a.correct).map((a) => a.questionId)).size;
    const coverage = Math.min(1, covered / Math.min(QUIZ_COVERAGE, questionIds.size));
    parts.push([WEIGHTS.quiz, weight ? (right / weight) * coverage : 0]);
  }
  if (lesson.challenge) parts.push([WEIGHTS.challenge, grades.some((g) => g.passed) ? 1 : grades.length ? CHALLENGE_TRIED : 0]);
  const total = parts.reduce((sum, [w]) => sum + w, 0);
  return parts.reduce((sum, [w, v]) => sum + w * v, 0) / total;
}

function evidence(db: Db, ws: string, userId: string, lesson?: Lesson): Evidence {
  const cardFilter = lesson ? inArray(cardStates.cardId, lesson.flashcards.length ? lesson.flashcards : ['']) : undefined;
  const questionFilter = lesson ? inArray(quizAnswers.questionId, lesson.quiz.length ? lesson.quiz : ['']) : undefined;
  return {
    cards: db
      .select()
      .from(cardStates)
      .where(and(eq(cardStates.workspace, ws), eq(cardStates.userId, userId), cardFilter))
      .all(),
    answers: db
      .select({ questionId: quizAnswers.questionId, correct: quizAnswers.correct, answeredAt: quizAnswers.answeredAt })
      .from(quizAnswers)
      .where(and(eq(quizAnswers.workspace, ws), eq(quizAnswers.userId, userId), questionFilter))
      .all(),
    grades:
      lesson && !lesson.challenge
        ? []
        : db
            .select({ challengeId: submissions.challengeId, passed: submissions.passed })
            .from(submissions)
            .where(
              and(
                eq(submissions.workspace, ws),
                eq(submissions.userId, userId),
                eq(submissions.kind, 'grade'),
                lesson?.challenge ? eq(submissions.challengeId, lesson.challenge) : undefined,
              ),
            )
            .all(),
  };
}

// Statements every answer, rating and grade runs, compiled once (db/prepared.ts).
const storeScore = (db: Db) =>
  db
    .insert(lessonMastery)
    .values({
      workspace: sql.placeholder('ws'),
      userId: sql.placeholder('userId'),
      lessonId: sql.placeholder('lessonId'),
      score: sql.placeholder('score'),
      updatedAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({
      target: [lessonMastery.workspace, lessonMastery.userId, lessonMastery.lessonId],
      set: { score: sql`${sql.placeholder('score')}`, updatedAt: sql`${sql.placeholder('now')}` },
    })
    .prepare();
const totalRow = (db: Db) =>
  db
    .select()
    .from(masteryTotals)
    .where(and(eq(masteryTotals.workspace, sql.placeholder('ws')), eq(masteryTotals.userId, sql.placeholder('userId'))))
    .prepare();
const storeTotal = (db: Db) =>
  db
    .insert(masteryTotals)
    .values({
      workspace: sql.placeholder('ws'),
      userId: sql.placeholder('userId'),
      total: sql.placeholder('total'),
      weekOf: sql.placeholder('weekOf'),
      weekStartTotal: sql.placeholder('start'),
      gain: sql.placeholder('gain'),
      updatedAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({
      target: [masteryTotals.workspace, masteryTotals.userId],
      set: {
        total: sql`${sql.placeholder('total')}`,
        weekOf: sql`${sql.placeholder('weekOf')}`,
        weekStartTotal: sql`${sql.placeholder('start')}`,
        gain: sql`${sql.placeholder('gain')}`,
        updatedAt: sql`${sql.placeholder('now')}`,
      },
    })
    .prepare();

/** How far a stored lesson score may drift before it is written again. */
const STORE_STEP = 0.002;

/**
 * Stores a lesson's score and moves the learner's total by the difference (rolling the week's
 * baseline over), in one transaction: the total is always the sum of the stored scores, also when
 * a read path (/progress, a board) is the one that stores them.
 */
function store(db: Db, at: { ws: string; userId: string; now: number; workspaceZone: string }, scores: Map<string, number>): void {
  db.transaction((tx) => storeIn(tx, at, scores));
}

function storeIn(db: Db, at: { ws: string; userId: string; now: number; workspaceZone: string }, scores: Map<string, number>): void {
  const { ws, userId, now } = at;
  const old = new Map(
    db
      .select({ lessonId: lessonMastery.lessonId, score: lessonMastery.score })
      .from(lessonMastery)
      .where(and(eq(lessonMastery.workspace, ws), eq(lessonMastery.userId, userId), inArray(lessonMastery.lessonId, [...scores.keys(), ''])))
      .all()
      .map((r) => [r.lessonId, r.score]),
  );
  let delta = 0;
  for (const [lessonId, score] of scores) {
    const was = old.get(lessonId);
    // Memory fades a little every second: scores that barely moved are not written again, so a
    // read of /progress is not a hundred writes (the total stays the sum of what is stored).
    if (was !== undefined && Math.abs(score - was) < STORE_STEP) continue;
    delta += score - (was ?? 0);
    prepared(db, storeScore).run({ ws, userId, lessonId, score, now });
  }
  const weekOf = weekStart(now, at.workspaceZone);
  const row = prepared(db, totalRow).get({ ws, userId });
  const start = !row ? 0 : row.weekOf !== weekOf ? row.total : row.weekStartTotal;
  const total = (row?.total ?? 0) + delta;
  prepared(db, storeTotal).run({ ws, userId, total, weekOf, start, gain: total - start, now });
}

/** Recomputes one lesson's mastery after the learner did something on it (an answer, a rating, a grade). */
export function refreshLessonMastery(
  db: Db,
  content: Content,
  at: { ws: string; userId: string; lessonId: string; now: number; workspaceZone: string },
): void {
  const lesson = content.lessonById.get(at.lessonId);
  if (!lesson) return;
  const score = scoreLesson(lesson, evidence(db, at.ws, at.userId, lesson), at.now);
  if (score !== undefined) store(db, at, new Map([[lesson.id, score]]));
}

export interface TrackMastery {
  track: string;
  title: string;
  /** Mean over the track's lessons (lessons not started count 0). */
  score: number;
  label: MasteryLabel;
  counts: Record<MasteryLabel, number>;
}

export interface MasteryView {
  lessons: Map<string, { score: number | undefined; label: MasteryLabel }>;
  tracks: TrackMastery[];
  total: number;
}

/** Every lesson's mastery now (memory fades, so it is recomputed), stored back for the boards. */
export function masteryOf(db: Db, content: Content, at: { ws: string; userId: string; now: number; workspaceZone: string }): MasteryView {
  const ev = evidence(db, at.ws, at.userId);
  const lessons = new Map<string, { score: number | undefined; label: MasteryLabel }>();
  const scores = new Map<string, number>();
  for (const lesson of content.lessons) {
    const score = scoreLesson(lesson, ev, at.now);
    lessons.set(lesson.id, { score, label: masteryLabel(score) });
    if (score !== undefined) scores.set(lesson.id, score);
  }
  if (scores.size) store(db, at, scores);
  const tracks = content.tracks.map((t) => {
    const ls = content.lessons.filter((l) => l.track === t.id);
    const counts: Record<MasteryLabel, number> = { mastered: 0, solid: 0, shaky: 0, new: 0 };
    let sum = 0;
    let started = false;
    for (const l of ls) {
      const m = lessons.get(l.id)!;
      counts[m.label]++;
      sum += m.score ?? 0;
      started ||= m.score !== undefined;
    }
    const score = ls.length ? sum / ls.length : 0;
    return { track: t.id, title: t.title, score, label: started ? masteryLabel(score) : ('new' as const), counts };
  });
  return { lessons, tracks, total: [...scores.values()].reduce((a, b) => a + b, 0) };
}

/** Lessons' scores as stored (for a session's before/after), without recomputing. */
export function storedLessonScores(db: Db, ws: string, userId: string): Map<string, number> {
  return new Map(
    db
      .select({ lessonId: lessonMastery.lessonId, score: lessonMastery.score })
      .from(lessonMastery)
      .where(and(eq(lessonMastery.workspace, ws), eq(lessonMastery.userId, userId)))
      .all()
      .map((r) => [r.lessonId, r.score]),
  );
}

export interface MasteryStanding {
  rank: number;
  userId: string;
  name: string;
  /** Lessons' worth of knowledge retained (the sum of lesson mastery), or this week's gain. */
  score: number;
}

/** How many of the stored leaders are recomputed before the mastery board is shown (memory fades between visits). */
const FRESHEN = 30;

/** Scores closer than this are a tie. */
const TIE = 0.005;

/**
 * The mastery board: learners ranked by knowledge retained (the sum of their lesson mastery), not by
 * activity; with `improved`, by how much that sum grew since Monday. The leaders and the caller are
 * recomputed first (memory fades between visits); the rest is read from the index.
 */
export function masteryBoard(
  db: Db,
  content: Content,
  at: { ws: string; now: number; workspaceZone: string; callerId: string; improved?: boolean; limit?: number },
): { top: MasteryStanding[]; me: MasteryStanding | undefined } {
  const weekOf = weekStart(at.now, at.workspaceZone);
  const column = at.improved ? masteryTotals.gain : masteryTotals.total;
  const inBoard = and(eq(masteryTotals.workspace, at.ws), at.improved ? eq(masteryTotals.weekOf, weekOf) : undefined);
  const leaders = (limit: number) =>
    db
      .select({ userId: masteryTotals.userId, score: column, name: users.displayName })
      .from(masteryTotals)
      .innerJoin(users, and(eq(users.workspace, masteryTotals.workspace), eq(users.userId, masteryTotals.userId)))
      .where(and(inBoard, gt(column, TIE)))
      .orderBy(desc(column), users.displayName)
      .limit(limit)
      .all();
  for (const userId of new Set([...leaders(FRESHEN).map((r) => r.userId), at.callerId])) {
    masteryOf(db, content, { ws: at.ws, userId, now: at.now, workspaceZone: at.workspaceZone });
  }
  const rankOf = (score: number) =>
    1 +
    (db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(masteryTotals)
      .where(and(inBoard, gt(column, score + TIE)))
      .get()?.n ?? 0);
  const top = leaders(at.limit ?? 10).map((r) => ({ ...r, rank: rankOf(r.score) }));
  const mine = db
    .select({ userId: masteryTotals.userId, score: column, name: users.displayName })
    .from(masteryTotals)
    .innerJoin(users, and(eq(users.workspace, masteryTotals.workspace), eq(users.userId, masteryTotals.userId)))
    .where(and(inBoard, eq(masteryTotals.userId, at.callerId), gt(column, TIE)))
    .get();
  return { top, me: mine && { ...mine, rank: rankOf(mine.score) } };
}

import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Content, Difficulty, QuizQuestion } from '../content/types.js';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { quizAnswers, quizPosts, users } from '../db/schema.js';
import { refreshLessonMastery } from './mastery.js';
import { noteMistake } from './mistakes.js';
import { award } from './points.js';
import { recordActivity, type StreakUpdate } from './streaks.js';

export type QuizPost = typeof quizPosts.$inferSelect;

/** What a right first answer earns, by the question's difficulty (the help says the same). */
export const QUIZ_POINTS: Record<Difficulty, number> = { easy: 5, medium: 10, hard: 15 };

export interface QuestionFilter {
  track?: string | undefined;
  lessonId?: string | undefined;
  difficulty?: Difficulty | undefined;
  /** Questions not to ask again (a round asks each once). */
  exclude?: ReadonlySet<string>;
}

/**
 * Picks a question for a user: matching the filter, preferring ones they have never answered,
 * then ones they got wrong, then any. `random` breaks ties.
 */
export function pickQuestion(
  db: Db,
  content: Content,
  ws: string,
  userId: string,
  opts: QuestionFilter & { random: () => number },
): QuizQuestion | undefined {
  const pool = [...content.questionById.values()].filter(
    (q) =>
      (!opts.track || q.track === opts.track) &&
      (!opts.lessonId || q.lessonId === opts.lessonId) &&
      (!opts.difficulty || q.difficulty === opts.difficulty) &&
      !opts.exclude?.has(q.id),
  );
  if (pool.length === 0) return undefined;
  const history = new Map<string, boolean>();
  for (const a of db
    .select({ questionId: quizAnswers.questionId, correct: quizAnswers.correct })
    .from(quizAnswers)
    .where(and(eq(quizAnswers.workspace, ws), eq(quizAnswers.userId, userId)))
    .all()) {
    history.set(a.questionId, (history.get(a.questionId) ?? false) || a.correct);
  }
  const unseen = pool.filter((q) => !history.has(q.id));
  const missed = pool.filter((q) => history.get(q.id) === false);
  const from = unseen.length ? unseen : missed.length ? missed : pool;
  return from[Math.floor(opts.random() * from.length) % from.length];
}

/** Short, unguessable, button-id friendly. */
function newPostId(): string {
  return randomBytes(6).toString('base64url');
}

/** A fresh order of `n` options (Fisher–Yates with the given random source). */
function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1)) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The order a post shows its question's options in (indexes into the question's options). */
export function optionOrder(post: QuizPost, question: QuizQuestion): number[] {
  const stored = JSON.parse(post.optionOrder) as number[];
  return stored.length === question.options.length ? stored : question.options.map((_, i) => i);
}

export function createPost(
  db: Db,
  args: {
    ws: string;
    channelId: string;
    question: QuizQuestion;
    source: QuizPost['source'];
    createdBy?: string;
    now: number;
    /** How long it takes answers. */
    openMs: number;
    random: () => number;
    round?: { id: string; index: number };
  },
): QuizPost {
  return db
    .insert(quizPosts)
    .values({
      id: newPostId(),
      workspace: args.ws,
      channelId: args.channelId,
      questionId: args.question.id,
      source: args.source,
      createdBy: args.createdBy ?? null,
      createdAt: args.now,
      closesAt: args.now + args.openMs,
      optionOrder: JSON.stringify(shuffled(args.question.options.length, args.random)),
      ...(args.round && { roundId: args.round.id, roundIndex: args.round.index }),
    })
    .returning()
    .get();
}

export function getPost(db: Db, id: string): QuizPost | undefined {
  return db.select().from(quizPosts).where(eq(quizPosts.id, id)).get();
}

export interface Answered {
  kind: 'answered';
  question: QuizQuestion;
  /** The option chosen, as an index into the question's options (not its place on the post). */
  option: number;
  /** Its place on the post (0 = the first button). */
  shown: number;
  order: number[];
  correct: boolean;
  /** Only a user's first answer to a question scores; later ones are practice. */
  scored: boolean;
  points: number;
  streak: StreakUpdate;
}

/** A round's answer, kept until the reveal (it can be changed until then; speed and points count there). */
export interface RoundAnswered {
  kind: 'round-answer';
  question: QuizQuestion;
  shown: number;
  changed: boolean;
  streak: StreakUpdate;
}

/** What answering a posted question came to: recorded, or why not (nothing is changed then). */
export type AnswerOutcome =
  | Answered
  | RoundAnswered
  /** A second click on the same post: no new score, but the user is told what they chose (as shown). */
  | { kind: 'already'; shown: number; correct: boolean }
  /** No such post in this workspace and channel (an old or forged button). */
  | { kind: 'unknown-post' }
  /** The question left the course after it was posted. */
  | { kind: 'retired' }
  | { kind: 'closed'; closedAt: number }
  | { kind: 'bad-choice' };

const postRow = (db: Db) =>
  db
    .select()
    .from(quizPosts)
    .where(eq(quizPosts.id, sql.placeholder('id')))
    .prepare();
const answerRow = (db: Db) =>
  db
    .select()
    .from(quizAnswers)
    .where(and(eq(quizAnswers.postId, sql.placeholder('postId')), eq(quizAnswers.userId, sql.placeholder('userId'))))
    .prepare();
const answersTo = (db: Db) =>
  db
    .select({ scored: quizAnswers.scored })
    .from(quizAnswers)
    .where(
      and(
        eq(quizAnswers.workspace, sql.placeholder('ws')),
        eq(quizAnswers.userId, sql.placeholder('userId')),
        eq(quizAnswers.questionId, sql.placeholder('questionId')),
      ),
    )
    .prepare();

/**
 * Records a user's answer to a posted question, in one synchronous transaction. A standalone
 * question takes one answer per user per post, and the first answer per user per question scores
 * (points by difficulty, with the streak); a round's question takes an answer that can be changed
 * until the reveal, which scores the round.
 */
export function answer(
  db: Db,
  content: Content,
  args: {
    ws: string;
    /** Where the click happened: a post answers only in the channel it was posted to. */
    channelId: string;
    postId: string;
    userId: string;
    /** The button clicked: its place on the post. */
    shown: number;
    now: number;
    zone: string;
    workspaceZone: string;
  },
): AnswerOutcome {
  return db.transaction((tx): AnswerOutcome => {
    const post = prepared(tx, postRow).get({ id: args.postId });
    if (!post || post.workspace !== args.ws || post.channelId !== args.channelId) return { kind: 'unknown-post' };
    const question = content.questionById.get(post.questionId);
    if (!question) return { kind: 'retired' };
    const order = optionOrder(post, question);
    const option = order[args.shown];
    const prior = prepared(tx, answerRow).get({ postId: post.id, userId: args.userId });
    const open = post.revealedAt === null && args.now <= post.closesAt;
    if (prior && (post.roundId === null || !open)) return { kind: 'already', shown: order.indexOf(prior.choice), correct: prior.correct };
    if (!open) return { kind: 'closed', closedAt: post.revealedAt ?? post.closesAt };
    if (option === undefined) return { kind: 'bad-choice' };
    const correct = question.options[option]!.correct;
    if (post.roundId !== null) {
      // Rounds: the latest answer before the reveal counts, and when it was given (speed scores).
      const values = { choice: option, correct, answeredAt: args.now, scored: false };
      tx.insert(quizAnswers)
        .values({ postId: post.id, userId: args.userId, workspace: args.ws, questionId: question.id, ...values })
        .onConflictDoUpdate({ target: [quizAnswers.postId, quizAnswers.userId], set: values })
        .run();
      const streak = recordActivity(tx, args.ws, args.userId, args.zone, args.now);
      return { kind: 'round-answer', question, shown: args.shown, changed: Boolean(prior), streak };
    }
    const answeredBefore = prepared(tx, answersTo)
      .all({ ws: args.ws, userId: args.userId, questionId: question.id })
      .some((a) => a.scored);
    const scored = !answeredBefore;
    tx.insert(quizAnswers)
      .values({
        postId: post.id,
        userId: args.userId,
        workspace: args.ws,
        questionId: question.id,
        choice: option,
        correct,
        scored,
        answeredAt: args.now,
      })
      .run();
    const worth = QUIZ_POINTS[question.difficulty];
    const points =
      scored &&
      correct &&
      award(tx, {
        ws: args.ws,
        userId: args.userId,
        amount: worth,
        reason: 'quiz',
        ref: question.id,
        now: args.now,
        workspaceZone: args.workspaceZone,
      })
        ? worth
        : 0;
    const streak = recordActivity(tx, args.ws, args.userId, args.zone, args.now);
    if (!correct) {
      noteMistake(tx, content, {
        ws: args.ws,
        userId: args.userId,
        question,
        choice: option,
        source: post.source === 'review' ? 'review' : 'quiz',
        now: args.now,
        zone: args.zone,
      });
    }
    refreshLessonMastery(tx, content, {
      ws: args.ws,
      userId: args.userId,
      lessonId: question.lessonId,
      now: args.now,
      workspaceZone: args.workspaceZone,
    });
    return { kind: 'answered', question, option, shown: args.shown, order, correct, scored, points, streak };
  });
}

export interface RoomView {
  post: QuizPost;
  question: QuizQuestion;
  order: number[];
  answered: number;
  /** Once revealed: how many chose each option, by place on the post. */
  shares?: number[];
  /** Once revealed: who answered right first. */
  firstRight?: { userId: string; name: string; afterMs: number };
}

/** How the room stands on a post: how many answered, and, once revealed, how they voted. */
export function roomView(db: Db, content: Content, postId: string): RoomView | undefined {
  const post = getPost(db, postId);
  const question = post && content.questionById.get(post.questionId);
  if (!post || !question) return undefined;
  const order = optionOrder(post, question);
  const answers = db
    .select({
      userId: quizAnswers.userId,
      choice: quizAnswers.choice,
      correct: quizAnswers.correct,
      at: quizAnswers.answeredAt,
      name: users.displayName,
    })
    .from(quizAnswers)
    .innerJoin(users, and(eq(users.workspace, quizAnswers.workspace), eq(users.userId, quizAnswers.userId)))
    .where(eq(quizAnswers.postId, postId))
    .orderBy(asc(quizAnswers.answeredAt))
    .all();
  const view: RoomView = { post, question, order, answered: answers.length };
  if (post.revealedAt !== null) {
    view.shares = order.map((option) => answers.filter((a) => a.choice === option).length);
    const first = answers.find((a) => a.correct);
    if (first) view.firstRight = { userId: first.userId, name: first.name, afterMs: first.at - post.createdAt };
  }
  return view;
}

/** Closes a post and reveals it; false when it was revealed already (a reveal happens once). */
export function revealPost(db: Db, postId: string, now: number): boolean {
  return (
    db
      .update(quizPosts)
      .set({ revealedAt: now })
      .where(and(eq(quizPosts.id, postId), sql`${quizPosts.revealedAt} is null`))
      .run().changes > 0
  );
}

/** A round question's answers with when they came, for its scoring at the reveal. */
export function roundAnswers(db: Db, postId: string): { userId: string; correct: boolean; at: number }[] {
  return db
    .select({ userId: quizAnswers.userId, correct: quizAnswers.correct, at: quizAnswers.answeredAt })
    .from(quizAnswers)
    .where(eq(quizAnswers.postId, postId))
    .all();
}

/**
 * Settles a round question at its reveal for the learning model: each wrong final answer is a
 * mistake that comes back in review, and everyone's mastery of the lesson is brought up to date.
 */
export function settleRoundQuestion(
  db: Db,
  content: Content,
  at: { postId: string; now: number; zoneOf: (userId: string) => string; workspaceZone: string },
): void {
  const post = getPost(db, at.postId);
  const question = post && content.questionById.get(post.questionId);
  if (!post || !question) return;
  db.transaction((tx) => {
    for (const a of tx.select().from(quizAnswers).where(eq(quizAnswers.postId, post.id)).all()) {
      if (!a.correct)
        noteMistake(tx, content, {
          ws: post.workspace,
          userId: a.userId,
          question,
          choice: a.choice,
          source: 'round',
          now: at.now,
          zone: at.zoneOf(a.userId),
        });
      refreshLessonMastery(tx, content, {
        ws: post.workspace,
        userId: a.userId,
        lessonId: question.lessonId,
        now: at.now,
        workspaceZone: at.workspaceZone,
      });
    }
  });
}

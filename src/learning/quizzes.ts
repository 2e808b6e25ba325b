import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Content, QuizQuestion } from '../content/types.js';
import type { Db } from '../db/index.js';
import { quizAnswers, quizPosts } from '../db/schema.js';
import { award, POINTS } from './points.js';
import { recordActivity, type StreakUpdate } from './streaks.js';

export type QuizPost = typeof quizPosts.$inferSelect;

/**
 * Picks a question for a user: from `track` (or any), preferring ones they have never answered,
 * then ones they got wrong, then any. `random` breaks ties.
 */
export function pickQuestion(
  db: Db,
  content: Content,
  ws: string,
  userId: string,
  opts: { track?: string; lessonId?: string; random: () => number },
): QuizQuestion | undefined {
  const pool = [...content.questionById.values()].filter(
    (q) => (!opts.track || q.track === opts.track) && (!opts.lessonId || q.lessonId === opts.lessonId),
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

export function createPost(
  db: Db,
  args: { ws: string; channelId: string; questionId: string; source: 'command' | 'daily'; createdBy?: string; now: number; openHours: number },
): QuizPost {
  return db
    .insert(quizPosts)
    .values({
      id: newPostId(),
      workspace: args.ws,
      channelId: args.channelId,
      questionId: args.questionId,
      source: args.source,
      createdBy: args.createdBy ?? null,
      createdAt: args.now,
      closesAt: args.now + args.openHours * 3_600_000,
    })
    .returning()
    .get();
}

export interface Answered {
  kind: 'answered';
  question: QuizQuestion;
  choice: number;
  correct: boolean;
  /** Only a user's first answer to a question scores; later ones are practice. */
  scored: boolean;
  points: number;
  streak: StreakUpdate;
}

/** What answering a posted question came to: recorded, or why not (nothing is changed then). */
export type AnswerOutcome =
  | Answered
  /** A second click on the same post: no new score, but the user is told what they chose. */
  | { kind: 'already'; choice: number; correct: boolean }
  /** No such post in this workspace and channel (an old or forged button). */
  | { kind: 'unknown-post' }
  /** The question left the course after it was posted. */
  | { kind: 'retired' }
  | { kind: 'closed'; closedAt: number }
  | { kind: 'bad-choice' };

/**
 * Records a user's answer to a posted question, in one synchronous transaction: one answer per user
 * per post, the first answer per user per question scores, points and the streak update together.
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
    choice: number;
    now: number;
    zone: string;
    workspaceZone: string;
  },
): AnswerOutcome {
  return db.transaction((tx): AnswerOutcome => {
    const post = tx.select().from(quizPosts).where(eq(quizPosts.id, args.postId)).get();
    if (!post || post.workspace !== args.ws || post.channelId !== args.channelId) return { kind: 'unknown-post' };
    const question = content.questionById.get(post.questionId);
    if (!question) return { kind: 'retired' };
    const prior = tx
      .select()
      .from(quizAnswers)
      .where(and(eq(quizAnswers.postId, post.id), eq(quizAnswers.userId, args.userId)))
      .get();
    if (prior) return { kind: 'already', choice: prior.choice, correct: prior.correct };
    if (args.now > post.closesAt) return { kind: 'closed', closedAt: post.closesAt };
    const option = question.options[args.choice];
    if (!option) return { kind: 'bad-choice' };
    const answeredBefore = tx
      .select({ scored: quizAnswers.scored })
      .from(quizAnswers)
      .where(and(eq(quizAnswers.workspace, args.ws), eq(quizAnswers.userId, args.userId), eq(quizAnswers.questionId, question.id)))
      .all()
      .some((a) => a.scored);
    const scored = !answeredBefore;
    tx.insert(quizAnswers)
      .values({
        postId: post.id,
        userId: args.userId,
        workspace: args.ws,
        questionId: question.id,
        choice: args.choice,
        correct: option.correct,
        scored,
        answeredAt: args.now,
      })
      .run();
    const points =
      scored &&
      option.correct &&
      award(tx, {
        ws: args.ws,
        userId: args.userId,
        amount: POINTS.quizCorrect,
        reason: 'quiz',
        ref: question.id,
        now: args.now,
        workspaceZone: args.workspaceZone,
      })
        ? POINTS.quizCorrect
        : 0;
    const streak = recordActivity(tx, args.ws, args.userId, args.zone, args.now);
    return { kind: 'answered', question, choice: args.choice, correct: option.correct, scored, points, streak };
  });
}

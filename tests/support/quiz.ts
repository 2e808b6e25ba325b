import { eq } from 'drizzle-orm';
import { answerId } from '../../commands/quiz.js';
import { reviewAnswerId } from '../../commands/review.js';
import { reviewSessions } from '../../src/db/schema.js';
import { getPost, optionOrder } from '../../src/learning/quizzes.js';
import type { Services } from '../../src/services.js';

/**
 * Splits a quiz post's buttons into the right one and the wrong ones, by the order stored with the
 * post (each post shuffles its options, so a test cannot assume the first button is right).
 */
export function quizButtons(services: Pick<Services, 'db' | 'content'>, ids: readonly string[]): { right: string; wrong: string[] } {
  const answers = ids.map((id) => ({ id, decoded: answerId.decode(id) })).filter((a) => a.decoded);
  if (!answers.length) throw new Error(`no quiz answer buttons among ${ids.join(', ')}`);
  const post = getPost(services.db, answers[0]!.decoded!.post);
  if (!post) throw new Error(`no quiz post ${answers[0]!.decoded!.post}`);
  const question = services.content.questionById.get(post.questionId)!;
  const rightShown = optionOrder(post, question).indexOf(question.options.findIndex((o) => o.correct));
  const right = answers.find((a) => a.decoded!.option === rightShown);
  if (!right) throw new Error(`the right option's button (${rightShown}) is not among ${ids.join(', ')}`);
  return { right: right.id, wrong: answers.filter((a) => a !== right).map((a) => a.id) };
}

/** The same for a question shown in a /review: its buttons carry the session and the item. */
export function reviewQuizButtons(services: Pick<Services, 'db' | 'content'>, ids: readonly string[]): { right: string; wrong: string[] } {
  const answers = ids.map((id) => ({ id, decoded: reviewAnswerId.decode(id) })).filter((a) => a.decoded);
  if (!answers.length) throw new Error(`no review answer buttons among ${ids.join(', ')}`);
  const { session, at } = answers[0]!.decoded!;
  const row = services.db.select().from(reviewSessions).where(eq(reviewSessions.id, session)).get();
  const item = row && (JSON.parse(row.items) as { kind: string; post?: string }[])[at];
  const post = item?.post ? getPost(services.db, item.post) : undefined;
  if (!post) throw new Error(`review ${session} shows no question at ${at}`);
  const question = services.content.questionById.get(post.questionId)!;
  const rightShown = optionOrder(post, question).indexOf(question.options.findIndex((o) => o.correct));
  const right = answers.find((a) => a.decoded!.option === rightShown)!;
  return { right: right.id, wrong: answers.filter((a) => a !== right).map((a) => a.id) };
}

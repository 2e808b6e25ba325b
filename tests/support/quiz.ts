import { answerId } from '../../commands/quiz.js';
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

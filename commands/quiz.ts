import { componentId } from '../src/chat/component-id.js';
import type { Scope } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import type { Block, Message } from '../src/chat/reply.js';
import { buttons, code, note, privateMessage, text } from '../src/chat/reply.js';
import type { Content, QuizQuestion } from '../src/content/types.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import { answer, createPost, pickQuestion, type Answered } from '../src/learning/quizzes.js';
import type { Services } from '../src/services.js';
import { command, on } from './kit.js';
import { requireTrack } from './lookups.js';
import { LETTERS } from './views/format.js';

/** quiz:answer:1:<post>:<option> — the option's index in the question as posted. */
export const answerId = componentId('quiz', 'answer', { post: 'str', option: 'int' });
/** quiz:new:1 — "Quiz me" outside a lesson (the Slack Home tab). */
export const newQuizId = componentId('quiz', 'new');

/** A quiz question as posted in a channel: options as text, one button per option. */
export function renderQuestion(content: Content, question: QuizQuestion, postId: string, closesAt: number, now: number): Message {
  const lesson = content.lessonById.get(question.lessonId);
  // Question texts are Markdown documents like lessons: their line breaks are soft.
  const blocks: Block[] = [text(unwrapParagraphs(question.question))];
  if (question.code) blocks.push(code(question.code.replace(/\n$/, '')));
  blocks.push(text(question.options.map((o, i) => `**${LETTERS[i]}.** ${unwrapParagraphs(o.text)}`).join('\n')));
  blocks.push(
    buttons(...question.options.map((_, i) => ({ id: answerId.encode({ post: postId, option: i }), label: LETTERS[i]!, style: 'primary' as const }))),
  );
  const hours = Math.max(1, Math.round((closesAt - now) / 3_600_000));
  blocks.push(
    note(`${content.trackById.get(question.track)?.title ?? question.track} · from “${lesson?.title ?? question.lessonId}” · open for ${hours} h`),
  );
  return { title: 'Quiz', blocks };
}

export function renderAnswer(content: Content, outcome: Answered): Message {
  const q = outcome.question;
  const right = q.options.findIndex((o) => o.correct);
  const chosen = q.options[outcome.choice]!;
  const why = (o: QuizQuestion['options'][number]) => unwrapParagraphs(o.why);
  const lines: string[] = [];
  if (outcome.correct) {
    lines.push(`✅ **Correct!** ${why(chosen)}`);
  } else {
    lines.push(`❌ **Not quite.** You chose **${LETTERS[outcome.choice]}**: ${why(chosen)}`);
    lines.push(`The answer is **${LETTERS[right]}. ${unwrapParagraphs(q.options[right]!.text)}**: ${why(q.options[right]!)}`);
  }
  const footer: string[] = [];
  if (outcome.points) footer.push(`+${outcome.points} points`);
  if (!outcome.scored) footer.push('practice round: only your first answer to a question scores');
  if (outcome.streak.extended) footer.push(`🔥 streak: ${outcome.streak.current} day${outcome.streak.current === 1 ? '' : 's'}`);
  const lesson = content.lessonById.get(q.lessonId);
  if (lesson) footer.push(`review: \`/lesson show ${lesson.id}\``);
  return { blocks: [text(lines.join('\n\n')), note(footer.join(' · '))], private: true };
}

/**
 * Picks a question (for `userId`, or for the channel when posted by the daily feed), records the
 * post and renders it. Undefined when there is no question to ask.
 */
export function postQuestion(
  services: Services,
  at: { ws: string; now: number; channelId: string },
  pick: { userId?: string; track?: string; lessonId?: string; source: 'command' | 'daily' },
): Message | undefined {
  const { db, content, config, random } = services;
  const question = pickQuestion(db, content, at.ws, pick.userId ?? '', {
    ...(pick.track && { track: pick.track }),
    ...(pick.lessonId && { lessonId: pick.lessonId }),
    random,
  });
  if (!question) return undefined;
  const post = createPost(db, {
    ws: at.ws,
    channelId: at.channelId,
    questionId: question.id,
    source: pick.source,
    ...(pick.userId && { createdBy: pick.userId }),
    now: at.now,
    openHours: config.quizOpenHours,
  });
  return renderQuestion(content, question, post.id, post.closesAt, at.now);
}

function quizFor(services: Services, scope: Scope, channelId: string, userId: string, track?: string): Message {
  const m = postQuestion(services, { ...scope, channelId }, { userId, source: 'command', ...(track && { track }) });
  if (!m) throw new UserError(`There are no quiz questions${track ? ` in ${track}` : ''} yet.`);
  return m;
}

export default command({
  name: 'quiz',
  description: 'Post a quiz question to the channel, optionally from one track',
  examples: ['/quiz', '/quiz asyncio'],
  options: [{ name: 'track', description: 'Only questions from this track', type: 'string', autocomplete: 'tracks' }],
  async handle({ options, ctx, scope, services }) {
    const track = requireTrack(services.content, options.track);
    return { kind: 'message', message: quizFor(services, scope, ctx.channelId, ctx.userId, track) };
  },
  components: [
    on(answerId, async ({ id, ctx, scope, services }) => {
      const outcome = answer(services.db, services.content, {
        ws: scope.ws,
        channelId: ctx.channelId,
        postId: id.post,
        userId: ctx.userId,
        choice: id.option,
        now: scope.now,
        zone: scope.zone,
        workspaceZone: scope.workspaceZone,
      });
      switch (outcome.kind) {
        case 'answered':
          return { kind: 'message', message: renderAnswer(services.content, outcome) };
        case 'already':
          return privateMessage([
            text(
              `You already answered this one: you chose **${LETTERS[outcome.choice]}**, which was ${outcome.correct ? 'right ✅' : 'not right ❌'}.`,
            ),
            note('Only your first answer counts. Run /quiz for another question.'),
          ]);
        case 'unknown-post':
          throw new UserError('That quiz button belongs to a question that no longer exists.', 'Run /quiz for a new question.');
        case 'retired':
          throw new UserError('That question has been retired from the course.', 'Run /quiz for a new question.');
        case 'closed':
          throw new UserError(
            `This question closed ${new Date(outcome.closedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC, so answers no longer count.`,
            'Run /quiz for a fresh question.',
          );
        case 'bad-choice':
          throw new UserError('That answer is not one of the options.', 'Pick one of the buttons under the question.');
      }
    }),
    on(newQuizId, async ({ ctx, scope, services }) => ({ kind: 'message', message: quizFor(services, scope, ctx.channelId, ctx.userId) })),
  ],
});

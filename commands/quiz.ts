import { componentId } from '../src/chat/component-id.js';
import type { ChatContext, Scope } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import type { Block, Button, Message } from '../src/chat/reply.js';
import { buttons, code, note, privateMessage, text } from '../src/chat/reply.js';
import { userText } from '../src/chat/user-text.js';
import type { Content, Difficulty, QuizQuestion } from '../src/content/types.js';
import {
  type Answered,
  answer,
  createPost,
  getPost,
  pickQuestion,
  QUIZ_POINTS,
  type QuestionFilter,
  type QuizPost,
  revealPost,
  roomView,
  type RoomView,
} from '../src/learning/quizzes.js';
import type { Services } from '../src/services.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import { command, on } from './kit.js';
import { withinEditBudget } from './edits.js';
import { boardsChanged } from './leaderboard.js';
import { celebrate } from './milestones.js';
import { requireTrack, trackName } from './lookups.js';
import { bar, LETTERS } from './views/format.js';

/** quiz:answer:1:<post>:<n> — the n-th button of the post (its options are shuffled per post). */
export const answerId = componentId('quiz', 'answer', { post: 'str', option: 'int' });
/** quiz:reveal:1:<post> — for the learner who posted the question, or an admin. */
const revealId = componentId('quiz', 'reveal', { post: 'str' });
/** quiz:new:1 — "Quiz me" outside a lesson (the Slack Home tab). */
export const newQuizId = componentId('quiz', 'new');

export const DIFFICULTIES = [
  { name: 'Easy', value: 'easy' },
  { name: 'Medium', value: 'medium' },
  { name: 'Hard', value: 'hard' },
] as const satisfies readonly { name: string; value: Difficulty }[];

/** The live key of a post's message: answers update its count, the reveal replaces it. */
export const postKey = (postId: string) => `quiz:${postId}`;

/** How long the room's count waits before the message is edited: a busy room folds into one edit. */
export const REFRESH_MS = 2000;

export const optionLine = (q: QuizQuestion, option: number, shown: number) => `**${LETTERS[shown]}.** ${unwrapParagraphs(q.options[option]!.text)}`;

export function questionHead(q: QuizQuestion): Block[] {
  // Question texts are Markdown documents like lessons: their line breaks are soft.
  const blocks: Block[] = [text(unwrapParagraphs(q.question))];
  if (q.code) blocks.push(code(q.code.replace(/\n$/, '')));
  return blocks;
}

/** How long is left, for a footer: "20 s", "3 min", "23 h". */
export function leftIn(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/**
 * A quiz question as posted in a channel, while it is open: its options in the post's own order,
 * one button each, and how many have answered (never how they voted).
 */
export function renderQuestion(
  content: Content,
  question: QuizQuestion,
  post: QuizPost,
  now: number,
  room?: RoomView,
  extra: { title?: string; footer?: string } = {},
): Message {
  const order = room?.order ?? (JSON.parse(post.optionOrder) as number[]);
  const shownOrder = order.length === question.options.length ? order : question.options.map((_, i) => i);
  const lesson = content.lessonById.get(question.lessonId);
  const blocks = questionHead(question);
  blocks.push(text(shownOrder.map((option, shown) => optionLine(question, option, shown)).join('\n')));
  const controls: Button[] = shownOrder.map((_, i) => ({
    id: answerId.encode({ post: post.id, option: i }),
    label: LETTERS[i]!,
    style: 'primary' as const,
  }));
  if (post.roundId === null) controls.push({ id: revealId.encode({ post: post.id }), label: 'Reveal', style: 'secondary' });
  blocks.push(buttons(...controls));
  const answered = room?.answered ?? 0;
  const meta = extra.footer ?? `${trackName(content, question.track)} · ${question.difficulty}${lesson ? ` · from “${lesson.title}”` : ''}`;
  blocks.push(note(`👥 ${answered} answered · ${meta} · open for ${leftIn(post.closesAt - now)}`));
  return { title: extra.title ?? 'Quiz', blocks, live: postKey(post.id) };
}

/** The reveal that replaces a question once it closes: the right option, how the room voted, who was first. */
export function renderReveal(content: Content, room: RoomView, extra: { title?: string; lines?: string[] } = {}): Message {
  const { question, order } = room;
  const shares = room.shares ?? order.map(() => 0);
  const total = shares.reduce((a, b) => a + b, 0);
  const blocks = questionHead(question);
  blocks.push(
    text(
      order
        .map((option, shown) => {
          const right = question.options[option]!.correct;
          const n = shares[shown] ?? 0;
          const pct = total ? Math.round((n / total) * 100) : 0;
          return `${right ? '✅' : '▫️'} ${optionLine(question, option, shown)}\n\`${bar(n, total)}\` ${n} (${pct}%)`;
        })
        .join('\n'),
    ),
  );
  const right = question.options.find((o) => o.correct)!;
  const summary = [`**Why:** ${unwrapParagraphs(right.why)}`];
  if (room.firstRight) summary.push(`⚡ First right: ${userText(room.firstRight.name)} after ${(room.firstRight.afterMs / 1000).toFixed(1)} s`);
  summary.push(...(extra.lines ?? []));
  blocks.push(text(summary.join('\n')));
  const lesson = content.lessonById.get(question.lessonId);
  blocks.push(note(`${total} answered · revealed${lesson ? ` · review: \`/lesson show ${lesson.id}\`` : ''}`));
  return { title: extra.title ?? 'Quiz — revealed', blocks, live: postKey(room.post.id) };
}

export function renderAnswer(content: Content, outcome: Answered, extra: string[] = []): Message {
  const q = outcome.question;
  const rightOption = q.options.findIndex((o) => o.correct);
  const rightShown = outcome.order.indexOf(rightOption);
  const chosen = q.options[outcome.option]!;
  const why = (o: QuizQuestion['options'][number]) => unwrapParagraphs(o.why);
  const lines: string[] = [];
  if (outcome.correct) {
    lines.push(`✅ **Correct!** ${why(chosen)}`);
  } else {
    lines.push(`❌ **Not quite.** You chose **${LETTERS[outcome.shown]}**: ${why(chosen)}`);
    lines.push(`The answer is **${LETTERS[rightShown]}. ${unwrapParagraphs(q.options[rightOption]!.text)}**: ${why(q.options[rightOption]!)}`);
  }
  const footer: string[] = [];
  if (outcome.points) footer.push(`+${outcome.points} points (${q.difficulty})`);
  if (!outcome.scored) footer.push('practice round: only your first answer to a question scores');
  if (outcome.streak.extended) footer.push(`🔥 streak: ${outcome.streak.current} day${outcome.streak.current === 1 ? '' : 's'}`);
  const lesson = content.lessonById.get(q.lessonId);
  if (lesson) footer.push(`review: \`/lesson show ${lesson.id}\``);
  return { blocks: [text(lines.join('\n\n')), ...(extra.length ? [text(extra.join('\n'))] : []), note(footer.join(' · '))], private: true };
}

/**
 * Picks a question (for `userId`, or for the channel when posted by the daily feed), records the
 * post (with its own order of options), schedules its reveal and renders it. Undefined when there
 * is no question to ask.
 */
export async function postQuestion(
  services: Services,
  at: { ws: string; now: number; channelId: string },
  pick: QuestionFilter & { userId?: string; source: 'command' | 'daily' },
): Promise<Message | undefined> {
  const { db, content, config, random } = services;
  const question = pickQuestion(db, content, at.ws, pick.userId ?? '', { ...pick, random });
  if (!question) return undefined;
  const openMs = config.quizOpenHours * 3_600_000;
  const post = createPost(db, {
    ws: at.ws,
    channelId: at.channelId,
    question,
    source: pick.source,
    ...(pick.userId && { createdBy: pick.userId }),
    now: at.now,
    openMs,
    random,
  });
  await services.timers.at('quiz-close', post.id, openMs, { ws: at.ws });
  return renderQuestion(content, question, post, at.now);
}

async function quizFor(services: Services, scope: Scope, ctx: ChatContext, filter: QuestionFilter): Promise<Message> {
  const m = await postQuestion(services, { ...scope, channelId: ctx.channelId }, { userId: ctx.userId, source: 'command', ...filter });
  if (!m)
    throw new UserError(
      `There are no quiz questions${filter.track ? ` in ${filter.track}` : ''}${filter.difficulty ? ` of ${filter.difficulty} difficulty` : ''} yet.`,
    );
  return m;
}

/**
 * The reveal of a standalone post (time up, or revealed by hand): once, editing the question in
 * place. When its time is up, it waits its turn in the channel's edit budget (many questions posted
 * together close together).
 */
export async function revealStandalone(services: Services, postId: string, opts: { timeUp?: boolean } = {}): Promise<boolean> {
  const post = getPost(services.db, postId);
  if (!post || post.revealedAt !== null) return false;
  if (opts.timeUp && !(await withinEditBudget(services, { ws: post.workspace, channelId: post.channelId }, { kind: 'quiz-close', key: postId })))
    return false;
  if (!revealPost(services.db, postId, services.clock.now())) return false;
  const room = roomView(services.db, services.content, postId);
  if (room) await services.outbox.editLive(postKey(postId), renderReveal(services.content, room));
  return true;
}

/** Brings a post's count of answers up to date (the timer folds a burst of answers into one edit). */
export async function refreshPost(services: Services, postId: string): Promise<void> {
  const room = roomView(services.db, services.content, postId);
  if (!room || room.post.revealedAt !== null || room.post.roundId !== null) return;
  if (!(await withinEditBudget(services, { ws: room.post.workspace, channelId: room.post.channelId }, { kind: 'quiz-refresh', key: postId }))) return;
  await services.outbox.editLive(postKey(postId), renderQuestion(services.content, room.question, room.post, services.clock.now(), room));
}

export default command({
  name: 'quiz',
  description: 'Post a quiz question to the channel, optionally from one track or of one difficulty',
  examples: ['/quiz', '/quiz asyncio', '/quiz difficulty:hard'],
  about:
    `A right first answer earns **${QUIZ_POINTS.easy}** points for an easy question, **${QUIZ_POINTS.medium}** for a medium one and **${QUIZ_POINTS.hard}** for a hard one; ` +
    'a question you have answered before is practice and scores nothing. Each post shows its options in its own order. ' +
    'The question counts the answers as they come without showing the votes; when its time is up, or its poster or an admin presses **Reveal**, ' +
    'it shows the right option, how the room voted and who was first right. Your answer is final: for answers you can change, play a `/round`.',
  options: [
    { name: 'track', description: 'Only questions from this track', type: 'string', autocomplete: 'tracks' },
    {
      name: 'difficulty',
      description: `Only questions of this difficulty (right answers earn ${Object.values(QUIZ_POINTS).join('/')} points)`,
      type: 'string',
      choices: DIFFICULTIES,
    },
  ],
  async handle({ options, ctx, scope, services }) {
    const track = requireTrack(services.content, options.track);
    return { kind: 'message', message: await quizFor(services, scope, ctx, { track, difficulty: options.difficulty }) };
  },
  components: [
    on(answerId, async ({ id, ctx, scope, services }) => {
      const outcome = answer(services.db, services.content, {
        ws: scope.ws,
        channelId: ctx.channelId,
        postId: id.post,
        userId: ctx.userId,
        shown: id.option,
        now: scope.now,
        zone: scope.zone,
        workspaceZone: scope.workspaceZone,
      });
      switch (outcome.kind) {
        case 'answered':
          await services.timers.throttle('quiz-refresh', id.post, REFRESH_MS, { ws: scope.ws });
          if (outcome.points) await boardsChanged(services, scope.ws);
          return { kind: 'message', message: renderAnswer(services.content, outcome, await celebrate(services, ctx, outcome.streak)) };
        case 'round-answer': {
          await services.timers.throttle('round-refresh', id.post, REFRESH_MS, { ws: scope.ws });
          const extra = await celebrate(services, ctx, outcome.streak);
          return privateMessage([
            text(`${outcome.changed ? '🔁 Changed to' : '📝 Locked in:'} **${LETTERS[outcome.shown]}**. You can change it until the reveal.`),
            ...(extra.length ? [text(extra.join('\n'))] : []),
          ]);
        }
        case 'already':
          return privateMessage([
            text(
              `You already answered this one: you chose **${LETTERS[outcome.shown]}**, which was ${outcome.correct ? 'right ✅' : 'not right ❌'}.`,
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
    on(revealId, async ({ id, ctx, scope, services }) => {
      const post = getPost(services.db, id.post);
      if (!post || post.workspace !== scope.ws) throw new UserError('That question no longer exists.');
      if (post.createdBy !== ctx.userId && !ctx.isAdmin)
        throw new UserError('Only the learner who posted this question, or an admin, can reveal it.', 'It reveals itself when its time is up.');
      if (!(await revealStandalone(services, post.id))) throw new UserError('This question has been revealed already.');
      await services.timers.cancel('quiz-close', post.id);
      return privateMessage([text('Revealed: the question now shows the answer and how the room voted.')]);
    }),
    on(newQuizId, async ({ ctx, scope, services }) => ({ kind: 'message', message: await quizFor(services, scope, ctx, {}) })),
  ],
});

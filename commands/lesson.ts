import { componentId } from '../src/chat/component-id.js';
import { UserError } from '../src/chat/errors.js';
import { splitMarkdown } from '../src/text/markdown.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import type { Block, Button, Message, Reply } from '../src/chat/reply.js';
import { buttons, message, note, privateMessage, text } from '../src/chat/reply.js';
import type { Content, Lesson } from '../src/content/types.js';
import { advanceChannel, currentLesson, markRead, readLessonIds } from '../src/learning/lessons.js';
import { POINTS } from '../src/learning/points.js';
import type { Services } from '../src/services.js';
import { renderChallenge } from './challenges.js';
import { startReview } from './flashcards.js';
import { boardsChanged } from './leaderboard.js';
import { command, on, sub } from './kit.js';
import { requireChallenge, requireLesson, requireTrack, trackName } from './lookups.js';
import { postQuestion } from './quiz.js';

/** lesson:page:1:<lesson>:<page> — page navigation replaces the lesson message in place. */
const pageId = componentId('lesson', 'page', { lesson: 'str', page: 'int' });
/** lesson:open:1 — the "Open a lesson…" select; the lesson is the chosen value. */
const openId = componentId('lesson', 'open');
/** lesson:show:1:<lesson> — a button that opens one lesson (the Slack Home tab's "next lesson"). */
export const showId = componentId('lesson', 'show', { lesson: 'str' });
const quizId = componentId('lesson', 'quiz', { lesson: 'str' });
const cardsId = componentId('lesson', 'cards', { lesson: 'str' });
const challengeId = componentId('lesson', 'challenge', { challenge: 'str' });
/** lesson:read:1:<lesson> — "Mark as read" for whoever reads a lesson posted to the channel. */
const readId = componentId('lesson', 'read', { lesson: 'str' });

/** Chat messages stay readable and inside every platform's limits (Discord: 2,000 characters). */
export const PAGE_CHARS = 1700;

/**
 * Splits a lesson body into pages of at most `max` characters, preferring to break before a
 * heading, never inside a code block (a block longer than a page is cut and reopened).
 */
export function paginate(markdown: string, max = PAGE_CHARS): string[] {
  const pages = splitMarkdown(markdown, { max, headingBreakAt: 0.6 });
  return pages.length ? pages : [''];
}

/** A lesson's pages: its hard-wrapped source turned into chat Markdown (one line per paragraph), then split. */
export function lessonPages(lesson: Lesson): string[] {
  return paginate(unwrapParagraphs(lesson.body));
}

export function lessonPosition(content: Content, lesson: Lesson): { index: number; total: number } {
  const inTrack = content.lessons.filter((l) => l.track === lesson.track);
  return { index: inTrack.findIndex((l) => l.id === lesson.id) + 1, total: inTrack.length };
}

/** One page of a lesson, with navigation and, on the last page, what to practise next. */
export function renderLessonPage(content: Content, lesson: Lesson, pageIndex: number, intro?: string): Message {
  const pages = lessonPages(lesson);
  const page = Math.min(Math.max(0, pageIndex), pages.length - 1);
  const track = content.trackById.get(lesson.track);
  const { index, total } = lessonPosition(content, lesson);
  const blocks: Block[] = [];
  if (intro) blocks.push(text(intro));
  if (page === 0) {
    blocks.push(text(`*${lesson.summary}*\n\n**You will learn to**\n${lesson.objectives.map((o) => `• ${o}`).join('\n')}`));
  }
  blocks.push(text(pages[page]!));
  const last = page === pages.length - 1;
  if (last) blocks.push(text(`**Read more**\n${lesson.docs.map((d) => `• [${d.title}](${d.url})`).join('\n')}`));
  const nav: Button[] = [];
  if (page > 0) nav.push({ id: pageId.encode({ lesson: lesson.id, page: page - 1 }), label: '◂ Back', style: 'secondary' });
  if (!last) nav.push({ id: pageId.encode({ lesson: lesson.id, page: page + 1 }), label: 'Next page ▸', style: 'primary' });
  if (last && lesson.quiz.length) nav.push({ id: quizId.encode({ lesson: lesson.id }), label: 'Quiz me', style: 'success' });
  if (last && lesson.flashcards.length) nav.push({ id: cardsId.encode({ lesson: lesson.id }), label: 'Flashcards', style: 'secondary' });
  if (last && lesson.challenge) nav.push({ id: challengeId.encode({ challenge: lesson.challenge }), label: 'Challenge', style: 'secondary' });
  if (last) nav.push({ id: readId.encode({ lesson: lesson.id }), label: '✅ Mark as read', style: 'secondary' });
  if (nav.length) blocks.push(buttons(...nav));
  blocks.push(
    note(
      `${track?.title ?? lesson.track} · lesson ${index} of ${total} · \`${lesson.id}\`${pages.length > 1 ? ` · page ${page + 1}/${pages.length}` : ''}`,
    ),
  );
  return { title: lesson.title, blocks };
}

function listReply(services: Services, ws: string, userId: string, track: string | undefined): Reply {
  const { content } = services;
  const read = readLessonIds(services.db, ws, userId);
  if (!track) {
    const lines = content.tracks.map((t) => {
      const lessons = content.lessons.filter((l) => l.track === t.id);
      const done = lessons.filter((l) => read.has(l.id)).length;
      return `**${trackName(content, t.id)}** (\`${t.id}\`) — ${lessons.length} lessons, ${done} read\n${t.description}`;
    });
    return message([text(lines.join('\n\n')), note('Open a track with `/lesson list <track>`.')], { title: 'Tracks' });
  }
  const lessons = content.lessons.filter((l) => l.track === track);
  if (!lessons.length) {
    // The workspace's own deck is a track of questions and cards only.
    throw new UserError(
      `*${trackName(content, track)}* has no lessons: it is this group's own questions and flashcards.`,
      `Try \`/quiz ${track}\` or \`/flashcards review ${track}\`.`,
    );
  }
  const lines = lessons.map((l) => `${read.has(l.id) ? '✅' : '▫️'} **${l.order}. ${l.title}** — \`${l.id}\`\n   ${l.summary}`);
  return message(
    [
      text(lines.join('\n')),
      {
        kind: 'select',
        id: openId.encode({}),
        placeholder: 'Open a lesson…',
        options: lessons.slice(0, 25).map((l) => ({ label: `${l.order}. ${l.title}`.slice(0, 100), value: l.id })),
      },
      note('Or open one with `/lesson show <id>`.'),
    ],
    { title: content.trackById.get(track)!.title },
  );
}

/** Counts a lesson as read (its last page reached, or "Mark as read"); the first read's points reach pinned boards. */
async function readLesson(
  services: Services,
  at: { ws: string; now: number; workspaceZone: string },
  userId: string,
  lesson: Lesson,
): Promise<{ first: boolean }> {
  const read = markRead(services.db, at.ws, userId, lesson.id, at.now, at.workspaceZone);
  if (read.first) await boardsChanged(services, at.ws);
  return read;
}

/** Shows a lesson's first page; a lesson of one page is read once shown. */
async function show(
  services: Services,
  at: { ws: string; now: number; workspaceZone: string },
  userId: string,
  lesson: Lesson,
  intro?: string,
): Promise<Reply> {
  if (lessonPages(lesson).length === 1) await readLesson(services, at, userId, lesson);
  return { kind: 'message', message: renderLessonPage(services.content, lesson, 0, intro) };
}

export default command({
  name: 'lesson',
  description: "Read the channel's current lesson, move on, open one by id, or list them",
  examples: ['/lesson', '/lesson next', '/lesson show asyncio-tasks', '/lesson list asyncio'],
  defaultSubcommand: 'current',
  subcommands: [
    sub({
      name: 'current',
      description: "The channel's current lesson",
      async handle({ ctx, scope, services }) {
        // A channel whose daily feed walks a track starts at that track's first lesson.
        const track = services.daily.get(scope.ws, ctx.channelId)?.track ?? undefined;
        return show(services, scope, ctx.userId, currentLesson(services.db, services.content, scope.ws, ctx.channelId, track));
      },
    }),
    sub({
      name: 'next',
      description: 'Move the channel on to the next lesson',
      async handle({ ctx, scope, services }) {
        // The same walk as the channel's daily feed, when it has one: its track, and what follows it.
        const feed = services.daily.get(scope.ws, ctx.channelId);
        const step = advanceChannel(services.db, services.content, scope.ws, ctx.channelId, scope.now, {
          track: feed?.track ?? undefined,
          ...(feed && { afterTrack: feed.afterTrack }),
        });
        const finished = step.completedTrack ? trackName(services.content, step.completedTrack) : undefined;
        if (!step.lesson) {
          return message([
            text(`🎉 That was the last lesson of *${finished}*, where this channel's daily feed stops.`),
            note('Open any lesson with `/lesson list`.'),
          ]);
        }
        const intro = finished
          ? `🎉 That was the end of *${finished}*${step.wrapped ? ' and of the course; starting over' : ''}. Next up:`
          : undefined;
        return show(services, scope, ctx.userId, step.lesson, intro);
      },
    }),
    sub({
      name: 'show',
      description: 'Open a lesson by id',
      options: [{ name: 'id', description: 'Lesson id, e.g. asyncio-tasks', type: 'string', required: true, autocomplete: 'lessons' }],
      async handle({ options, ctx, scope, services }) {
        return show(services, scope, ctx.userId, requireLesson(services.content, options.id));
      },
    }),
    sub({
      name: 'list',
      description: 'List the tracks, or the lessons of one track',
      options: [{ name: 'track', description: 'Track id, e.g. asyncio', type: 'string', autocomplete: 'tracks' }],
      async handle({ options, ctx, scope, services }) {
        return listReply(services, scope.ws, ctx.userId, requireTrack(services.content, options.track));
      },
    }),
  ],
  components: [
    on(pageId, async ({ id, ctx, scope, services }) => {
      const lesson = requireLesson(services.content, id.lesson);
      const m = renderLessonPage(services.content, lesson, id.page);
      // Reading through to the last page counts as reading, wherever the lesson was posted.
      if (id.page >= lessonPages(lesson).length - 1) await readLesson(services, scope, ctx.userId, lesson);
      return { kind: 'message', message: m, update: true };
    }),
    on(readId, async ({ id, ctx, scope, services }) => {
      const lesson = requireLesson(services.content, id.lesson);
      const { first } = await readLesson(services, scope, ctx.userId, lesson);
      return privateMessage([
        text(first ? `✅ “${lesson.title}” is marked as read: +${POINTS.lessonRead} points.` : `You had already read “${lesson.title}”.`),
        note('`/progress` shows every lesson you have read.'),
      ]);
    }),
    on(openId, async ({ selected, ctx, scope, services }) => show(services, scope, ctx.userId, requireLesson(services.content, selected[0] ?? ''))),
    on(showId, async ({ id, ctx, scope, services }) => show(services, scope, ctx.userId, requireLesson(services.content, id.lesson))),
    on(quizId, async ({ id, ctx, scope, services }) => {
      const lesson = requireLesson(services.content, id.lesson);
      const m = await postQuestion(services, { ...scope, channelId: ctx.channelId }, { userId: ctx.userId, lessonId: lesson.id, source: 'command' });
      if (!m) throw new UserError('This lesson has no quiz questions yet.', 'Try `/quiz` for one from any track.');
      return { kind: 'message', message: m };
    }),
    /** The lesson's own flashcards, new ones within the daily allowance. */
    on(cardsId, async ({ id, ctx, scope, services }) => {
      const lesson = requireLesson(services.content, id.lesson);
      return { kind: 'message', message: startReview(services, scope, ctx.userId, { lessonId: lesson.id }) };
    }),
    on(challengeId, async ({ id, services }) => {
      const ch = requireChallenge(services.content, id.challenge);
      return { kind: 'message', message: { ...renderChallenge(ch, services.content), private: true } };
    }),
  ],
});

import type { Command } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { message, text, note, updateMessage, type Reply } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import type { Content, Lesson } from '../src/content/types.js';
import { advanceChannel, currentLesson, markRead, readLessonIds, searchLessons } from '../src/learning/lessons.js';
import { createPost, pickQuestion } from '../src/learning/quizzes.js';
import { renderChallenge, renderLessonPage, renderQuestion } from '../src/learning/render.js';
import type { Services } from '../src/services.js';
import { nextCardMessage } from './flashcards.js';

export function findLesson(content: Content, id: string): Lesson {
  const lesson = content.lessonById.get(id.trim().toLowerCase());
  if (lesson) return lesson;
  const close = searchLessons(content, id, 3);
  throw new UserError(
    `There is no lesson "${id}".${close.length ? ` Did you mean ${close.map((l) => `\`${l.id}\``).join(', ')}?` : ''}`,
    'See `/lesson list` for every lesson.',
  );
}

function trackOrFail(content: Content, track: string | undefined): string | undefined {
  if (track === undefined) return undefined;
  const t = track.trim().toLowerCase();
  if (!content.trackById.has(t)) {
    throw new UserError(`There is no track "${track}".`, `Tracks: ${content.tracks.map((x) => x.id).join(', ')}`);
  }
  return t;
}

function listReply(services: Services, ws: string, userId: string, track: string | undefined): Reply {
  const { content } = services;
  const read = readLessonIds(services.db, ws, userId);
  if (!track) {
    const lines = content.tracks.map((t) => {
      const lessons = content.lessons.filter((l) => l.track === t.id);
      const done = lessons.filter((l) => read.has(l.id)).length;
      return `**${t.title}** (\`${t.id}\`) — ${lessons.length} lessons, ${done} read\n${t.description}`;
    });
    return message([text(lines.join('\n\n')), note('Open a track with `/lesson list <track>`.')], { title: 'Tracks' });
  }
  const lessons = content.lessons.filter((l) => l.track === track);
  const lines = lessons.map((l) => `${read.has(l.id) ? '✅' : '▫️'} **${l.order}. ${l.title}** — \`${l.id}\`\n   ${l.summary}`);
  return message(
    [
      text(lines.join('\n')),
      {
        kind: 'select',
        id: 'lesson:open',
        placeholder: 'Open a lesson…',
        options: lessons.slice(0, 25).map((l) => ({ label: `${l.order}. ${l.title}`.slice(0, 100), value: l.id })),
      },
      note('Or open one with `/lesson show <id>`.'),
    ],
    { title: content.trackById.get(track)!.title },
  );
}

function show(services: Services, ws: string, userId: string, lesson: Lesson, intro?: string): Reply {
  markRead(services.db, ws, userId, lesson.id, services.clock.now());
  return { kind: 'message', message: renderLessonPage(services.content, lesson, 0, intro) };
}

export default {
  name: 'lesson',
  description: "Read the channel's current lesson, move on, open one by id, or list them",
  examples: ['/lesson', '/lesson next', '/lesson show asyncio-tasks', '/lesson list asyncio'],
  defaultSubcommand: 'current',
  subcommands: [
    {
      name: 'current',
      description: "The channel's current lesson",
      async handle(_call, ctx, services) {
        const { ws } = scope(ctx, services);
        return show(services, ws, ctx.userId, currentLesson(services.db, services.content, ws, ctx.channelId));
      },
    },
    {
      name: 'next',
      description: 'Move the channel on to the next lesson',
      async handle(_call, ctx, services) {
        const { ws, now } = scope(ctx, services);
        const adv = advanceChannel(services.db, services.content, ws, ctx.channelId, now);
        const finished = adv.finishedTrack ? services.content.trackById.get(adv.finishedTrack)?.title : undefined;
        const intro = finished ? `🎉 That was the end of *${finished}*${adv.wrapped ? ' and of the course; starting over' : ''}. Next up:` : undefined;
        return show(services, ws, ctx.userId, adv.lesson, intro);
      },
    },
    {
      name: 'show',
      description: 'Open a lesson by id',
      options: [{ name: 'id', description: 'Lesson id, e.g. asyncio-tasks', type: 'string', required: true, autocomplete: 'lessons' }],
      async handle(call, ctx, services) {
        const { ws } = scope(ctx, services);
        return show(services, ws, ctx.userId, findLesson(services.content, String(call.options.id)));
      },
    },
    {
      name: 'list',
      description: 'List the tracks, or the lessons of one track',
      options: [{ name: 'track', description: 'Track id, e.g. asyncio', type: 'string', autocomplete: 'tracks' }],
      async handle(call, ctx, services) {
        const { ws } = scope(ctx, services);
        const track = trackOrFail(services.content, call.options.track as string | undefined);
        return listReply(services, ws, ctx.userId, track);
      },
    },
  ],
  components: {
    /** Page navigation replaces the lesson message in place. */
    async page(call, _ctx, services) {
      const [id = '', page = '0'] = call.args;
      const lesson = findLesson(services.content, id);
      return updateMessage(renderLessonPage(services.content, lesson, Number(page)).blocks, { title: lesson.title });
    },
    async open(call, ctx, services) {
      const { ws } = scope(ctx, services);
      return show(services, ws, ctx.userId, findLesson(services.content, call.values?.[0] ?? ''));
    },
    async quiz(call, ctx, services) {
      const { ws, now } = scope(ctx, services);
      const lesson = findLesson(services.content, call.args[0] ?? '');
      const q = pickQuestion(services.db, services.content, ws, ctx.userId, { lessonId: lesson.id, random: services.random });
      if (!q) throw new UserError('This lesson has no quiz questions yet.', 'Try `/quiz` for one from any track.');
      const post = createPost(services.db, {
        ws,
        channelId: ctx.channelId,
        questionId: q.id,
        source: 'command',
        createdBy: ctx.userId,
        now,
        openHours: services.config.quizOpenHours,
      });
      return { kind: 'message', message: renderQuestion(services.content, q, post.id, post.closesAt, now) };
    },
    /** The lesson's own flashcards, new ones within the daily allowance. */
    async cards(call, ctx, services) {
      const lesson = findLesson(services.content, call.args[0] ?? '');
      return { kind: 'message', message: nextCardMessage(ctx, services, { lessonId: lesson.id }) };
    },
    async challenge(call, _ctx, services) {
      const ch = services.content.challengeById.get(call.args[0] ?? '');
      if (!ch) throw new UserError('That challenge is no longer in the course.', 'See `/challenges` for the list.');
      return { kind: 'message', message: { ...renderChallenge(ch, services.content), private: true } };
    },
  },
} satisfies Command;

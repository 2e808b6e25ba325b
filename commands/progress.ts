import type { Command } from '../src/chat/command.js';
import type { ChatContext } from '../src/chat/context.js';
import { message, note, text } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { dueCount } from '../src/learning/flashcards.js';
import { leaderboard, pointsOf } from '../src/learning/leaderboard.js';
import { currentLesson, readLessonIds } from '../src/learning/lessons.js';
import { streakAt } from '../src/learning/streaks.js';
import { getUser } from '../src/learning/users.js';
import type { Services } from '../src/services.js';
import { solvedChallenges } from './challenges.js';

export interface ProgressSummary {
  points: { total: number; week: number };
  weekRank: number | undefined;
  streak: { current: number; longest: number; activeToday: boolean };
  dueCards: number;
  lessonsRead: number;
  lessonsTotal: number;
  solved: number;
  challengesTotal: number;
  nextLesson: { id: string; title: string };
  tracks: { title: string; read: number; total: number }[];
}

/** A learner's progress in one place: used by /progress and by Slack's App Home. */
export function progressSummary(services: Services, ctx: ChatContext): ProgressSummary {
  const { ws, now, zone, workspaceZone } = scope(ctx, services);
  const { content, db } = services;
  const read = readLessonIds(db, ws, ctx.userId);
  const user = getUser(db, ws, ctx.userId);
  const board = leaderboard(db, ws, 'week', ctx.userId, { now, workspaceZone, zoneOf: (u) => u.timezone ?? workspaceZone });
  const next = content.lessons.find((l) => !read.has(l.id)) ?? currentLesson(db, content, ws, ctx.channelId);
  return {
    points: pointsOf(db, ws, ctx.userId, now, workspaceZone),
    weekRank: board.me?.rank,
    streak: user ? streakAt(user, zone, now) : { current: 0, longest: 0, activeToday: false },
    dueCards: dueCount(db, content, ws, ctx.userId, now),
    lessonsRead: [...read].filter((id) => content.lessonById.has(id)).length,
    lessonsTotal: content.lessons.length,
    solved: [...solvedChallenges(services, ws, ctx.userId)].filter((id) => content.challengeById.has(id)).length,
    challengesTotal: content.challengeById.size,
    nextLesson: { id: next.id, title: next.title },
    tracks: content.tracks.map((t) => {
      const lessons = content.lessons.filter((l) => l.track === t.id);
      return { title: t.title, read: lessons.filter((l) => read.has(l.id)).length, total: lessons.length };
    }),
  };
}

export function bar(done: number, total: number, width = 10): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

export default {
  name: 'progress',
  description: 'Your points, rank, streak, due cards and course progress',
  async handle(_call, ctx, services) {
    const p = progressSummary(services, ctx);
    return message(
      [
        text(
          [
            `**Points:** ${p.points.total} all time · ${p.points.week} this week${p.weekRank ? ` (#${p.weekRank})` : ''}`,
            `**Streak:** ${p.streak.current} day${p.streak.current === 1 ? '' : 's'} (longest ${p.streak.longest})`,
            `**Flashcards due:** ${p.dueCards}`,
            `**Lessons read:** ${p.lessonsRead} of ${p.lessonsTotal} · **challenges solved:** ${p.solved} of ${p.challengesTotal}`,
          ].join('\n'),
        ),
        text(p.tracks.map((t) => `\`${bar(t.read, t.total)}\` ${t.title} (${t.read}/${t.total})`).join('\n')),
        note(`Up next: “${p.nextLesson.title}” — /lesson show ${p.nextLesson.id}`),
      ],
      { title: `${ctx.userName}'s progress` },
    );
  },
} satisfies Command;

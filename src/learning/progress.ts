import { and, eq, gte } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Content } from '../content/types.js';
import type { Db } from '../db/index.js';
import { activityDays } from '../db/schema.js';
import { localDay, weekStart } from '../time.js';
import { dueCount } from './flashcards.js';
import { rankOf } from './boards.js';
import { pointsOf } from './leaderboard.js';
import { passedChallenges } from './points.js';
import { currentLesson, readLessonIds } from './lessons.js';
import { masteryOf, type MasteryView } from './mastery.js';
import { streakAt } from './streaks.js';
import { getUser } from './users.js';

/** Who and when a summary is for. */
export interface LearnerAt {
  ws: string;
  userId: string;
  now: number;
  /** The learner's zone (streak days) and the workspace's (the weekly board). */
  zone: string;
  workspaceZone: string;
}

/** Challenges the learner has passed at least once (their first pass earned points). */
export function solvedChallenges(db: Db, ws: string, userId: string): Set<string> {
  return new Set(passedChallenges(db, ws, userId));
}

/**
 * The learner's last `days` local days, oldest first, with how many learning actions each had and
 * whether a streak freeze covered it (the activity heatmap of the progress and streak pictures).
 */
export function activityHeat(db: Db, who: LearnerAt, days: number): { day: string; count: number; frozen: boolean }[] {
  const today = localDay(who.now, who.zone);
  const list = Array.from(
    { length: days },
    (_, i) =>
      DateTime.fromISO(today, { zone: 'UTC' })
        .minus({ days: days - 1 - i })
        .toISODate()!,
  );
  const rows = new Map(
    db
      .select({ day: activityDays.day, actions: activityDays.actions, frozen: activityDays.frozen })
      .from(activityDays)
      .where(and(eq(activityDays.workspace, who.ws), eq(activityDays.userId, who.userId), gte(activityDays.day, list[0]!)))
      .all()
      .map((r) => [r.day, r]),
  );
  return list.map((day) => {
    const r = rows.get(day);
    return { day, count: r && !r.frozen ? r.actions : 0, frozen: Boolean(r?.frozen) };
  });
}

export interface StreakView {
  current: number;
  longest: number;
  activeToday: boolean;
  /** Freezes held: each covers one missed day. */
  freezes: number;
}

/** The learner's streak as they see it now (0 when broken). */
export function streakOf(db: Db, who: LearnerAt): StreakView {
  const user = getUser(db, who.ws, who.userId);
  return user ? streakAt(user, who.zone, who.now) : { current: 0, longest: 0, activeToday: false, freezes: 0 };
}

export interface ProgressSummary {
  points: { total: number; week: number };
  weekRank: number | undefined;
  streak: StreakView;
  dueCards: number;
  lessonsRead: number;
  lessonsTotal: number;
  solved: number;
  challengesTotal: number;
  nextLesson: { id: string; title: string };
  tracks: { id: string; title: string; read: number; total: number }[];
  /** What the learner knows, per track and lesson (src/learning/mastery.ts). */
  mastery: MasteryView;
  /** Lessons to firm up first: shaky ones, weakest first. */
  shaky: { id: string; title: string; score: number }[];
}

/** A learner's progress in one place: what /progress and Slack's App Home show. */
export function progressSummary(db: Db, content: Content, who: LearnerAt & { channelId: string }): ProgressSummary {
  const read = readLessonIds(db, who.ws, who.userId);
  const weekRank = rankOf(db, who.ws, 'week', who.userId, { weekOf: weekStart(who.now, who.workspaceZone) })?.rank;
  const next = content.lessons.find((l) => !read.has(l.id)) ?? currentLesson(db, content, who.ws, who.channelId);
  const mastery = masteryOf(db, content, who);
  const shaky = content.lessons
    .map((l) => ({ id: l.id, title: l.title, ...mastery.lessons.get(l.id)! }))
    .filter((l) => l.label === 'shaky')
    .sort((a, b) => (a.score ?? 0) - (b.score ?? 0))
    .map((l) => ({ id: l.id, title: l.title, score: l.score ?? 0 }));
  return {
    mastery,
    shaky,
    points: pointsOf(db, who.ws, who.userId, who.now, who.workspaceZone),
    weekRank,
    streak: streakOf(db, who),
    dueCards: dueCount(db, content, who.ws, who.userId, who.now),
    lessonsRead: [...read].filter((id) => content.lessonById.has(id)).length,
    lessonsTotal: content.lessons.length,
    solved: [...solvedChallenges(db, who.ws, who.userId)].filter((id) => content.challengeById.has(id)).length,
    challengesTotal: content.challengeById.size,
    nextLesson: { id: next.id, title: next.title },
    tracks: content.tracks.map((t) => {
      const lessons = content.lessons.filter((l) => l.track === t.id);
      return { id: t.id, title: t.title, read: lessons.filter((l) => read.has(l.id)).length, total: lessons.length };
    }),
  };
}

import { and, eq } from 'drizzle-orm';
import type { Content, Lesson } from '../content/types.js';
import type { Db } from '../db/index.js';
import { channels, lessonReads } from '../db/schema.js';
import { award, POINTS } from './points.js';

export type AfterTrack = 'next' | 'restart' | 'stop';

/** Where a channel stands: a lesson, as it was found today. */
interface Place {
  lesson: Lesson;
  /**
   * False when the stored lesson left the course and this one, next in order, takes its place:
   * it has not been shown yet, so it is what comes next rather than what was last.
   */
  exact: boolean;
}

function channelRow(db: Db, ws: string, channelId: string) {
  return db
    .select()
    .from(channels)
    .where(and(eq(channels.workspace, ws), eq(channels.channelId, channelId)))
    .get();
}

/**
 * The lesson a stored position names with today's content: by its id, by the id a renamed lesson
 * `replaces`, or, for a lesson removed since, the next lesson after its old place in the course.
 */
function placeOf(
  content: Content,
  row: { currentLessonId: string | null; currentTrack: string | null; currentOrder: number | null } | undefined,
): Place | undefined {
  if (!row?.currentLessonId) return undefined;
  const found = content.lessonById.get(row.currentLessonId) ?? content.lessonByFormerId.get(row.currentLessonId);
  if (found) return { lesson: found, exact: true };
  const track = row.currentTrack ? content.trackById.get(row.currentTrack) : undefined;
  if (!track || row.currentOrder === null) return { lesson: firstLesson(content), exact: false };
  const after = content.lessons.find(
    (l) => (l.track === track.id && l.order > row.currentOrder!) || (content.trackById.get(l.track)?.index ?? 0) > track.index,
  );
  return { lesson: after ?? firstLesson(content), exact: false };
}

export function firstLesson(content: Content, track?: string): Lesson {
  const lesson = (track && content.lessons.find((l) => l.track === track)) || content.lessons[0];
  if (!lesson) throw new Error('the course has no lessons');
  return lesson;
}

/**
 * The channel's current lesson: where its daily posts and `/lesson next` have got to. A channel
 * that has not started is at the first lesson of its feed's `track` (or of the course).
 */
export function currentLesson(db: Db, content: Content, ws: string, channelId: string, track?: string): Lesson {
  const place = placeOf(content, channelRow(db, ws, channelId));
  if (place && (!track || place.lesson.track === track)) return place.lesson;
  return firstLesson(content, track);
}

export interface Step {
  /** The lesson now, or undefined when a track feed set to stop has ended. */
  lesson: Lesson | undefined;
  /** The track whose last lesson came before this step. */
  completedTrack?: string;
  /** The feed moves on to this track (after `completedTrack`, with "next"). */
  switchedTo?: string;
  /** The walk went past the end of the course and starts over. */
  wrapped?: boolean;
}

/**
 * The step after `from`: the next lesson in course order, or, at the end of a track a feed is
 * set to, what `afterTrack` says (the next track, the same track again, or nothing).
 */
export function nextStep(content: Content, from: Place | undefined, opts: { track?: string | undefined; afterTrack?: AfterTrack } = {}): Step {
  const { track } = opts;
  if (!from) return { lesson: firstLesson(content, track) };
  if (!from.exact && (!track || from.lesson.track === track)) return { lesson: from.lesson };
  if (track && from.lesson.track !== track) return { lesson: firstLesson(content, track) };
  const i = content.lessons.findIndex((l) => l.id === from.lesson.id);
  const next = content.lessons[i + 1];
  if (track) {
    if (next?.track === track) return { lesson: next };
    const after = opts.afterTrack ?? 'next';
    if (after === 'stop') return { lesson: undefined, completedTrack: track };
    if (after === 'restart') return { lesson: firstLesson(content, track), completedTrack: track };
    const tracks = content.tracks;
    const following = tracks[(tracks.findIndex((t) => t.id === track) + 1) % tracks.length]!;
    return { lesson: firstLesson(content, following.id), completedTrack: track, switchedTo: following.id };
  }
  if (!next) return { lesson: firstLesson(content), completedTrack: from.lesson.track, wrapped: true };
  return next.track === from.lesson.track ? { lesson: next } : { lesson: next, completedTrack: from.lesson.track };
}

/** Records where a channel stands (the lesson, and its place, which outlives a removed lesson). */
export function setCurrentLesson(db: Db, ws: string, channelId: string, lesson: Lesson, now: number): void {
  const values = { currentLessonId: lesson.id, currentTrack: lesson.track, currentOrder: lesson.order, updatedAt: now };
  db.insert(channels)
    .values({ workspace: ws, channelId, ...values })
    .onConflictDoUpdate({ target: [channels.workspace, channels.channelId], set: values })
    .run();
}

/** The step after the channel's place, without moving it (the daily feed moves it once the post is delivered). */
export function peekNext(
  db: Db,
  content: Content,
  ws: string,
  channelId: string,
  opts: { track?: string | undefined; afterTrack?: AfterTrack },
): Step {
  return nextStep(content, placeOf(content, channelRow(db, ws, channelId)), opts);
}

/**
 * Moves the channel on (`/lesson next`) and returns the step. A channel that has not started is
 * at the first lesson of its feed's track, so the first `next` shows the second.
 */
export function advanceChannel(
  db: Db,
  content: Content,
  ws: string,
  channelId: string,
  now: number,
  opts: { track?: string | undefined; afterTrack?: AfterTrack } = {},
): Step {
  return db.transaction((tx) => {
    const place = placeOf(content, channelRow(tx, ws, channelId)) ?? { lesson: firstLesson(content, opts.track), exact: true };
    const step = nextStep(content, place, opts);
    if (step.lesson) setCurrentLesson(tx, ws, channelId, step.lesson, now);
    return step;
  });
}

/** Records that a user read a lesson; the first read of each lesson earns a little. */
export function markRead(db: Db, ws: string, userId: string, lessonId: string, now: number, workspaceZone: string): { first: boolean } {
  return db.transaction((tx) => {
    const first =
      tx.insert(lessonReads).values({ workspace: ws, userId, lessonId, firstReadAt: now, lastReadAt: now }).onConflictDoNothing().run().changes === 1;
    if (!first) {
      tx.update(lessonReads)
        .set({ lastReadAt: now })
        .where(and(eq(lessonReads.workspace, ws), eq(lessonReads.userId, userId), eq(lessonReads.lessonId, lessonId)))
        .run();
    }
    if (first) award(tx, { ws, userId, amount: POINTS.lessonRead, reason: 'lesson', ref: lessonId, now, workspaceZone });
    return { first };
  });
}

export function readLessonIds(db: Db, ws: string, userId: string): Set<string> {
  return new Set(
    db
      .select({ id: lessonReads.lessonId })
      .from(lessonReads)
      .where(and(eq(lessonReads.workspace, ws), eq(lessonReads.userId, userId)))
      .all()
      .map((r) => r.id),
  );
}

/** Lessons whose id or title matches what the user typed so far (for autocomplete and typos). */
export function searchLessons(content: Content, query: string, limit = 25): Lesson[] {
  const q = query.trim().toLowerCase();
  if (!q) return content.lessons.slice(0, limit);
  const scored = content.lessons
    .map((l) => {
      const id = l.id.toLowerCase();
      const title = l.title.toLowerCase();
      const score = id === q ? 0 : id.startsWith(q) ? 1 : id.includes(q) ? 2 : title.includes(q) ? 3 : -1;
      return { l, score };
    })
    .filter((x) => x.score >= 0)
    .sort((a, b) => a.score - b.score);
  return scored.slice(0, limit).map((x) => x.l);
}

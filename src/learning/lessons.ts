import { and, eq } from 'drizzle-orm';
import type { Content, Lesson } from '../content/types.js';
import type { Db } from '../db/index.js';
import { channels, lessonReads } from '../db/schema.js';
import { award, POINTS } from './points.js';

/**
 * The channel's current lesson: where its daily posts and `/lesson next` have got to. A channel
 * that never moved starts at the first lesson of `track` (or of the course).
 */
export function currentLesson(db: Db, content: Content, ws: string, channelId: string, track?: string): Lesson {
  const row = db
    .select()
    .from(channels)
    .where(and(eq(channels.workspace, ws), eq(channels.channelId, channelId)))
    .get();
  const stored = row?.currentLessonId ? content.lessonById.get(row.currentLessonId) : undefined;
  return stored ?? firstLesson(content, track);
}

export function firstLesson(content: Content, track?: string): Lesson {
  const lesson = (track && content.lessons.find((l) => l.track === track)) || content.lessons[0];
  if (!lesson) throw new Error('the course has no lessons');
  return lesson;
}

export interface Advance {
  lesson: Lesson;
  /** Set when the walk left `track` (finished it) or wrapped around the course. */
  finishedTrack?: string;
  wrapped?: boolean;
}

/**
 * The lesson after `from` in course order. At the end of a track the walk continues with the next
 * track (reporting the finished one); at the end of the course it starts over.
 */
export function lessonAfter(content: Content, from: Lesson): Advance {
  const i = content.lessons.findIndex((l) => l.id === from.id);
  const next = content.lessons[i + 1];
  if (!next) return { lesson: firstLesson(content), wrapped: true, finishedTrack: from.track };
  return next.track === from.track ? { lesson: next } : { lesson: next, finishedTrack: from.track };
}

export function setCurrentLesson(db: Db, ws: string, channelId: string, lessonId: string, now: number): void {
  db.insert(channels)
    .values({ workspace: ws, channelId, currentLessonId: lessonId, updatedAt: now })
    .onConflictDoUpdate({ target: [channels.workspace, channels.channelId], set: { currentLessonId: lessonId, updatedAt: now } })
    .run();
}

/** Moves the channel on to its next lesson and returns it. */
export function advanceChannel(db: Db, content: Content, ws: string, channelId: string, now: number, track?: string): Advance {
  return db.transaction((tx) => {
    const stored = tx
      .select()
      .from(channels)
      .where(and(eq(channels.workspace, ws), eq(channels.channelId, channelId)))
      .get()?.currentLessonId;
    const from = stored ? content.lessonById.get(stored) : undefined;
    // A channel that has not started (or is switching to another track) begins at the track's first
    // lesson rather than skipping it.
    const result: Advance = !from || (track && from.track !== track) ? { lesson: firstLesson(content, track) } : lessonAfter(content, from);
    setCurrentLesson(tx, ws, channelId, result.lesson.id, now);
    return result;
  });
}

/** Records that a user read a lesson; the first read of each lesson earns a little. */
export function markRead(db: Db, ws: string, userId: string, lessonId: string, now: number, workspaceZone: string): { first: boolean } {
  return db.transaction((tx) => {
    const res = tx
      .insert(lessonReads)
      .values({ workspace: ws, userId, lessonId, firstReadAt: now, lastReadAt: now })
      .onConflictDoUpdate({
        target: [lessonReads.workspace, lessonReads.userId, lessonReads.lessonId],
        set: { lastReadAt: now },
      })
      .returning({ firstReadAt: lessonReads.firstReadAt })
      .get();
    const first = res.firstReadAt === now;
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

import { randomBytes } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { flashcardSessions } from '../db/schema.js';

/**
 * Flashcard reviews as the bot opened them: a review keeps its scope through every rating, shows one
 * card at a time, and is the only thing a reveal or a rating button can act on. A button names a
 * session, a card and a review count; all three must match what the bot is showing that learner,
 * so a made-up or replayed button changes nothing.
 */

export interface Session {
  id: string;
  ws: string;
  userId: string;
  track: string | undefined;
  lessonId: string | undefined;
  /** The card on screen and the review count its buttons were made for. */
  card: { id: string; reps: number } | undefined;
  /** Cards rated Again in this session, oldest first: they come back before it ends. */
  again: string[];
}

/** Sessions untouched for this long are forgotten (their buttons then ask to start a new review). */
const KEEP_MS = 7 * 86_400_000;

function toSession(row: typeof flashcardSessions.$inferSelect): Session {
  return {
    id: row.id,
    ws: row.workspace,
    userId: row.userId,
    track: row.track ?? undefined,
    lessonId: row.lessonId ?? undefined,
    card: row.cardId ? { id: row.cardId, reps: row.cardReps } : undefined,
    again: JSON.parse(row.again) as string[],
  };
}

export function openSession(
  db: Db,
  s: { ws: string; userId: string; track?: string | undefined; lessonId?: string | undefined; now: number },
): Session {
  db.delete(flashcardSessions)
    .where(and(eq(flashcardSessions.workspace, s.ws), eq(flashcardSessions.userId, s.userId), lt(flashcardSessions.updatedAt, s.now - KEEP_MS)))
    .run();
  const row = db
    .insert(flashcardSessions)
    .values({
      id: randomBytes(6).toString('base64url'),
      workspace: s.ws,
      userId: s.userId,
      track: s.track ?? null,
      lessonId: s.lessonId ?? null,
      createdAt: s.now,
      updatedAt: s.now,
    })
    .returning()
    .get();
  return toSession(row);
}

/** The learner's own session with that id, or undefined (unknown, expired, or someone else's). */
export function sessionOf(db: Db, id: string, who: { ws: string; userId: string }): Session | undefined {
  const row = db.select().from(flashcardSessions).where(eq(flashcardSessions.id, id)).get();
  if (!row || row.workspace !== who.ws || row.userId !== who.userId) return undefined;
  return toSession(row);
}

/** True when the session is showing exactly this card at this review count. */
export function isShowing(s: Session, cardId: string, reps: number): boolean {
  return s.card?.id === cardId && s.card.reps === reps;
}

/** Records what the session shows next (undefined: nothing, the review is done for now). */
export function show(db: Db, s: Session, card: { id: string; reps: number } | undefined, now: number): Session {
  db.update(flashcardSessions)
    .set({ cardId: card?.id ?? null, cardReps: card?.reps ?? 0, updatedAt: now })
    .where(eq(flashcardSessions.id, s.id))
    .run();
  return { ...s, card };
}

/** Notes a rating: Again puts the card on the session's come-back list, anything else takes it off. */
export function noteRating(db: Db, s: Session, cardId: string, again: boolean, now: number): Session {
  const list = s.again.filter((id) => id !== cardId);
  if (again) list.push(cardId);
  db.update(flashcardSessions)
    .set({ again: JSON.stringify(list), updatedAt: now })
    .where(eq(flashcardSessions.id, s.id))
    .run();
  return { ...s, again: list };
}

import { and, eq, inArray } from 'drizzle-orm';
import { asQuestion, type DeckCard, type DeckItems, type DeckQuestion } from '../content/deck-file.js';
import type { Content, Flashcard, QuizQuestion, Track } from '../content/types.js';
import type { Db } from '../db/index.js';
import { cardStates, decks, mistakes } from '../db/schema.js';
import { missCardId } from './mistakes.js';

/**
 * A workspace's own deck (`/config import`): its questions and cards join the course as a track
 * of their own in that workspace only. Commands never see the shared course object change: each
 * call gets a view of the content for its workspace (`workspaceContent`), which is the course
 * itself where there is no deck.
 */

/**
 * Deck items are stored and served under `deck:<id>`: a colon never appears in a course id, so a
 * group's ids can never take over a course question's answers or a card's review history, now or
 * when the course grows.
 */
export const DECK_ID_PREFIX = 'deck:';
export const deckItemId = (id: string) => `${DECK_ID_PREFIX}${id}`;
export const isDeckItem = (id: string) => id.startsWith(DECK_ID_PREFIX);

export const DEFAULT_DECK_TRACK = 'group';
export const DEFAULT_DECK_TITLE = 'Our deck';

export type DeckRow = typeof decks.$inferSelect;

/** The track id a deck's name gives (lowercase words joined by dashes), or undefined when none can be made. */
export function deckTrackId(name: string): string | undefined {
  const id = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return id || undefined;
}

export function deckOf(db: Db, ws: string): DeckRow | undefined {
  return db.select().from(decks).where(eq(decks.workspace, ws)).get();
}

function itemsOf(row: DeckRow): { questions: DeckQuestion[]; cards: DeckCard[] } {
  return JSON.parse(row.items) as { questions: DeckQuestion[]; cards: DeckCard[] };
}

export interface DeckChange {
  trackId: string;
  title: string;
  questions: number;
  cards: number;
  /** The deck it replaced, if any. */
  previous?: { title: string; questions: number; cards: number };
  /** Items of the previous deck that this one keeps (by id): their answers and review state stay. */
  kept: number;
  /** Items of the previous deck that are gone, with the learners' review state of them. */
  removed: number;
}

/** Forgets learners' review state and mistakes for deck items that no longer exist. */
function forget(tx: Db, ws: string, questionIds: string[], cardIds: string[]): void {
  const cards = [...cardIds.map(deckItemId), ...questionIds.map((q) => missCardId(deckItemId(q)))];
  const questions = questionIds.map(deckItemId);
  for (let i = 0; i < cards.length; i += 500) {
    tx.delete(cardStates)
      .where(and(eq(cardStates.workspace, ws), inArray(cardStates.cardId, cards.slice(i, i + 500))))
      .run();
  }
  for (let i = 0; i < questions.length; i += 500) {
    tx.delete(mistakes)
      .where(and(eq(mistakes.workspace, ws), inArray(mistakes.questionId, questions.slice(i, i + 500))))
      .run();
  }
}

/**
 * Stores `items` as the workspace's deck, replacing the one it had, in one transaction: a file
 * either replaces the whole deck or changes nothing. Ids that stay keep learners' history.
 */
export function storeDeck(
  db: Db,
  args: { ws: string; items: DeckItems; trackId: string; title: string; fileName: string; by: string; now: number },
): DeckChange {
  return db.transaction((tx) => {
    const before = tx.select().from(decks).where(eq(decks.workspace, args.ws)).get();
    let kept = 0;
    let removed = 0;
    if (before) {
      const old = itemsOf(before);
      const questionIds = new Set(args.items.questions.map((q) => q.id));
      const cardIds = new Set(args.items.cards.map((c) => c.id));
      const goneQ = old.questions.map((q) => q.id).filter((id) => !questionIds.has(id));
      const goneC = old.cards.map((c) => c.id).filter((id) => !cardIds.has(id));
      removed = goneQ.length + goneC.length;
      kept = old.questions.length + old.cards.length - removed;
      forget(tx, args.ws, goneQ, goneC);
    }
    const row = {
      trackId: args.trackId,
      title: args.title,
      fileName: args.fileName,
      items: JSON.stringify({ questions: args.items.questions, cards: args.items.cards }),
      questions: args.items.questions.length,
      cards: args.items.cards.length,
      importedBy: args.by,
      importedAt: args.now,
      revision: (before?.revision ?? 0) + 1,
    };
    tx.insert(decks)
      .values({ workspace: args.ws, ...row })
      .onConflictDoUpdate({ target: decks.workspace, set: row })
      .run();
    return {
      trackId: args.trackId,
      title: args.title,
      questions: row.questions,
      cards: row.cards,
      ...(before && { previous: { title: before.title, questions: before.questions, cards: before.cards } }),
      kept,
      removed,
    };
  });
}

/** Removes the workspace's deck and learners' review state of its items; what was removed, or undefined. */
export function removeDeck(db: Db, ws: string): { trackId: string; title: string; questions: number; cards: number } | undefined {
  return db.transaction((tx) => {
    const row = tx.select().from(decks).where(eq(decks.workspace, ws)).get();
    if (!row) return undefined;
    const old = itemsOf(row);
    forget(
      tx,
      ws,
      old.questions.map((q) => q.id),
      old.cards.map((c) => c.id),
    );
    tx.delete(decks).where(eq(decks.workspace, ws)).run();
    return { trackId: row.trackId, title: row.title, questions: row.questions, cards: row.cards };
  });
}

// ---- the per-workspace view ---------------------------------------------------------------------

interface CachedView {
  course: Content;
  revision: number;
  view: Content;
}

const views = new WeakMap<Db, Map<string, CachedView>>();
const courses = new WeakMap<Content, Content>();

/** The course a view was made from (the course itself when `content` is no view). */
export function courseOf(content: Content): Content {
  return courses.get(content) ?? content;
}

/** The deck's track in a view, if the workspace has one. */
export function deckTrackOf(content: Content): Track | undefined {
  const course = courseOf(content);
  if (course === content) return undefined;
  return [...content.trackById.values()].find((t) => !course.trackById.has(t.id));
}

/** The tracks a learner can name in a view: the course's, then the deck's. */
export function namedTracks(content: Content): Track[] {
  const deck = deckTrackOf(content);
  return deck ? [...content.tracks, deck] : content.tracks;
}

function buildView(course: Content, row: DeckRow): Content {
  const items = itemsOf(row);
  const track: Track = {
    id: row.trackId,
    title: row.title,
    description: `${row.title}: this group's own questions and flashcards`,
    index: course.tracks.length,
  };
  const questionById = new Map<string, QuizQuestion>(course.questionById);
  for (const q of items.questions) questionById.set(deckItemId(q.id), asQuestion(q, track.id, row.fileName, 0, deckItemId(q.id)));
  const cardById = new Map<string, Flashcard>(course.cardById);
  for (const c of items.cards) {
    cardById.set(deckItemId(c.id), {
      id: deckItemId(c.id),
      track: track.id,
      lessonId: '',
      front: c.front,
      back: c.back,
      tags: c.tags,
      file: row.fileName,
      line: 0,
    });
  }
  // The deck's track is reachable by id, but `tracks` stays the course's list of lesson tracks, so
  // lesson lists, progress and mastery (which walk lessons) are unchanged.
  const trackById = new Map(course.trackById);
  trackById.set(track.id, track);
  const view: Content = { ...course, questionById, cardById, trackById };
  courses.set(view, course);
  return view;
}

/**
 * The content as `ws` sees it: the course, plus its deck when it has one. Views are kept per
 * workspace and rebuilt when the deck changes (one indexed read per call tells).
 */
export function workspaceContent(db: Db, course: Content, ws: string): Content {
  const base = courseOf(course);
  const head = db.select({ revision: decks.revision }).from(decks).where(eq(decks.workspace, ws)).get();
  let byWs = views.get(db);
  if (!head) {
    byWs?.delete(ws);
    return base;
  }
  const cached = byWs?.get(ws);
  if (cached && cached.course === base && cached.revision === head.revision) return cached.view;
  const row = deckOf(db, ws)!;
  const view = buildView(base, row);
  if (!byWs) {
    byWs = new Map();
    views.set(db, byWs);
  }
  byWs.set(ws, { course: base, revision: row.revision, view });
  return view;
}

/** `services` with the content as `ws` sees it (the same object when the workspace has no deck). */
export function withWorkspaceContent<S extends { db: Db; content: Content }>(services: S, ws: string): S {
  const content = workspaceContent(services.db, services.content, ws);
  return content === services.content ? services : { ...services, content };
}

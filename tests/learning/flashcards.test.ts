import { Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { cardStats, previewIntervals, rateCard, reviewQueue } from '../../src/learning/flashcards.js';
import { markRead } from '../../src/learning/lessons.js';
import { addUser, fixtureContent, testDb } from '../support/db.js';

const WS = 'terminal:ws1';
const T0 = Date.parse('2026-03-10T08:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

function setup(newPerDay = 2) {
  const { db } = testDb();
  const content = fixtureContent();
  addUser(db, 'ada');
  const queue = (now: number) => reviewQueue(db, content, { ws: WS, userId: 'ada', now, zone: 'UTC', newPerDay });
  const rate = (cardId: string, reps: number, rating: Rating, now: number) => {
    const outcome = rateCard(db, content, {
      ws: WS,
      userId: 'ada',
      cardId,
      expectedReps: reps,
      rating: rating as 1 | 2 | 3 | 4,
      now,
      zone: 'UTC',
      workspaceZone: 'UTC',
      newPerDay,
    });
    if (outcome.kind !== 'rated') throw new Error(`expected the rating to apply, got ${outcome.kind}`);
    return outcome;
  };
  return { db, content, queue, rate };
}

describe('flashcards', () => {
  it('schedules with FSRS: Good on a new card comes back in minutes, Easy in days', () => {
    const { db, rate } = setup();
    const preview = previewIntervals(db, { ws: WS, userId: 'ada', cardId: 'alpha-fc-print', now: T0 });
    expect(preview[Rating.Again]).toBeLessThan(preview[Rating.Good]);
    expect(preview[Rating.Easy]).toBeGreaterThan(DAY);
    const good = rate('alpha-fc-print', 0, Rating.Good, T0);
    expect(good.due - T0).toBe(preview[Rating.Good]);
    expect(good.due - T0).toBeLessThan(30 * MIN);
    expect(good.points).toBe(1);
    expect(good.streak.extended).toBe(true);
  });

  it('offers due cards first, then new cards up to the daily limit, which renews the next local day', () => {
    const { queue, rate } = setup(2);
    const first = queue(T0).next!;
    expect(first).toMatchObject({ isNew: true, reps: 0 });
    rate(first.card.id, 0, Rating.Good, T0);
    const second = queue(T0 + 1000).next!;
    expect(second.card.id).not.toBe(first.card.id);
    rate(second.card.id, 0, Rating.Easy, T0 + 1000);
    // Two new cards today: no third, and the first one is not due yet.
    expect(queue(T0 + 2000)).toMatchObject({ next: undefined, newLeftToday: 0 });
    // Minutes later the first card is due again, ahead of anything new.
    const due = queue(T0 + 20 * MIN).next!;
    expect(due).toMatchObject({ isNew: false, reps: 1 });
    expect(due.card.id).toBe(first.card.id);
    // Tomorrow the allowance is back.
    expect(queue(T0 + DAY).newLeftToday).toBe(2);
  });

  it('prefers new cards from lessons the user has read', () => {
    const { db, queue } = setup(10);
    markRead(db, WS, 'ada', 'beta-only', T0, 'UTC');
    expect(queue(T0).next!.card.id).toBe('beta-fc-sorted');
  });

  it('refuses a second rating for the same showing (double click or stale message)', () => {
    const { db, content, rate } = setup();
    const first = rate('alpha-fc-len', 0, Rating.Good, T0);
    const again = rateCard(db, content, {
      ws: WS,
      userId: 'ada',
      cardId: 'alpha-fc-len',
      expectedReps: 0,
      rating: Rating.Again,
      now: T0 + 500,
      zone: 'UTC',
      workspaceZone: 'UTC',
      newPerDay: 10,
    });
    expect(again).toEqual({ kind: 'stale' });
    // The refused click changed nothing: the card is still due when the first rating scheduled it.
    expect(reviewQueue(db, content, { ws: WS, userId: 'ada', now: first.due - 1, zone: 'UTC', newPerDay: 0 }).nextDueAt).toBe(first.due);
    expect(
      rateCard(db, content, {
        ws: WS,
        userId: 'ada',
        cardId: 'retired-card',
        expectedReps: 0,
        rating: Rating.Good,
        now: T0,
        zone: 'UTC',
        workspaceZone: 'UTC',
        newPerDay: 10,
      }),
    ).toEqual({
      kind: 'retired',
    });
  });

  it('reports stats: due now, reviewed today, new today, retention', () => {
    const { db, content, rate } = setup(5);
    rate('alpha-fc-print', 0, Rating.Good, T0);
    rate('alpha-fc-len', 0, Rating.Again, T0);
    const s = cardStats(db, content, { ws: WS, userId: 'ada', now: T0 + 15 * MIN, zone: 'UTC', newPerDay: 5, endOfDay: T0 + 16 * 3600_000 });
    expect(s).toMatchObject({ total: 2, reviewedToday: 2, newToday: 2, newPerDay: 5, unseen: content.cardById.size - 2 });
    expect(s.dueNow).toBeGreaterThanOrEqual(1);
    expect(s.retention30d).toBeUndefined(); // only first sightings so far
  });
});

import { type Card, fsrs, type State } from 'ts-fsrs';
import type { cardStates } from '../db/schema.js';

/** A learner's memory of one card as stored, and what FSRS makes of it. */
export type CardRow = typeof cardStates.$inferSelect;

/** One scheduler for everyone: default FSRS parameters, fuzz on so cards learned together spread out. */
export const scheduler = fsrs({ enable_fuzz: true });

export function toCard(row: CardRow): Card {
  return {
    due: new Date(row.due),
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state as State,
    ...(row.lastReview !== null && { last_review: new Date(row.lastReview) }),
  };
}

/** How likely the learner is to recall a card now (FSRS retrievability); 0 for a card never reviewed. */
export function retrievability(row: CardRow, now: number): number {
  if (row.reps === 0 || row.lastReview === null) return 0;
  return scheduler.get_retrievability(toCard(row), new Date(now), false);
}

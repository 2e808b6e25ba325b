import { describe, expect, it } from 'vitest';
import { blindScore, byTrack, type BlindStrategy } from '../../src/content/fairness.js';
import { loadContent } from '../../src/content/loader.js';
import type { QuizQuestion } from '../../src/content/types.js';

const STRATEGIES: BlindStrategy[] = ['longest', 'shortest', 'most-words', 'first'];

/** Twelve questions whose right answer, in a different place each time, is one character longer. */
function giveAwayBank(): QuizQuestion[] {
  return Array.from({ length: 12 }, (_, n) => ({
    id: `alpha-q-${n + 1}`,
    track: 'alpha',
    lessonId: 'alpha-first',
    difficulty: 'medium',
    question: `Question ${n + 1}?`,
    code: undefined,
    options: [0, 1, 2, 3].map((i) => ({ text: 'x'.repeat(i === n % 4 ? 21 : 20), correct: i === n % 4, why: 'Reason.' })),
    file: 'quizzes/alpha.yaml',
    line: 3 + 12 * n,
  }));
}

describe('answering the quiz bank blind', () => {
  it('pays off on a bank whose right answers are the longest, so the simulation can tell', () => {
    const bank = giveAwayBank();
    expect(blindScore(bank, 'longest')).toBe(1);
    expect(blindScore(bank, 'shortest')).toBe(0);
    expect(blindScore(bank, 'first')).toBe(0.25);
    // Every option is one word: a four-way tie, so "most words" is a guess among four.
    expect(blindScore(bank, 'most-words')).toBe(0.25);
  });

  it('does not pay off on the real bank: no blind strategy scores above 35%', () => {
    const questions = [...loadContent('content').questionById.values()];
    expect(questions.length).toBeGreaterThanOrEqual(250);
    for (const strategy of STRATEGIES) {
      expect.soft(blindScore(questions, strategy), `always the ${strategy} option, whole bank`).toBeLessThanOrEqual(0.35);
      for (const [track, qs] of byTrack(questions)) {
        expect.soft(blindScore(qs, strategy), `always the ${strategy} option, track ${track}`).toBeLessThanOrEqual(0.4);
      }
    }
  });
});

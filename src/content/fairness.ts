/**
 * Checks that a track's quiz questions do not give their answers away by form: a learner who has
 * not read the lesson should not be able to score by picking the longest option, or the option in
 * the usual place. The bot shuffles options per post, but a bank whose right answers are visibly
 * longer stays guessable whatever the order, and an A-heavy source file is a sign of the same habit.
 */
import type { ContentProblem } from './problems.js';
import type { Difficulty, QuizQuestion } from './types.js';

/** At most this share of a track's questions may have the correct option as the (joint) longest. */
export const MAX_LONGEST_SHARE = 0.4;
/**
 * "Markedly longer": the correct option's length over the mean length of the other options of its
 * question, averaged over the track, may not exceed this. Writers tend to make the right answer the
 * most careful, and so the longest, sentence; a track whose right answers run more than 15% longer
 * on average has that habit.
 */
export const MAX_MEAN_LENGTH_RATIO = 1.15;
/** At most this share of a track's questions may have the correct option in the same source position. */
export const MAX_SAME_POSITION_SHARE = 0.4;
/**
 * Below this many questions a track's shares are noise (one question moves them by 10 points or
 * more), so the checks are not applied: small tracks such as test fixtures pass.
 */
export const MIN_QUESTIONS_FOR_SHARES = 10;

const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];

export interface TrackFairness {
  track: string;
  questions: number;
  /** Questions whose correct option is no shorter than any other option (ties count). */
  correctLongest: QuizQuestion[];
  /** Mean over the questions of `lengthRatio`. */
  meanLengthRatio: number;
  /** How many questions have their correct option at each source position (index 0 = first). */
  positions: number[];
  difficulties: Record<Difficulty, number>;
}

/** The length a reader sees: the option's text, with surrounding whitespace ignored. */
export const optionLength = (text: string): number => text.trim().length;

/** Words in an option; a `code` span counts like any other word. */
export const optionWords = (text: string): number => text.trim().split(/\s+/).filter(Boolean).length;

export const correctIndex = (q: QuizQuestion): number => q.options.findIndex((o) => o.correct);

/** The correct option's length over the mean length of the question's other options. */
export function lengthRatio(q: QuizQuestion): number {
  const c = correctIndex(q);
  const others = q.options.filter((_, i) => i !== c).map((o) => optionLength(o.text));
  const meanOthers = others.reduce((a, b) => a + b, 0) / Math.max(others.length, 1);
  return optionLength(q.options[c]!.text) / Math.max(meanOthers, 1);
}

function isCorrectLongest(q: QuizQuestion): boolean {
  const longest = Math.max(...q.options.map((o) => optionLength(o.text)));
  return optionLength(q.options[correctIndex(q)]!.text) === longest;
}

export function trackFairness(track: string, questions: QuizQuestion[]): TrackFairness {
  const maxOptions = Math.max(0, ...questions.map((q) => q.options.length));
  const positions = Array.from({ length: maxOptions }, () => 0);
  const difficulties: Record<Difficulty, number> = { easy: 0, medium: 0, hard: 0 };
  for (const q of questions) {
    positions[correctIndex(q)]!++;
    difficulties[q.difficulty]++;
  }
  return {
    track,
    questions: questions.length,
    correctLongest: questions.filter(isCorrectLongest),
    meanLengthRatio: questions.length ? questions.reduce((sum, q) => sum + lengthRatio(q), 0) / questions.length : 0,
    positions,
    difficulties,
  };
}

/** Groups questions by track, in the order their tracks first appear. */
export function byTrack(questions: Iterable<QuizQuestion>): Map<string, QuizQuestion[]> {
  const out = new Map<string, QuizQuestion[]>();
  for (const q of questions) {
    const list = out.get(q.track);
    if (list) list.push(q);
    else out.set(q.track, [q]);
  }
  return out;
}

const pct = (n: number) => `${Math.round(n * 100)}%`;
const letter = (i: number) => String.fromCharCode(65 + i);

/**
 * The problems with a bank's form, one per failed check and track. Each names the track's quiz
 * file, the line of the first question concerned and the ids of the questions that cause it.
 */
export function fairnessProblems(questions: Iterable<QuizQuestion>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const [track, qs] of byTrack(questions)) {
    if (qs.length < MIN_QUESTIONS_FOR_SHARES) continue;
    const f = trackFairness(track, qs);
    const report = (q: QuizQuestion, field: string, message: string) =>
      problems.push({ file: q.file, line: q.line, field, message: `track "${track}": ${message}` });

    const longestShare = f.correctLongest.length / f.questions;
    if (longestShare > MAX_LONGEST_SHARE) {
      report(
        f.correctLongest[0]!,
        'options',
        `the correct option is the longest in ${f.correctLongest.length} of ${f.questions} questions ` +
          `(${pct(longestShare)}, at most ${pct(MAX_LONGEST_SHARE)}); trim the right answers or give the wrong ones more detail in some of: ` +
          f.correctLongest.map((q) => q.id).join(', '),
      );
    }

    if (f.meanLengthRatio > MAX_MEAN_LENGTH_RATIO) {
      const worst = [...qs].sort((a, b) => lengthRatio(b) - lengthRatio(a)).slice(0, 5);
      report(
        worst[0]!,
        'options',
        `correct options are on average ${f.meanLengthRatio.toFixed(2)} times as long as the others of their question ` +
          `(at most ${MAX_MEAN_LENGTH_RATIO}); the most lopsided: ${worst.map((q) => `${q.id} (${lengthRatio(q).toFixed(1)}×)`).join(', ')}`,
      );
    }

    const top = f.positions.indexOf(Math.max(...f.positions));
    const topShare = f.positions[top]! / f.questions;
    if (topShare > MAX_SAME_POSITION_SHARE) {
      const there = qs.filter((q) => correctIndex(q) === top);
      report(
        there[0]!,
        'options',
        `the correct option is option ${letter(top)} in ${there.length} of ${f.questions} questions ` +
          `(${pct(topShare)}, at most ${pct(MAX_SAME_POSITION_SHARE)}); move the right answer elsewhere in some of: ` +
          there.map((q) => q.id).join(', '),
      );
    }

    const missing = DIFFICULTIES.filter((d) => f.difficulties[d] === 0);
    if (missing.length) {
      report(qs[0]!, 'difficulty', `no ${missing.join(' or ')} questions; every track needs easy, medium and hard ones`);
    }
  }
  return problems;
}

export type BlindStrategy = 'longest' | 'shortest' | 'most-words' | 'first';

/**
 * The expected share of right answers when every question is answered blind with `strategy`.
 * When several options tie for the pick, the guesser is taken to choose among them at random, so
 * a right answer among k tied options counts 1/k.
 */
export function blindScore(questions: QuizQuestion[], strategy: BlindStrategy): number {
  if (!questions.length) return 0;
  const measure: Record<BlindStrategy, (text: string, index: number) => number> = {
    longest: (t) => optionLength(t),
    shortest: (t) => -optionLength(t),
    'most-words': (t) => optionWords(t),
    first: (_, i) => -i,
  };
  let score = 0;
  for (const q of questions) {
    const values = q.options.map((o, i) => measure[strategy](o.text, i));
    const best = Math.max(...values);
    const picked = q.options.filter((_, i) => values[i] === best);
    if (picked.some((o) => o.correct)) score += 1 / picked.length;
  }
  return score / questions.length;
}

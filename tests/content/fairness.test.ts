import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { byTrack, fairnessProblems, trackFairness } from '../../src/content/fairness.js';
import { checkContent, formatProblem, loadContent } from '../../src/content/loader.js';
import type { Difficulty } from '../../src/content/types.js';
import { FIXTURE_CONTENT } from '../support/app.js';

/** One generated question: where its right answer sits and how long each option is. */
interface Spec {
  correct: number;
  lengths: number[];
  difficulty?: Difficulty;
}

const LEVELS: Difficulty[] = ['easy', 'medium', 'hard'];
const letters = 'abcde';

/**
 * A quiz file for track "alpha" whose options have exactly the given lengths. Every question and
 * option uses words of its own, so the near-duplicate check has nothing to say about them.
 */
function quizYaml(specs: Spec[]): string {
  const lines = ['track: alpha', 'questions:'];
  specs.forEach((s, n) => {
    lines.push(`  - id: alpha-q-f${n + 1}`);
    lines.push(`    difficulty: ${s.difficulty ?? LEVELS[n % 3]}`);
    lines.push(`    question: Case q${n}a q${n}b q${n}c q${n}d?`);
    lines.push('    options:');
    s.lengths.forEach((len, i) => {
      const head = `o${n}${letters[i]}`;
      lines.push(`      - text: ${head}${'x'.repeat(len - head.length)}`);
      if (i === s.correct) lines.push('        correct: true');
      lines.push(`        why: Reason ${n}${letters[i]}.`);
    });
  });
  return `${lines.join('\n')}\n`;
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The fixture content with track alpha's questions replaced by `specs`; returns its problems. */
function bankWith(specs: Spec[]): string[] {
  dir = mkdtempSync(path.join(tmpdir(), 'fairness-'));
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  writeFileSync(path.join(dir, 'quizzes/alpha.yaml'), quizYaml(specs));
  const ids = specs.map((_, n) => `alpha-q-f${n + 1}`).join(', ');
  const relink = (file: string, list: string) => {
    const p = path.join(dir!, file);
    writeFileSync(p, readFileSync(p, 'utf8').replace(/^quiz: \[.*\]$/m, `quiz: [${list}]`));
  };
  relink('lessons/alpha/01-first.md', '');
  relink('lessons/alpha/02-second.md', ids);
  return checkContent(dir)
    .problems.map(formatProblem)
    .map((l) => l.replaceAll(`${path.basename(dir!)}/`, ''));
}

/** `n` questions with the right answer cycling through the four places. */
function cycling(n: number, lengths: (i: number) => { correct: number; others: number }): Spec[] {
  return Array.from({ length: n }, (_, i) => {
    const { correct, others } = lengths(i);
    const place = i % 4;
    return { correct: place, lengths: [0, 1, 2, 3].map((k) => (k === place ? correct : others)) };
  });
}

describe('quiz fairness checks', () => {
  it('pass a bank whose right answers are neither longer nor in one place', () => {
    // Right answer 20 characters, the others 18, 20 and 22: never the longest, ratio 1.0.
    const specs = Array.from({ length: 12 }, (_, i): Spec => {
      const place = i % 4;
      const others = [18, 20, 22];
      return { correct: place, lengths: [0, 1, 2, 3].map((k) => (k === place ? 20 : others.shift()!)) };
    });
    expect(bankWith(specs)).toEqual([]);
  });

  it('fail when the right answer is the longest option in more than 40% of a track', () => {
    // One character longer each time: the average ratio stays at 1.05, the places are spread.
    const problems = bankWith(cycling(12, () => ({ correct: 21, others: 20 })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^quizzes\/alpha\.yaml:3: options: track "alpha": the correct option is the longest in 12 of 12 questions \(100%, at most 40%\); .*: alpha-q-f1, alpha-q-f2, .*alpha-q-f12$/,
    );
  });

  it('let a track have its right answer longest in exactly 40% of its questions', () => {
    // 4 of 10 longest (by one character); in the other 6 the right answer is one character shorter.
    const specs = cycling(10, (i) => (i < 4 ? { correct: 21, others: 20 } : { correct: 19, others: 20 }));
    expect(bankWith(specs)).toEqual([]);
  });

  it('fail when right answers are markedly longer on average, even if seldom the longest', () => {
    // 4 of 12 right answers are three times as long; the other 8 are a little shorter than the rest.
    const specs = cycling(12, (i) => (i < 4 ? { correct: 60, others: 20 } : { correct: 20, others: 22 }));
    const problems = bankWith(specs);
    expect(problems).toHaveLength(1);
    // The line is the most lopsided question's (the first one, three lines in).
    expect(problems[0]).toMatch(
      /^quizzes\/alpha\.yaml:3: options: track "alpha": correct options are on average 1\.61 times as long as the others of their question \(at most 1\.15\); the most lopsided: alpha-q-f1 \(3\.0×\)/,
    );
  });

  it('fail when one source position holds the right answer in more than 40% of a track', () => {
    // Right answer always first and never the longest.
    const specs = Array.from({ length: 12 }, (): Spec => ({ correct: 0, lengths: [20, 22, 22, 22] }));
    const problems = bankWith(specs);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^quizzes\/alpha\.yaml:3: options: track "alpha": the correct option is option A in 12 of 12 questions \(100%, at most 40%\); move the right answer elsewhere in some of: alpha-q-f1, .*alpha-q-f12$/,
    );
  });

  it('fail when a track lacks one of the difficulty levels', () => {
    const specs = cycling(12, () => ({ correct: 20, others: 22 })).map((s, i): Spec => ({ ...s, difficulty: i % 2 ? 'easy' : 'medium' }));
    expect(bankWith(specs)).toEqual([
      'quizzes/alpha.yaml:3: difficulty: track "alpha": no hard questions; every track needs easy, medium and hard ones',
    ]);
  });

  it('report every give-away of a bank written the old way, and `content:check` exits non-zero on them', () => {
    // Right answer always A and a third longer: what the bank looked like before its rewrite.
    const problems = bankWith(Array.from({ length: 12 }, (): Spec => ({ correct: 0, lengths: [40, 30, 30, 30] })));
    expect(problems.map((p) => p.replace(/;.*/, ''))).toEqual([
      'quizzes/alpha.yaml:3: options: track "alpha": the correct option is the longest in 12 of 12 questions (100%, at most 40%)',
      'quizzes/alpha.yaml:3: options: track "alpha": correct options are on average 1.33 times as long as the others of their question (at most 1.15)',
      'quizzes/alpha.yaml:3: options: track "alpha": the correct option is option A in 12 of 12 questions (100%, at most 40%)',
    ]);
    let out = '';
    let code = 0;
    try {
      execFileSync('npx', ['tsx', 'src/cli.ts', 'content:check', dir!], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string };
      code = err.status;
      out = err.stdout;
    }
    expect(code).toBe(1);
    expect(out).toContain('quizzes/alpha.yaml:3: options: track "alpha": the correct option is option A in 12 of 12 questions');
    expect(out).toMatch(/✗ 3 problems/);
  });

  it('leave tracks with fewer than 10 questions alone, as their shares are noise', () => {
    expect(bankWith(Array.from({ length: 9 }, (): Spec => ({ correct: 0, lengths: [40, 30, 30, 30] })))).toEqual([]);
  });

  it('pass the real bank, track by track', () => {
    const content = loadContent('content');
    expect(fairnessProblems(content.questionById.values())).toEqual([]);
    for (const [track, qs] of byTrack(content.questionById.values())) {
      const f = trackFairness(track, qs);
      expect.soft(f.correctLongest.length / f.questions, `${track}: share where the right answer is longest`).toBeLessThanOrEqual(0.4);
      expect.soft(f.meanLengthRatio, `${track}: mean length ratio`).toBeLessThanOrEqual(1.15);
      expect.soft(Math.max(...f.positions) / f.questions, `${track}: share in the most common place`).toBeLessThanOrEqual(0.4);
      for (const level of LEVELS) expect.soft(f.difficulties[level], `${track}: ${level} questions`).toBeGreaterThan(0);
    }
  });
});

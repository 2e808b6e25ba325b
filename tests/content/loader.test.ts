import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent, ContentError, formatProblem, loadContent } from '../../src/content/loader.js';
import { FIXTURE_CONTENT } from '../support/app.js';

let dir: string;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture content with one file changed by `edit`. */
function broken(file: string, edit: (text: string) => string): string[] {
  dir = mkdtempSync(path.join(tmpdir(), 'content-'));
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  const p = path.join(dir, file);
  writeFileSync(p, edit(readFileSync(p, 'utf8')));
  return checkContent(dir)
    .problems.map(formatProblem)
    .map((l) => l.replaceAll(`${path.basename(dir)}/`, ''));
}

describe('content loader', () => {
  it('loads the fixture content in course order with back-links', () => {
    const c = loadContent(FIXTURE_CONTENT);
    expect(c.lessons.map((l) => l.id)).toEqual(['alpha-first', 'alpha-second', 'beta-only']);
    expect(c.questionById.get('alpha-q-sum')!.lessonId).toBe('alpha-second');
    expect(c.challengeById.get('add-two')).toMatchObject({ lessonId: 'alpha-first', points: 20, timeLimitSeconds: 5 });
    expect(c.lessons[0]!.examples).toEqual([{ code: 'print(1 + 1)', output: '2', line: 21 }]);
    expect(c.lessons[0]!.body).not.toContain('python run');
  });

  it('names the file, line and field of a missing field', () => {
    const problems = broken('quizzes/alpha.yaml', (t) => t.replace('        why: Three characters.\n', ''));
    expect(problems).toEqual(['quizzes/alpha.yaml:18: questions[1].options[0].why: missing: expected a "why" explaining this option (text)']);
  });

  it('reports unknown fields (typos) at their line', () => {
    const problems = broken('lessons/alpha/02-second.md', (t) => t.replace('summary:', 'sumary:'));
    expect(problems).toContain('lessons/alpha/02-second.md:6: sumary: unknown field (check the spelling against content/README.md)');
    expect(problems).toContain('lessons/alpha/02-second.md:2: summary: missing: expected a summary (text)');
  });

  it('reports a question without exactly one correct option', () => {
    const problems = broken('quizzes/beta.yaml', (t) => t.replace('        correct: true\n', ''));
    expect(problems).toEqual(['quizzes/beta.yaml:6: questions[0].options: exactly one option must have "correct: true" (found 0)']);
  });

  it('reports references to missing items, and items no lesson links', () => {
    const problems = broken('lessons/alpha/02-second.md', (t) => t.replace('quiz: [alpha-q-sum]', 'quiz: [alpha-q-summ]'));
    expect(problems).toEqual([
      'lessons/alpha/02-second.md:9: quiz[0]: no quiz question has id "alpha-q-summ"',
      'quizzes/alpha.yaml:27: id: quiz question "alpha-q-sum" is not listed in any lesson\'s quiz: list',
    ]);
  });

  it('reports duplicate ids with where the first one is', () => {
    const problems = broken('flashcards/beta.yaml', (t) => t.replace('id: beta-fc-sorted', 'id: alpha-fc-len'));
    expect(problems).toContain(
      'flashcards/beta.yaml:3: cards[0].id: duplicate flashcard id "alpha-fc-len" (first defined at flashcards/alpha.yaml:6)',
    );
  });

  it('reports near-duplicate flashcards and questions', () => {
    const problems = broken('flashcards/beta.yaml', (t) =>
      t
        .replace('front: sorted vs list.sort?', 'front: "What does len measure, exactly?"')
        .replace('back: sorted returns a new list; list.sort sorts in place and returns None.', 'back: The number of items in a container object.'),
    );
    expect(problems).toEqual([
      'flashcards/beta.yaml:3: front: "beta-fc-sorted" nearly repeats "alpha-fc-len" (flashcards/alpha.yaml:6); merge them or make them differ',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = broken('flashcards/alpha.yaml', (t) => t.replace('back: None.', 'back: [None.'));
    // The flow sequence opened on line 5 is found unterminated on line 6.
    expect(problems[0]).toMatch(/^flashcards\/alpha\.yaml:6: YAML syntax: /);
  });

  it('reports a runnable example without an output block', () => {
    const problems = broken('lessons/beta/01-only.md', (t) => t.replace('```output\n[1, 2, 3]\n```', 'Prints the list.'));
    expect(problems).toEqual([
      'lessons/beta/01-only.md:18: body: a `python run` example must be followed by an ```output block holding what it prints',
    ]);
  });

  it('reports bad ids, tracks and challenge cases', () => {
    expect(broken('lessons/beta/01-only.md', (t) => t.replace('id: beta-only', 'id: Beta_Only'))).toContain(
      'lessons/beta/01-only.md:2: id: expected an id of lowercase letters, digits and single dashes, e.g. "asyncio-tasks"',
    );
    expect(broken('challenges/add-two/challenge.yaml', (t) => t.replace('call: add(1, 2)', 'stdin: "1 2"'))).toEqual([
      'challenges/add-two/challenge.yaml:8: cases.visible[0].call: a "call" case needs exactly one of call or script',
    ]);
    expect(broken('quizzes/beta.yaml', (t) => t.replace('track: beta', 'track: gamma'))).toContain(
      'quizzes/beta.yaml:1: track: unknown track "gamma" (tracks.yaml lists alpha, beta)',
    );
  });

  it('refuses to start with broken content, listing every problem', () => {
    broken('quizzes/beta.yaml', (t) => t.replace('        correct: true\n', ''));
    expect(() => loadContent(dir)).toThrow(ContentError);
    expect(() => loadContent(dir)).toThrow(/1 problem in the study content:\n.*quizzes\/beta\.yaml:6/);
  });

  it('`npm run content:check` exits non-zero and prints the problems', () => {
    broken('quizzes/beta.yaml', (t) => t.replace('        correct: true\n', ''));
    let out = '';
    let code = 0;
    try {
      execFileSync('npx', ['tsx', 'src/cli.ts', 'content:check', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string };
      code = err.status;
      out = err.stdout;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/quizzes\/beta\.yaml:6: questions\[0\]\.options: exactly one option/);
    expect(out).toMatch(/✗ 1 problem/);
  });
});

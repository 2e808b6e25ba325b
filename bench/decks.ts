/**
 * Deck import benchmark (npm run bench:decks): what `/config import` costs at the size cap.
 *
 * With the real course and a fresh SQLite file, for a deck of 2,000 items (1,000 questions and
 * 1,000 cards) as YAML and as CSV: the time to check the file (parse and validate), to store it
 * (replacing a deck of the same ids, so kept ids are worked out), the first look-up of the
 * workspace's content after an import (the view is rebuilt), and the look-up every later call pays
 * (one indexed read, the view reused); then the same look-up for a workspace without a deck.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadContent } from '../src/content/loader.js';
import { parseDeck } from '../src/content/deck-file.js';
import { openDatabase } from '../src/db/index.js';
import { storeDeck, workspaceContent } from '../src/learning/decks.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = 1000;

function yamlDeck(): string {
  const lines = ['questions:'];
  for (let i = 0; i < N; i++) {
    lines.push(
      `  - id: q-${i}`,
      `    difficulty: ${['easy', 'medium', 'hard'][i % 3]}`,
      `    question: Which of these is the answer to question number ${i} of the group's deck?`,
      '    options:',
      ...[0, 1, 2, 3].flatMap((o) => [
        `      - text: Option ${o} of question ${i}, worded as plainly as the others`,
        ...(o === i % 4 ? ['        correct: true'] : []),
        `        why: Why option ${o} is ${o === i % 4 ? 'right' : 'wrong'} for question ${i}.`,
      ]),
    );
  }
  lines.push('flashcards:');
  for (let i = 0; i < N; i++)
    lines.push(`  - id: c-${i}`, `    front: Front of card ${i}?`, `    back: The back of card ${i}, a sentence long.`, '    tags: [bench]');
  return `${lines.join('\n')}\n`;
}

function csvDeck(): string {
  const rows = ['type,id,difficulty,question,option1,why1,option2,why2,option3,why3,option4,why4,correct,front,back,tags'];
  for (let i = 0; i < N; i++) {
    const opts = [0, 1, 2, 3].flatMap((o) => [
      `"Option ${o} of question ${i}, worded as plainly as the others"`,
      `Why option ${o} is judged for question ${i}.`,
    ]);
    rows.push(
      `question,q-${i},${['easy', 'medium', 'hard'][i % 3]},Which of these is the answer to question number ${i}?,${opts.join(',')},${(i % 4) + 1},,,`,
    );
  }
  for (let i = 0; i < N; i++) rows.push(`card,c-${i},,,,,,,,,,,,Front of card ${i}?,"The back of card ${i}, a sentence long.",bench`);
  return `${rows.join('\n')}\n`;
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
}

function median(f: () => unknown, n: number): number {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(time(f).ms);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(n / 2)]!;
}

const dir = mkdtempSync(path.join(tmpdir(), 'studybot-bench-decks-'));
try {
  const course = loadContent(path.join(root, 'content'));
  const db = openDatabase(path.join(dir, 'bench.db')).db;
  console.log(`course: ${course.questionById.size} questions, ${course.cardById.size} cards`);
  for (const [name, text] of [
    ['deck.yaml', yamlDeck()],
    ['deck.csv', csvDeck()],
  ] as const) {
    const data = Buffer.from(text);
    const parsed = time(() => parseDeck(name, data));
    if (!parsed.value.ok) throw new Error(`the bench deck does not parse: ${JSON.stringify(parsed.value.problems.slice(0, 3))}`);
    const items = parsed.value.items;
    const ws = `bench:${name}`;
    const stored = time(() => storeDeck(db, { ws, items, trackId: 'group', title: 'Bench deck', fileName: name, by: 'bench', now: Date.now() }));
    const replaced = time(() => storeDeck(db, { ws, items, trackId: 'group', title: 'Bench deck', fileName: name, by: 'bench', now: Date.now() }));
    const first = time(() => workspaceContent(db, course, ws));
    const again = median(() => workspaceContent(db, course, ws), 2000);
    console.log(
      `${name}: ${(data.length / 1000).toFixed(0)} KB, ${items.questions.length} questions + ${items.cards.length} cards · ` +
        `check ${parsed.ms.toFixed(0)} ms · store ${stored.ms.toFixed(1)} ms · replace ${replaced.ms.toFixed(1)} ms · ` +
        `first view ${first.ms.toFixed(2)} ms · later calls ${(again * 1000).toFixed(1)} µs (median of 2000)`,
    );
  }
  const none = median(() => workspaceContent(db, course, 'bench:no-deck'), 2000);
  console.log(`a workspace without a deck: ${(none * 1000).toFixed(1)} µs per call (median of 2000)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

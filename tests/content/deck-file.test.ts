import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DECK_MAX_ITEMS, parseDeck } from '../../src/content/deck-file.js';
import { formatProblem } from '../../src/content/problems.js';

/** Deck files as `/config import` reads them: the documented examples, and every way a file goes wrong. */

const guide = readFileSync(fileURLToPath(new URL('../../content/README.md', import.meta.url)), 'utf8');
const section = guide.slice(guide.indexOf("## A group's own deck"), guide.indexOf('## Challenges'));
const example = (lang: string) => {
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!m) throw new Error(`no ${lang} example in content/README.md`);
  return Buffer.from(m[1]!);
};
const problems = (name: string, body: string) => {
  const r = parseDeck(name, Buffer.from(body));
  return r.ok ? [] : r.problems.map(formatProblem);
};

const HEADER = 'type,id,difficulty,question,option1,why1,option2,why2,correct,front,back,tags';

describe('deck files', () => {
  it('reads the YAML and CSV examples of content/README.md as the same question and card', () => {
    const yaml = parseDeck('club.yaml', example('yaml'));
    const csv = parseDeck('club.csv', example('csv'));
    if (!yaml.ok || !csv.ok) throw new Error(JSON.stringify([yaml, csv]));
    expect(yaml.items.title).toBe('Django club');
    for (const d of [yaml, csv]) {
      expect(d.items.questions.map((q) => [q.id, q.difficulty, q.options.findIndex((o) => o.correct)])).toEqual([['orm-lazy', 'medium', 0]]);
      expect(d.items.cards.map((c) => c.id)).toEqual(['fc-f-expression']);
    }
    expect(csv.items.questions[0]!.options[0]!.text).toBe('When it is first evaluated, for example iterated');
    expect(csv.items.cards[0]!.tags).toEqual(['orm', 'expressions']);
  });

  it('reads quoted CSV fields with commas, doubled quotes and line breaks, and counts lines across them', () => {
    const body = [
      HEADER,
      'card,multi,,,,,,,,"Front with a ""quote"", a comma',
      'and a second line",Back,',
      'question,after,easy,Which line am I on?,four,Right.,three,,B,,,',
    ].join('\r\n');
    const r = parseDeck('q.csv', Buffer.from(body));
    expect(r.ok).toBe(false);
    // The record after a two-line field starts on line 4, and its option2 has no why.
    expect(problems('q.csv', body)).toEqual(['q.csv:4: why2: a "why" explaining this option must not be empty']);
    const fixed = parseDeck('q.csv', Buffer.from(body.replace('three,,B', 'three,Wrong.,A')));
    if (!fixed.ok) throw new Error('expected the fixed file to parse');
    expect(fixed.items.cards[0]!.front).toBe('Front with a "quote", a comma\r\nand a second line');
    expect(fixed.lines).toEqual({ questions: [4], cards: [2] });
  });

  it('names the file, line and field (or column) of every problem', () => {
    expect(problems('d.csv', `${HEADER},colour\n`)).toEqual([
      'd.csv:1: colour: unknown column; the columns are: type, id, difficulty, question, code, option1, why1, option2, why2, option3, why3, option4, why4, option5, why5, correct, front, back, tags',
    ]);
    expect(problems('d.csv', 'id,front,back\ncard-1,a,b\n')).toEqual(['d.csv:1: type: missing column']);
    expect(problems('d.csv', `${HEADER}\nflashcard,x,,,,,,,,a,b,\ncard,Bad Id,,,,,,,,a,b,\ncard,ok,,,,,,,1,a,b,\n`)).toEqual([
      'd.csv:2: type: expected "question" or "card", not "flashcard"',
      'd.csv:3: id: expected an id of lowercase letters, digits and single dashes, e.g. "asyncio-tasks"',
      'd.csv:4: correct: a question column on a card row: leave it empty',
    ]);
    expect(problems('d.csv', `${HEADER}\ncard,x,,,,,,,,"never closed\n`)).toEqual(['d.csv:2: CSV syntax: a quoted field is never closed']);
    expect(problems('d.csv', `${HEADER}\n`)).toEqual(['d.csv:1: the file holds no questions and no flashcards']);
    expect(problems('d.yaml', 'flashcards:\n  - id: a\n    front: A\n    back: B\n    colour: red\n  - id: a\n    front: C\n    back: D\n')).toEqual([
      'd.yaml:5: flashcards[0].colour: unknown field (check the spelling against content/README.md)',
    ]);
    expect(problems('d.yaml', 'flashcards:\n  - id: a\n    front: A\n    back: B\n  - id: a\n    front: C\n    back: D\n')).toEqual([
      'd.yaml:5: flashcards[1].id: the card id "a" is used twice (first on line 2)',
    ]);
    expect(problems('d.yaml', 'questions: [\n')[0]).toMatch(/^d\.yaml:\d+: YAML syntax: /);
    expect(problems('d.txt', 'x')).toEqual(['d.txt:1: a deck is a .yaml, .yml or .csv file']);
    expect(problems('d.yaml', '\uFFFDnot text')).toEqual(['d.yaml:1: the file is not UTF-8 text']);
  });

  it(`refuses more than ${DECK_MAX_ITEMS} items and more than 1 MB`, () => {
    const rows = Array.from({ length: DECK_MAX_ITEMS + 1 }, (_, i) => `card,c${i},,,,,,,,front ${i},back ${i},`);
    expect(problems('many.csv', [HEADER, ...rows].join('\n'))).toEqual([
      `many.csv:1: the file holds ${DECK_MAX_ITEMS + 1} items; a deck holds at most ${DECK_MAX_ITEMS} questions and cards`,
    ]);
    expect(parseDeck('many.csv', Buffer.from([HEADER, ...rows.slice(1)].join('\n'))).ok).toBe(true);
    expect(problems('big.yaml', `# ${'x'.repeat(1_000_001)}`)).toEqual(['big.yaml:1: the file is 1001 KB; a deck file is at most 1000 KB']);
  });

  it('warns, without refusing, when the right answers of a sizeable deck give themselves away', () => {
    const q = (i: number) =>
      `question,q${i},${['easy', 'medium', 'hard'][i % 3]},Question ${i}?,The right answer that is clearly the longest of them,Right.,short,Wrong.,1,,,`;
    const r = parseDeck('lopsided.csv', Buffer.from([HEADER, ...Array.from({ length: 12 }, (_, i) => q(i))].join('\n')));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.warnings.map(formatProblem).join('\n')).toMatch(
      /lopsided\.csv:2: options: track "deck": the correct option is the longest in 12 of 12 questions/,
    );
  });
});

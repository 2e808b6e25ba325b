import { z } from 'zod';
import { fairnessProblems } from './fairness.js';
import type { ContentProblem } from './problems.js';
import { markdownWarnings } from './rendering.js';
import { flashcardFile, quizFile } from './schema.js';
import type { Difficulty, QuizQuestion } from './types.js';
import { YamlSource } from './yaml-source.js';

/**
 * A group's own deck: quiz questions and flashcards an admin imports for one workspace, as YAML
 * (the shape of content/quizzes and content/flashcards, both in one file) or CSV (one row per
 * item). Each item is checked with the same schemas as the course's own, and every problem names
 * the file, the line and the field (for CSV, the column). content/README.md documents both formats.
 */

/** A file larger than this is refused before it is read (and before it is downloaded). */
export const DECK_MAX_BYTES = 1_000_000;
/** Questions and cards together. */
export const DECK_MAX_ITEMS = 2000;

const questionSchema = quizFile.shape.questions.element;
const cardSchema = flashcardFile.shape.cards.element;

export type DeckQuestion = z.output<typeof questionSchema>;
export type DeckCard = z.output<typeof cardSchema>;

/** What a valid file holds, with the ids as the file gives them. */
export interface DeckItems {
  title?: string | undefined;
  questions: DeckQuestion[];
  cards: DeckCard[];
}

export type DeckParse =
  | {
      ok: true;
      items: DeckItems;
      /** Right answers that stand out by their form (reported, not refused). */
      warnings: ContentProblem[];
      /** Markdown that will not read well on Discord, Slack or in the terminal, as content:check reports for the course. */
      rendering: ContentProblem[];
      lines: { questions: number[]; cards: number[] };
    }
  | { ok: false; problems: ContentProblem[] };

export type DeckFormat = 'yaml' | 'csv';

export function deckFormat(fileName: string): DeckFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

const yamlDeck = z
  .strictObject({
    title: z.string().trim().min(1, 'a title must not be empty').max(80, 'a title is at most 80 characters').optional(),
    questions: z.array(questionSchema).default([]),
    flashcards: z.array(cardSchema).default([]),
  })
  .refine((d) => d.questions.length + d.flashcards.length > 0, 'the file holds no questions and no flashcards');

/** Parses and checks a deck file; nothing is usable unless every item is valid. */
export function parseDeck(fileName: string, data: Buffer): DeckParse {
  const fail = (line: number, field: string, message: string): DeckParse => ({ ok: false, problems: [{ file: fileName, line, field, message }] });
  if (data.length > DECK_MAX_BYTES) {
    return fail(1, '', `the file is ${Math.ceil(data.length / 1000)} KB; a deck file is at most ${DECK_MAX_BYTES / 1000} KB`);
  }
  const format = deckFormat(fileName);
  if (!format) return fail(1, '', 'a deck is a .yaml, .yml or .csv file');
  const source = new TextDecoder('utf-8', { fatal: false }).decode(data).replace(/^\uFEFF/, '');
  if (source.includes('\uFFFD')) return fail(1, '', 'the file is not UTF-8 text');
  const parsed = format === 'yaml' ? fromYaml(fileName, source) : fromCsv(fileName, source);
  if (!parsed.ok) return parsed;
  const { items, lines } = parsed;
  const problems: ContentProblem[] = [];
  const total = items.questions.length + items.cards.length;
  if (total > DECK_MAX_ITEMS) {
    problems.push({
      file: fileName,
      line: 1,
      field: '',
      message: `the file holds ${total} items; a deck holds at most ${DECK_MAX_ITEMS} questions and cards`,
    });
  }
  duplicates(
    items.questions.map((q) => q.id),
    lines.questions,
    (i) => parsed.field('question', i, 'id'),
    fileName,
    'question',
    problems,
  );
  duplicates(
    items.cards.map((c) => c.id),
    lines.cards,
    (i) => parsed.field('card', i, 'id'),
    fileName,
    'card',
    problems,
  );
  if (problems.length) return { ok: false, problems };
  // Fairness (right answers that stand out by length or place) is measured as for the course, but
  // a group's deck is the group's own: it is reported, not refused.
  const warnings = fairnessProblems(items.questions.map((q, i) => asQuestion(q, 'deck', fileName, lines.questions[i] ?? 1)));
  return { ok: true, items, warnings, rendering: renderingOf(parsed, format, fileName), lines };
}

/** The rendering warnings of every text of the deck, at its item's line, named as the format names the field. */
function renderingOf(parsed: Parsed, format: DeckFormat, file: string): ContentProblem[] {
  const out: ContentProblem[] = [];
  const check = (markdown: string | undefined, line: number, field: string) => {
    if (markdown) out.push(...markdownWarnings(markdown, () => ({ file, line }), field));
  };
  parsed.items.questions.forEach((q, i) => {
    const line = parsed.lines.questions[i] ?? 1;
    check(q.question, line, parsed.field('question', i, 'question'));
    q.options.forEach((o, j) => {
      check(o.text, line, parsed.field('question', i, format === 'csv' ? `option${j + 1}` : `options[${j}].text`));
      check(o.why, line, parsed.field('question', i, format === 'csv' ? `why${j + 1}` : `options[${j}].why`));
    });
  });
  parsed.items.cards.forEach((c, i) => {
    const line = parsed.lines.cards[i] ?? 1;
    check(c.front, line, parsed.field('card', i, 'front'));
    check(c.back, line, parsed.field('card', i, 'back'));
  });
  return out;
}

function duplicates(ids: string[], lines: number[], field: (i: number) => string, file: string, kind: string, problems: ContentProblem[]): void {
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    const at = first.get(id);
    if (at === undefined) first.set(id, i);
    else
      problems.push({
        file,
        line: lines[i] ?? 1,
        field: field(i),
        message: `the ${kind} id "${id}" is used twice (first on line ${lines[at] ?? 1})`,
      });
  });
}

/** A deck question as the bot serves it (ids and track are the caller's). */
export function asQuestion(q: DeckQuestion, track: string, file: string, line: number, id = q.id): QuizQuestion {
  return {
    id,
    track,
    lessonId: '',
    difficulty: q.difficulty as Difficulty,
    question: q.question,
    code: q.code,
    options: q.options.map((o) => ({ text: o.text, correct: o.correct === true, why: o.why })),
    file,
    line,
  };
}

interface Parsed {
  ok: true;
  items: DeckItems;
  lines: { questions: number[]; cards: number[] };
  /** How a field of an item is named in this format (a YAML path, or a CSV column). */
  field(kind: 'question' | 'card', index: number, field: string): string;
}

function fromYaml(file: string, source: string): Parsed | { ok: false; problems: ContentProblem[] } {
  const yaml = new YamlSource(file, source);
  const problems: ContentProblem[] = [];
  const data = yaml.parse(yamlDeck, problems);
  if (!data) return { ok: false, problems };
  return {
    ok: true,
    items: { title: data.title, questions: data.questions, cards: data.flashcards },
    lines: {
      questions: data.questions.map((_, i) => yaml.lineOf(['questions', i])),
      cards: data.flashcards.map((_, i) => yaml.lineOf(['flashcards', i])),
    },
    field: (kind, i, f) => `${kind === 'question' ? 'questions' : 'flashcards'}[${i}].${f}`,
  };
}

// ---- CSV ----------------------------------------------------------------------------------------

const OPTION_COLUMNS = 5;
const QUESTION_COLUMNS = [
  'difficulty',
  'question',
  'code',
  ...Array.from({ length: OPTION_COLUMNS }, (_, i) => [`option${i + 1}`, `why${i + 1}`]).flat(),
  'correct',
];
const CARD_COLUMNS = ['front', 'back', 'tags'];
export const CSV_COLUMNS = ['type', 'id', ...QUESTION_COLUMNS, ...CARD_COLUMNS];

interface CsvRecord {
  line: number;
  cells: string[];
}

/** RFC 4180 records (quoted fields may hold commas, quotes doubled, and line breaks), with the line each starts on. */
export function csvRecords(source: string): { records: CsvRecord[]; error?: { line: number; message: string } } {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    for (;;) {
      if (source[i] === '"' && cell === '') {
        i++;
        for (;;) {
          if (i >= source.length) return { records, error: { line: start, message: 'a quoted field is never closed' } };
          const ch = source[i]!;
          if (ch === '"') {
            if (source[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
        if (i < source.length && !/[,\r\n]/.test(source[i]!)) {
          return { records, error: { line, message: 'text after a closing quote: a quote inside a quoted field is written twice ("")' } };
        }
      } else {
        while (i < source.length && !/[,\r\n]/.test(source[i]!)) cell += source[i++];
      }
      cells.push(cell);
      cell = '';
      if (source[i] === ',') {
        i++;
        continue;
      }
      if (source[i] === '\r') i++;
      if (source[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ line: start, cells });
  }
  return { records };
}

/** Where a zod path inside one item lands in the CSV layout: its column. */
function csvColumn(kind: 'question' | 'card', path: (string | number)[]): string {
  if (kind === 'question' && path[0] === 'options') {
    if (typeof path[1] === 'number') return path[2] === 'why' ? `why${path[1] + 1}` : `option${path[1] + 1}`;
    return 'correct';
  }
  if (kind === 'card' && path[0] === 'tags') return 'tags';
  return String(path[0] ?? 'id');
}

function fromCsv(file: string, source: string): Parsed | { ok: false; problems: ContentProblem[] } {
  const { records, error } = csvRecords(source);
  const problems: ContentProblem[] = [];
  const problem = (line: number, field: string, message: string) => problems.push({ file, line, field, message });
  if (error) {
    problem(error.line, '', `CSV syntax: ${error.message}`);
    return { ok: false, problems };
  }
  const header = records.shift();
  if (!header) {
    problem(1, '', 'the file is empty: the first line names the columns (see content/README.md)');
    return { ok: false, problems };
  }
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  columns.forEach((c, i) => {
    if (!CSV_COLUMNS.includes(c)) problem(header.line, c || `column ${i + 1}`, `unknown column; the columns are: ${CSV_COLUMNS.join(', ')}`);
    else if (columns.indexOf(c) !== i) problem(header.line, c, 'this column is named twice');
  });
  for (const required of ['type', 'id']) if (!columns.includes(required)) problem(header.line, required, 'missing column');
  if (problems.length) return { ok: false, problems };

  const items: DeckItems = { questions: [], cards: [] };
  const lines = { questions: [] as number[], cards: [] as number[] };
  for (const r of records) {
    if (r.cells.length > columns.length) {
      problem(r.line, '', `${r.cells.length} fields but the header names ${columns.length} columns (quote a field that holds a comma)`);
      continue;
    }
    const row = new Map(columns.map((c, i) => [c, (r.cells[i] ?? '').trim()]));
    const get = (c: string) => row.get(c) ?? '';
    const type = get('type').toLowerCase();
    const filled = (cols: string[]) => cols.filter((c) => get(c) !== '');
    if (type === 'question') {
      const stray = filled(CARD_COLUMNS);
      if (stray.length) problem(r.line, stray[0]!, 'a card column on a question row: leave it empty');
      const options: { text: string; why: string; correct?: boolean }[] = [];
      const correct = get('correct');
      const pick = /^[a-e]$/i.test(correct) ? correct.toUpperCase().charCodeAt(0) - 64 : Number(correct);
      if (!Number.isInteger(pick) || pick < 1 || pick > OPTION_COLUMNS) {
        problem(
          r.line,
          'correct',
          `expected the number (1-${OPTION_COLUMNS}) or letter (A-E) of the right option${correct ? `, not "${correct}"` : ''}`,
        );
        continue;
      }
      for (let n = 1; n <= OPTION_COLUMNS; n++) {
        const text = get(`option${n}`);
        const why = get(`why${n}`);
        if (!text && !why) continue;
        if (options.length !== n - 1) problem(r.line, `option${n}`, `option${options.length + 1} is empty: fill the options in order`);
        options.push({ text, why, ...(n === pick && { correct: true }) });
      }
      if (pick > options.length) {
        problem(r.line, 'correct', `option${pick} is empty`);
        continue;
      }
      const raw = { id: get('id'), difficulty: get('difficulty'), question: get('question'), ...(get('code') && { code: get('code') }), options };
      const out = questionSchema.safeParse(raw);
      if (out.success) {
        items.questions.push(out.data);
        lines.questions.push(r.line);
      } else for (const issue of out.error.issues) problem(r.line, csvColumn('question', pathOf(issue.path)), issue.message);
    } else if (type === 'card') {
      const stray = filled(QUESTION_COLUMNS);
      if (stray.length) problem(r.line, stray[0]!, 'a question column on a card row: leave it empty');
      const tags = get('tags')
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
      const out = cardSchema.safeParse({ id: get('id'), front: get('front'), back: get('back'), tags });
      if (out.success) {
        items.cards.push(out.data);
        lines.cards.push(r.line);
      } else for (const issue of out.error.issues) problem(r.line, csvColumn('card', pathOf(issue.path)), issue.message);
    } else {
      problem(r.line, 'type', `expected "question" or "card"${type ? `, not "${get('type')}"` : ''}`);
    }
  }
  if (!problems.length && items.questions.length + items.cards.length === 0)
    problem(header.line, '', 'the file holds no questions and no flashcards');
  if (problems.length) return { ok: false, problems };
  return { ok: true, items, lines, field: (_kind, _i, f) => f };
}

const pathOf = (p: readonly PropertyKey[]) => p.filter((k): k is string | number => typeof k !== 'symbol');

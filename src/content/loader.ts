import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { nearDuplicates } from './duplicates.js';
import { fairnessProblems } from './fairness.js';
import { challengeFile, flashcardFile, lessonFrontMatter, quizFile, trackFile } from './schema.js';
import type { Challenge, ChallengeCase, Content, Flashcard, Lesson, QuizQuestion, RunnableExample, Track } from './types.js';

/** One problem in the content, pinned to a file, a line and a field. */
export interface ContentProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the study content:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ContentError';
  }
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

const POINTS_BY_DIFFICULTY = { easy: 20, medium: 40, hard: 60 } as const;
const DEFAULT_CASE_SECONDS = 5;

type Path = (string | number)[];

function fieldName(p: Path): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

/** A YAML document with what is needed to point at lines inside it. */
class YamlSource {
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    source: string,
    /** Lines before the YAML text in its file (front matter starts after the opening ---). */
    private readonly lineOffset = 0,
  ) {
    this.doc = parseDocument(source, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  lineAt(offset: number): number {
    return this.lines.linePos(offset).line + this.lineOffset;
  }

  /** Line of the node at `p`, or of its nearest existing ancestor when the field is missing. */
  lineOf(p: Path, key?: string): number {
    for (let n = p.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : (this.doc.getIn(p.slice(0, n), true) as Node | undefined);
      if (!node || typeof node !== 'object' || !('range' in node) || !node.range) continue;
      if (key && n === p.length && isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && it.key.value === key);
        if (pair && isScalar(pair.key) && pair.key.range) return this.lineAt(pair.key.range[0]);
      }
      return this.lineAt(node.range[0]);
    }
    return 1 + this.lineOffset;
  }

  syntaxProblems(): ContentProblem[] {
    return this.doc.errors.map((e) => ({
      file: this.file,
      line: this.lineAt(e.pos[0]),
      field: '',
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
    }));
  }

  /** Validates against `schema`, turning every zod issue into a problem with its line. */
  parse<S extends z.ZodType>(schema: S, problems: ContentProblem[]): z.output<S> | undefined {
    const syntax = this.syntaxProblems();
    if (syntax.length) {
      problems.push(...syntax);
      return undefined;
    }
    const data: unknown = this.doc.toJS();
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const p = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({
            file: this.file,
            line: this.lineOf(p, key),
            field: fieldName([...p, key]),
            message: 'unknown field (check the spelling against content/README.md)',
          });
        }
        continue;
      }
      const missing = issue.code === 'invalid_type' && valueAt(data, p) === undefined;
      problems.push({
        file: this.file,
        line: this.lineOf(p),
        field: fieldName(p),
        message: missing ? `missing: ${issue.message}` : issue.message,
      });
    }
    return undefined;
  }
}

function valueAt(data: unknown, p: Path): unknown {
  let v = data;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && statSync(path.join(dir, f)).isFile())
    .sort();
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => statSync(path.join(dir, f)).isDirectory())
    .sort();
}

interface ParsedMarkdown {
  frontMatter: string;
  frontMatterLine: number;
  body: string;
  bodyLine: number;
}

function splitFrontMatter(source: string): ParsedMarkdown | undefined {
  const normalized = source.replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) return undefined;
  const end = normalized.indexOf('\n---', 4);
  if (end < 0) return undefined;
  const afterClose = normalized.indexOf('\n', end + 4);
  const frontMatter = normalized.slice(4, end + 1);
  const body = afterClose < 0 ? '' : normalized.slice(afterClose + 1);
  const bodyLine = normalized.slice(0, afterClose + 1).split('\n').length;
  return { frontMatter, frontMatterLine: 1, body, bodyLine };
}

/**
 * Finds the `python run` examples of a lesson body and the `output` blocks that follow them, and
 * rewrites the `python run` info strings to plain `python` for display.
 */
export function extractExamples(
  body: string,
  bodyLine: number,
  file: string,
  problems: ContentProblem[],
): { body: string; examples: RunnableExample[] } {
  const lines = body.split('\n');
  const blocks: { info: string; code: string; line: number; endIndex: number; startIndex: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const start = i;
    const content: string[] = [];
    i++;
    while (i < lines.length && !new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[i]!)) {
      content.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) {
      problems.push({ file, line: bodyLine + start, field: 'body', message: `code block opened with ${fence} is never closed` });
      break;
    }
    blocks.push({ info: open[3]!.trim(), code: content.join('\n'), line: bodyLine + start, startIndex: start, endIndex: i });
  }
  const examples: RunnableExample[] = [];
  blocks.forEach((b, n) => {
    if (!/^python\s+run$/.test(b.info)) return;
    const next = blocks[n + 1];
    const between = next
      ? lines
          .slice(b.endIndex + 1, next.startIndex)
          .join('')
          .trim()
      : 'x';
    if (next?.info !== 'output' || between !== '') {
      problems.push({
        file,
        line: b.line,
        field: 'body',
        message: 'a `python run` example must be followed by an ```output block holding what it prints',
      });
      return;
    }
    examples.push({ code: b.code, output: next.code, line: b.line });
  });
  const display = lines.map((l) => l.replace(/^(\s*(?:`{3,}|~{3,})\s*)python\s+run\s*$/, '$1python')).join('\n');
  return { body: display, examples };
}

const rel = (root: string, file: string) => path.relative(path.dirname(root), file) || file;

/**
 * Loads and validates everything under `dir`. Returns the content, or throws ContentError listing
 * every problem (file, line, field) at once.
 */
export function loadContent(dir: string): Content {
  const { content, problems } = checkContent(dir);
  if (problems.length || !content) throw new ContentError(problems);
  return content;
}

export function checkContent(dir: string): { content: Content | undefined; problems: ContentProblem[] } {
  const root = path.resolve(dir);
  const problems: ContentProblem[] = [];
  const name = (f: string) => rel(root, f);
  if (!existsSync(root)) {
    return { content: undefined, problems: [{ file: dir, line: 0, field: '', message: 'content folder not found (set CONTENT_DIR)' }] };
  }

  // Tracks.
  const tracksPath = path.join(root, 'tracks.yaml');
  const tracks: Track[] = [];
  if (!existsSync(tracksPath)) {
    problems.push({ file: name(tracksPath), line: 0, field: '', message: 'missing: the list of tracks' });
  } else {
    const src = new YamlSource(name(tracksPath), readFileSync(tracksPath, 'utf8'));
    const parsed = src.parse(trackFile, problems);
    parsed?.tracks.forEach((t, index) => {
      if (tracks.some((x) => x.id === t.id)) {
        problems.push({
          file: src.file,
          line: src.lineOf(['tracks', index, 'id']),
          field: `tracks[${index}].id`,
          message: `duplicate track id "${t.id}"`,
        });
      } else tracks.push({ ...t, index });
    });
  }
  const trackById = new Map(tracks.map((t) => [t.id, t]));

  // Quiz questions and flashcards, with where each was defined so later checks can point at it.
  const questionById = new Map<string, QuizQuestion>();
  const cardById = new Map<string, Flashcard>();
  const defined = new Map<string, { file: string; line: number; field: string }>();
  const noteDefinition = (kind: string, itemId: string, at: { file: string; line: number; field: string }) => {
    const key = `${kind}:${itemId}`;
    const first = defined.get(key);
    if (first) {
      problems.push({ ...at, message: `duplicate ${kind} id "${itemId}" (first defined at ${first.file}:${first.line})` });
      return false;
    }
    defined.set(key, at);
    return true;
  };
  /**
   * Ids defined in files that failed validation: already reported, so links to them from lessons
   * are not reported a second time as missing.
   */
  const reportedIds = new Set<string>();
  const noteReportedIds = (src: YamlSource, listKey: string, kind: string) => {
    const data: unknown = src.doc.toJS();
    const list = (data as Record<string, unknown> | null)?.[listKey];
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const itemId = (item as { id?: unknown } | null)?.id;
      if (typeof itemId === 'string') reportedIds.add(`${kind}:${itemId}`);
    }
  };
  const checkTrackFile = (src: YamlSource, track: string, fileStem: string) => {
    if (!trackById.has(track)) {
      problems.push({
        file: src.file,
        line: src.lineOf(['track']),
        field: 'track',
        message: `unknown track "${track}" (tracks.yaml lists ${[...trackById.keys()].join(', ')})`,
      });
    } else if (track !== fileStem) {
      problems.push({
        file: src.file,
        line: src.lineOf(['track']),
        field: 'track',
        message: `the file for track "${track}" must be named ${track}.yaml`,
      });
    }
  };

  for (const f of listFiles(path.join(root, 'quizzes'), '.yaml')) {
    const full = path.join(root, 'quizzes', f);
    const src = new YamlSource(name(full), readFileSync(full, 'utf8'));
    const parsed = src.parse(quizFile, problems);
    if (!parsed) {
      noteReportedIds(src, 'questions', 'quiz');
      continue;
    }
    checkTrackFile(src, parsed.track, f.replace(/\.yaml$/, ''));
    parsed.questions.forEach((q, i) => {
      const at = { file: src.file, line: src.lineOf(['questions', i]), field: `questions[${i}].id` };
      if (!noteDefinition('question', q.id, at)) return;
      questionById.set(q.id, {
        id: q.id,
        track: parsed.track,
        lessonId: '',
        difficulty: q.difficulty,
        question: q.question,
        code: q.code,
        options: q.options.map((o) => ({ text: o.text, correct: o.correct === true, why: o.why })),
        file: src.file,
        line: at.line,
      });
    });
  }

  for (const f of listFiles(path.join(root, 'flashcards'), '.yaml')) {
    const full = path.join(root, 'flashcards', f);
    const src = new YamlSource(name(full), readFileSync(full, 'utf8'));
    const parsed = src.parse(flashcardFile, problems);
    if (!parsed) {
      noteReportedIds(src, 'cards', 'flashcards');
      continue;
    }
    checkTrackFile(src, parsed.track, f.replace(/\.yaml$/, ''));
    parsed.cards.forEach((c, i) => {
      const at = { file: src.file, line: src.lineOf(['cards', i]), field: `cards[${i}].id` };
      if (!noteDefinition('flashcard', c.id, at)) return;
      cardById.set(c.id, { id: c.id, track: parsed.track, lessonId: '', front: c.front, back: c.back, tags: c.tags, file: src.file, line: at.line });
    });
  }

  // Challenges.
  const challengeById = new Map<string, Challenge>();
  for (const d of listDirs(path.join(root, 'challenges'))) {
    const cdir = path.join(root, 'challenges', d);
    const yamlPath = path.join(cdir, 'challenge.yaml');
    if (!existsSync(yamlPath)) {
      problems.push({ file: name(cdir), line: 0, field: '', message: 'a challenge folder needs challenge.yaml' });
      continue;
    }
    const src = new YamlSource(name(yamlPath), readFileSync(yamlPath, 'utf8'));
    const parsed = src.parse(challengeFile, problems);
    if (!parsed) {
      reportedIds.add(`challenge:${d}`);
      continue;
    }
    if (parsed.id !== d) {
      problems.push({ file: src.file, line: src.lineOf(['id']), field: 'id', message: `must match its folder name "${d}"` });
      continue;
    }
    if (!trackById.has(parsed.track)) {
      problems.push({ file: src.file, line: src.lineOf(['track']), field: 'track', message: `unknown track "${parsed.track}"` });
    }
    const files: Record<'statement' | 'starter' | 'solution', string> = { statement: '', starter: '', solution: '' };
    const fileNames = { statement: 'statement.md', starter: 'starter.py', solution: 'solution.py' } as const;
    let missing = false;
    for (const key of Object.keys(fileNames) as (keyof typeof fileNames)[]) {
      const p = path.join(cdir, fileNames[key]);
      if (!existsSync(p)) {
        problems.push({ file: name(p), line: 0, field: '', message: `missing: every challenge needs ${fileNames[key]}` });
        missing = true;
        continue;
      }
      files[key] = readFileSync(p, 'utf8');
      if (files[key].trim() === '' && key !== 'starter') {
        problems.push({ file: name(p), line: 1, field: '', message: `${fileNames[key]} is empty` });
      }
    }
    if (missing) continue;
    const toCase =
      (hidden: boolean) =>
      (c: (typeof parsed.cases.visible)[number]): ChallengeCase => ({
        name: c.name,
        hidden,
        ...(c.stdin !== undefined && { stdin: c.stdin }),
        ...(c.call !== undefined && { call: c.call }),
        ...(c.script !== undefined && { script: c.script }),
        ...(c.module !== undefined && { module: c.module }),
        expected: c.expected,
        ...(c.min_seconds !== undefined && { minSeconds: c.min_seconds }),
        ...(c.max_seconds !== undefined && { maxSeconds: c.max_seconds }),
      });
    challengeById.set(parsed.id, {
      id: parsed.id,
      track: parsed.track,
      title: parsed.title,
      difficulty: parsed.difficulty,
      points: parsed.points ?? POINTS_BY_DIFFICULTY[parsed.difficulty],
      grader: parsed.grader,
      target: parsed.target,
      timeLimitSeconds: parsed.time_limit ?? DEFAULT_CASE_SECONDS,
      statement: files.statement,
      starter: files.starter,
      solution: files.solution,
      cases: [...parsed.cases.visible.map(toCase(false)), ...parsed.cases.hidden.map(toCase(true))],
      lessonId: undefined,
      dir: cdir,
    });
  }

  // Lessons, and the links from lessons to questions, cards and challenges.
  const lessons: Lesson[] = [];
  const linkedFrom = new Map<string, string>();
  for (const trackDir of listDirs(path.join(root, 'lessons'))) {
    for (const f of listFiles(path.join(root, 'lessons', trackDir), '.md')) {
      const full = path.join(root, 'lessons', trackDir, f);
      const file = name(full);
      const source = readFileSync(full, 'utf8');
      const split = splitFrontMatter(source);
      if (!split) {
        problems.push({ file, line: 1, field: '', message: 'a lesson starts with YAML front matter between --- lines' });
        continue;
      }
      const src = new YamlSource(file, split.frontMatter, split.frontMatterLine);
      const fm = src.parse(lessonFrontMatter, problems);
      if (!fm) continue;
      const fail = (field: string, message: string, p: Path = [field]) => problems.push({ file, line: src.lineOf(p), field, message });
      if (!trackById.has(fm.track)) fail('track', `unknown track "${fm.track}"`);
      else if (fm.track !== trackDir) fail('track', `the lesson is in lessons/${trackDir}/ but says track "${fm.track}"`);
      const clash = lessons.find((l) => l.track === fm.track && l.order === fm.order);
      if (clash) fail('order', `order ${fm.order} is already used by ${clash.file} in track "${fm.track}"`);
      if (!noteDefinition('lesson', fm.id, { file, line: src.lineOf(['id']), field: 'id' })) continue;

      const link = (kind: 'quiz' | 'flashcards', ids: string[]) => {
        ids.forEach((itemId, i) => {
          const item = kind === 'quiz' ? questionById.get(itemId) : cardById.get(itemId);
          if (!item) {
            if (reportedIds.has(`${kind}:${itemId}`)) return;
            fail(`${kind}[${i}]`, `no ${kind === 'quiz' ? 'quiz question' : 'flashcard'} has id "${itemId}"`, [kind, i]);
            return;
          }
          const key = `${kind}:${itemId}`;
          const prior = linkedFrom.get(key);
          if (prior) {
            fail(`${kind}[${i}]`, `"${itemId}" is already linked from lesson "${prior}": each item belongs to one lesson`, [kind, i]);
            return;
          }
          linkedFrom.set(key, fm.id);
          item.lessonId = fm.id;
        });
      };
      link('quiz', fm.quiz);
      link('flashcards', fm.flashcards);
      if (fm.challenge) {
        const ch = challengeById.get(fm.challenge);
        if (!ch) {
          if (!reportedIds.has(`challenge:${fm.challenge}`))
            fail('challenge', `no challenge has id "${fm.challenge}" (expected content/challenges/${fm.challenge}/)`);
        } else if (ch.lessonId) fail('challenge', `challenge "${fm.challenge}" is already linked from lesson "${ch.lessonId}"`);
        else ch.lessonId = fm.id;
      }

      const { body, examples } = extractExamples(split.body, split.bodyLine, file, problems);
      lessons.push({
        id: fm.id,
        track: fm.track,
        order: fm.order,
        title: fm.title,
        summary: fm.summary,
        objectives: fm.objectives,
        quiz: fm.quiz,
        flashcards: fm.flashcards,
        challenge: fm.challenge,
        docs: fm.docs,
        body: body.trim(),
        examples,
        file,
        wordCount: split.body.split(/\s+/).filter(Boolean).length,
      });
    }
  }

  for (const q of questionById.values()) {
    if (!q.lessonId) {
      problems.push({ file: q.file, line: q.line, field: 'id', message: `quiz question "${q.id}" is not listed in any lesson's quiz: list` });
    }
  }
  for (const c of cardById.values()) {
    if (!c.lessonId) {
      problems.push({ file: c.file, line: c.line, field: 'id', message: `flashcard "${c.id}" is not listed in any lesson's flashcards: list` });
    }
  }

  const questionText = (q: QuizQuestion) => `${q.question} ${q.code ?? ''} ${q.options.find((o) => o.correct)?.text ?? ''}`;
  for (const [a, b] of nearDuplicates([...questionById.values()], questionText)) {
    problems.push({
      file: b.file,
      line: b.line,
      field: 'question',
      message: `"${b.id}" nearly repeats "${a.id}" (${a.file}:${a.line}); ask something different`,
    });
  }
  for (const [a, b] of nearDuplicates([...cardById.values()], (c) => `${c.front} ${c.back}`)) {
    problems.push({
      file: b.file,
      line: b.line,
      field: 'front',
      message: `"${b.id}" nearly repeats "${a.id}" (${a.file}:${a.line}); merge them or make them differ`,
    });
  }
  // Options whose length or place points to the answer make a quiz guessable without the lesson.
  problems.push(...fairnessProblems(questionById.values()));

  lessons.sort((a, b) => (trackById.get(a.track)?.index ?? 0) - (trackById.get(b.track)?.index ?? 0) || a.order - b.order);
  const content: Content = {
    dir: root,
    tracks,
    lessons,
    lessonById: new Map(lessons.map((l) => [l.id, l])),
    questionById,
    cardById,
    challengeById,
    trackById,
  };
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { content: problems.length ? undefined : content, problems };
}

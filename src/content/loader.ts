import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { nearDuplicates } from './duplicates.js';
import { fairnessProblems } from './fairness.js';
import { extractExamples, splitFrontMatter } from './lesson-file.js';
import { ContentError, type ContentProblem } from './problems.js';
import type { Observe } from '../contract/code-runs.js';
import { type ChallengeFile, challengeFile, flashcardFile, lessonFrontMatter, quizFile, trackFile } from './schema.js';
import type { Challenge, ChallengeCase, Content, Flashcard, Lesson, QuizQuestion, Track } from './types.js';
import { type Path, YamlSource } from './yaml-source.js';

export { ContentError, type ContentProblem, formatProblem } from './problems.js';
export { extractExamples } from './lesson-file.js';

const POINTS_BY_DIFFICULTY = { easy: 20, medium: 40, hard: 60 } as const;
const DEFAULT_CASE_SECONDS = 5;

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

interface Where {
  file: string;
  line: number;
  field: string;
}

/**
 * What one check of a content folder gathers as it reads it: the problems found so far and every
 * id defined, so later steps (lessons linking to questions, cards and challenges) can point at the
 * definitions and leave alone ids whose files were already reported as invalid.
 */
class Reading {
  readonly problems: ContentProblem[] = [];
  readonly trackById = new Map<string, Track>();
  readonly questionById = new Map<string, QuizQuestion>();
  readonly cardById = new Map<string, Flashcard>();
  readonly challengeById = new Map<string, Challenge>();
  readonly lessons: Lesson[] = [];
  private readonly defined = new Map<string, Where>();
  /** Ids in files that failed validation: already reported, so not reported again as missing links. */
  private readonly reported = new Set<string>();

  constructor(readonly root: string) {}

  /** A file's name as problems show it: relative to the content folder's parent ("content/quizzes/x.yaml"). */
  name(file: string): string {
    return path.relative(path.dirname(this.root), file) || file;
  }

  yaml(file: string): YamlSource {
    return new YamlSource(this.name(file), readFileSync(file, 'utf8'));
  }

  /** Records a definition; false (with a problem) when the id was defined before. */
  define(kind: string, id: string, at: Where): boolean {
    const key = `${kind}:${id}`;
    const first = this.defined.get(key);
    if (first) {
      this.problems.push({ ...at, message: `duplicate ${kind} id "${id}" (first defined at ${first.file}:${first.line})` });
      return false;
    }
    this.defined.set(key, at);
    return true;
  }

  markReported(kind: string, id: string): void {
    this.reported.add(`${kind}:${id}`);
  }

  wasReported(kind: string, id: string): boolean {
    return this.reported.has(`${kind}:${id}`);
  }

  /** The ids listed under `listKey` of a file that failed validation. */
  markReportedIn(src: YamlSource, listKey: string, kind: string): void {
    const list = (src.doc.toJS() as Record<string, unknown> | null)?.[listKey];
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string') this.markReported(kind, id);
    }
  }

  /** A track file must name a known track and be named after it. */
  checkTrackOfFile(src: YamlSource, track: string, fileStem: string): void {
    const at = { file: src.file, line: src.lineOf(['track']), field: 'track' };
    if (!this.trackById.has(track)) {
      this.problems.push({ ...at, message: `unknown track "${track}" (tracks.yaml lists ${[...this.trackById.keys()].join(', ')})` });
    } else if (track !== fileStem) {
      this.problems.push({ ...at, message: `the file for track "${track}" must be named ${track}.yaml` });
    }
  }
}

function readTracks(r: Reading): void {
  const file = path.join(r.root, 'tracks.yaml');
  if (!existsSync(file)) {
    r.problems.push({ file: r.name(file), line: 0, field: '', message: 'missing: the list of tracks' });
    return;
  }
  const src = r.yaml(file);
  src.parse(trackFile, r.problems)?.tracks.forEach((t, index) => {
    if (r.trackById.has(t.id)) {
      r.problems.push({
        file: src.file,
        line: src.lineOf(['tracks', index, 'id']),
        field: `tracks[${index}].id`,
        message: `duplicate track id "${t.id}"`,
      });
    } else r.trackById.set(t.id, { ...t, index });
  });
}

function readQuizzes(r: Reading): void {
  for (const f of listFiles(path.join(r.root, 'quizzes'), '.yaml')) {
    const src = r.yaml(path.join(r.root, 'quizzes', f));
    const parsed = src.parse(quizFile, r.problems);
    if (!parsed) {
      r.markReportedIn(src, 'questions', 'quiz');
      continue;
    }
    r.checkTrackOfFile(src, parsed.track, f.replace(/\.yaml$/, ''));
    parsed.questions.forEach((q, i) => {
      const at = { file: src.file, line: src.lineOf(['questions', i]), field: `questions[${i}].id` };
      if (!r.define('question', q.id, at)) return;
      r.questionById.set(q.id, {
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
}

function readFlashcards(r: Reading): void {
  for (const f of listFiles(path.join(r.root, 'flashcards'), '.yaml')) {
    const src = r.yaml(path.join(r.root, 'flashcards', f));
    const parsed = src.parse(flashcardFile, r.problems);
    if (!parsed) {
      r.markReportedIn(src, 'cards', 'flashcards');
      continue;
    }
    r.checkTrackOfFile(src, parsed.track, f.replace(/\.yaml$/, ''));
    parsed.cards.forEach((c, i) => {
      const at = { file: src.file, line: src.lineOf(['cards', i]), field: `cards[${i}].id` };
      if (!r.define('flashcard', c.id, at)) return;
      r.cardById.set(c.id, {
        id: c.id,
        track: parsed.track,
        lessonId: '',
        front: c.front,
        back: c.back,
        tags: c.tags,
        file: src.file,
        line: at.line,
      });
    });
  }
}

/** A case's `observe:` block, in the job contract's terms. */
function toObserve(o: NonNullable<ChallengeFile['cases']['visible'][number]['observe']>): Observe {
  return {
    ...(o.threads && { threads: o.threads }),
    ...(o.processes && { processes: o.processes }),
    ...(o.started && { started: o.started }),
    ...(o.calls && { calls: o.calls }),
    ...(o.at_once && { atOnce: o.at_once }),
    ...(o.abandoned && { abandoned: o.abandoned }),
  };
}

const CHALLENGE_FILES = { statement: 'statement.md', starter: 'starter.py', solution: 'solution.py' } as const;

function readChallenge(r: Reading, dirName: string): void {
  const dir = path.join(r.root, 'challenges', dirName);
  const yamlPath = path.join(dir, 'challenge.yaml');
  if (!existsSync(yamlPath)) {
    r.problems.push({ file: r.name(dir), line: 0, field: '', message: 'a challenge folder needs challenge.yaml' });
    return;
  }
  const src = r.yaml(yamlPath);
  const parsed = src.parse(challengeFile, r.problems);
  if (!parsed) {
    r.markReported('challenge', dirName);
    return;
  }
  if (parsed.id !== dirName) {
    r.problems.push({ file: src.file, line: src.lineOf(['id']), field: 'id', message: `must match its folder name "${dirName}"` });
    return;
  }
  if (!r.trackById.has(parsed.track)) {
    r.problems.push({ file: src.file, line: src.lineOf(['track']), field: 'track', message: `unknown track "${parsed.track}"` });
  }
  const files = { statement: '', starter: '', solution: '' };
  let missing = false;
  for (const key of Object.keys(CHALLENGE_FILES) as (keyof typeof CHALLENGE_FILES)[]) {
    const p = path.join(dir, CHALLENGE_FILES[key]);
    if (!existsSync(p)) {
      r.problems.push({ file: r.name(p), line: 0, field: '', message: `missing: every challenge needs ${CHALLENGE_FILES[key]}` });
      missing = true;
      continue;
    }
    files[key] = readFileSync(p, 'utf8');
    if (files[key].trim() === '' && key !== 'starter')
      r.problems.push({ file: r.name(p), line: 1, field: '', message: `${CHALLENGE_FILES[key]} is empty` });
  }
  if (missing) return;
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
      ...(c.observe !== undefined && { observe: toObserve(c.observe) }),
      ...(c.hint !== undefined && { hint: c.hint }),
    });
  r.challengeById.set(parsed.id, {
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
    dir,
  });
}

/** A lesson file: its front matter, its links to questions, cards and a challenge, and its examples. */
function readLesson(r: Reading, trackDir: string, full: string, linkedFrom: Map<string, string>): void {
  const file = r.name(full);
  const split = splitFrontMatter(readFileSync(full, 'utf8'));
  if (!split) {
    r.problems.push({ file, line: 1, field: '', message: 'a lesson starts with YAML front matter between --- lines' });
    return;
  }
  const src = new YamlSource(file, split.frontMatter, split.frontMatterLine);
  const fm = src.parse(lessonFrontMatter, r.problems);
  if (!fm) return;
  const fail = (field: string, message: string, p: Path = [field]) => r.problems.push({ file, line: src.lineOf(p), field, message });
  if (!r.trackById.has(fm.track)) fail('track', `unknown track "${fm.track}"`);
  else if (fm.track !== trackDir) fail('track', `the lesson is in lessons/${trackDir}/ but says track "${fm.track}"`);
  const clash = r.lessons.find((l) => l.track === fm.track && l.order === fm.order);
  if (clash) fail('order', `order ${fm.order} is already used by ${clash.file} in track "${fm.track}"`);
  if (!r.define('lesson', fm.id, { file, line: src.lineOf(['id']), field: 'id' })) return;

  const link = (kind: 'quiz' | 'flashcards', ids: string[]) => {
    ids.forEach((itemId, i) => {
      const item = kind === 'quiz' ? r.questionById.get(itemId) : r.cardById.get(itemId);
      if (!item) {
        if (!r.wasReported(kind, itemId))
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
    const ch = r.challengeById.get(fm.challenge);
    if (!ch) {
      if (!r.wasReported('challenge', fm.challenge))
        fail('challenge', `no challenge has id "${fm.challenge}" (expected content/challenges/${fm.challenge}/)`);
    } else if (ch.lessonId) fail('challenge', `challenge "${fm.challenge}" is already linked from lesson "${ch.lessonId}"`);
    else ch.lessonId = fm.id;
  }

  const { body, examples } = extractExamples(split.body, split.bodyLine, file, r.problems);
  r.lessons.push({
    id: fm.id,
    track: fm.track,
    order: fm.order,
    title: fm.title,
    summary: fm.summary,
    objectives: fm.objectives,
    quiz: fm.quiz,
    flashcards: fm.flashcards,
    challenge: fm.challenge,
    replaces: fm.replaces,
    docs: fm.docs,
    body: body.trim(),
    examples,
    file,
    wordCount: split.body.split(/\s+/).filter(Boolean).length,
  });
}

function readLessons(r: Reading): void {
  const linkedFrom = new Map<string, string>();
  for (const trackDir of listDirs(path.join(r.root, 'lessons'))) {
    for (const f of listFiles(path.join(r.root, 'lessons', trackDir), '.md'))
      readLesson(r, trackDir, path.join(r.root, 'lessons', trackDir, f), linkedFrom);
  }
  r.lessons.sort((a, b) => (r.trackById.get(a.track)?.index ?? 0) - (r.trackById.get(b.track)?.index ?? 0) || a.order - b.order);
}

/** A former id names one lesson, and no lesson of today. */
function checkFormerIds(r: Reading): void {
  const seen = new Map<string, Lesson>();
  for (const l of r.lessons) {
    for (const [i, old] of l.replaces.entries()) {
      const problem = r.lessons.some((x) => x.id === old)
        ? `"${old}" is the id of a lesson in the course; a lesson can replace only ids no longer in use`
        : seen.has(old)
          ? `"${old}" is already replaced by lesson "${seen.get(old)!.id}"`
          : undefined;
      if (problem) r.problems.push({ file: l.file, line: 1, field: `replaces[${i}]`, message: problem });
      seen.set(old, l);
    }
  }
}

/** Checks across the whole bank: every item has a lesson, nothing repeats, no quiz gives its answer away. */
function checkBank(r: Reading): void {
  for (const q of r.questionById.values()) {
    if (!q.lessonId)
      r.problems.push({ file: q.file, line: q.line, field: 'id', message: `quiz question "${q.id}" is not listed in any lesson's quiz: list` });
  }
  for (const c of r.cardById.values()) {
    if (!c.lessonId)
      r.problems.push({ file: c.file, line: c.line, field: 'id', message: `flashcard "${c.id}" is not listed in any lesson's flashcards: list` });
  }
  const questionText = (q: QuizQuestion) => `${q.question} ${q.code ?? ''} ${q.options.find((o) => o.correct)?.text ?? ''}`;
  for (const [a, b] of nearDuplicates([...r.questionById.values()], questionText)) {
    r.problems.push({
      file: b.file,
      line: b.line,
      field: 'question',
      message: `"${b.id}" nearly repeats "${a.id}" (${a.file}:${a.line}); ask something different`,
    });
  }
  for (const [a, b] of nearDuplicates([...r.cardById.values()], (c) => `${c.front} ${c.back}`)) {
    r.problems.push({
      file: b.file,
      line: b.line,
      field: 'front',
      message: `"${b.id}" nearly repeats "${a.id}" (${a.file}:${a.line}); merge them or make them differ`,
    });
  }
  // Options whose length or place points to the answer make a quiz guessable without the lesson.
  r.problems.push(...fairnessProblems(r.questionById.values()));
}

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
  if (!existsSync(root)) {
    return { content: undefined, problems: [{ file: dir, line: 0, field: '', message: 'content folder not found (set CONTENT_DIR)' }] };
  }
  const r = new Reading(root);
  readTracks(r);
  readQuizzes(r);
  readFlashcards(r);
  for (const d of listDirs(path.join(root, 'challenges'))) readChallenge(r, d);
  readLessons(r);
  checkFormerIds(r);
  checkBank(r);
  const content: Content = {
    dir: root,
    tracks: [...r.trackById.values()],
    lessons: r.lessons,
    lessonById: new Map(r.lessons.map((l) => [l.id, l])),
    lessonByFormerId: new Map(r.lessons.flatMap((l) => l.replaces.map((old) => [old, l] as const))),
    questionById: r.questionById,
    cardById: r.cardById,
    challengeById: r.challengeById,
    trackById: r.trackById,
  };
  const problems = r.problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { content: problems.length ? undefined : content, problems };
}

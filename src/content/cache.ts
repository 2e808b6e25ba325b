import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadContent } from './loader.js';
import type { Challenge, Content, Flashcard, Lesson, QuizQuestion, Track } from './types.js';

/** Bump when the shape of Content changes, so an old cache is never read as a new one. */
const FORMAT = 2;

interface Cached {
  format: number;
  dir: string;
  tracks: Track[];
  lessons: Lesson[];
  questions: QuizQuestion[];
  cards: Flashcard[];
  challenges: Challenge[];
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
}

/** A hash of every file under `dir`, names and bytes: any edit, addition or removal changes it. */
export function contentHash(dir: string): string {
  const hash = createHash('sha256').update(String(FORMAT));
  for (const f of files(dir)) hash.update(path.relative(dir, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 24);
}

function revive(c: Cached): Content {
  return {
    dir: c.dir,
    tracks: c.tracks,
    lessons: c.lessons,
    lessonById: new Map(c.lessons.map((l) => [l.id, l])),
    lessonByFormerId: new Map(c.lessons.flatMap((l) => l.replaces.map((old) => [old, l] as const))),
    questionById: new Map(c.questions.map((q) => [q.id, q])),
    cardById: new Map(c.cards.map((x) => [x.id, x])),
    challengeById: new Map(c.challenges.map((x) => [x.id, x])),
    trackById: new Map(c.tracks.map((t) => [t.id, t])),
  };
}

/**
 * The content, validated once per version of the files: validation (YAML, schemas, cross-checks)
 * runs when the files change, and later starts read the result from `cacheDir` by the files' hash.
 */
export function loadContentCached(dir: string, cacheDir: string): Content {
  const root = path.resolve(dir);
  if (!existsSync(root)) return loadContent(dir); // reports the missing folder as usual
  const file = path.join(cacheDir, `content-${contentHash(root)}.json`);
  if (existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as Cached;
      if (cached.format === FORMAT && cached.dir === root) return revive(cached);
    } catch {
      // A damaged cache is validated again below and rewritten.
    }
  }
  const content = loadContent(root);
  const cached: Cached = {
    format: FORMAT,
    dir: content.dir,
    tracks: content.tracks,
    lessons: content.lessons,
    questions: [...content.questionById.values()],
    cards: [...content.cardById.values()],
    challenges: [...content.challengeById.values()],
  };
  mkdirSync(cacheDir, { recursive: true });
  // Written under another name first: a crash mid-write never leaves a half file to be read.
  writeFileSync(`${file}.tmp`, JSON.stringify(cached));
  renameSync(`${file}.tmp`, file);
  return content;
}

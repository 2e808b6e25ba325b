import type { GradeCase, Grader } from '../contract/code-runs.js';

export interface Track {
  id: string;
  title: string;
  description: string;
  /** Position in the course, from 0. */
  index: number;
}

/** A `python run` block of a lesson with the output it must print. */
export interface RunnableExample {
  code: string;
  output: string;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

export interface Lesson {
  id: string;
  track: string;
  order: number;
  title: string;
  summary: string;
  objectives: string[];
  quiz: string[];
  flashcards: string[];
  challenge: string | undefined;
  /** Ids the lesson was published under before (a rename keeps channels' and learners' places). */
  replaces: string[];
  docs: { title: string; url: string }[];
  /** Markdown body, with `python run` info strings turned into plain `python`. */
  body: string;
  examples: RunnableExample[];
  file: string;
  wordCount: number;
}

export type Difficulty = 'easy' | 'medium' | 'hard';

export interface QuizOption {
  text: string;
  correct: boolean;
  why: string;
}

export interface QuizQuestion {
  id: string;
  track: string;
  /** The lesson whose `quiz:` lists this question. */
  lessonId: string;
  difficulty: Difficulty;
  question: string;
  code: string | undefined;
  options: QuizOption[];
  file: string;
  line: number;
}

export interface Flashcard {
  id: string;
  track: string;
  lessonId: string;
  front: string;
  back: string;
  tags: string[];
  file: string;
  line: number;
}

/** A challenge's test case: exactly what a grade job carries to the runner. */
export type ChallengeCase = GradeCase;

export interface Challenge {
  id: string;
  track: string;
  title: string;
  difficulty: 'easy' | 'medium' | 'hard';
  points: number;
  grader: Grader;
  target: string | undefined;
  timeLimitSeconds: number;
  statement: string;
  starter: string;
  solution: string;
  cases: ChallengeCase[];
  /** The lesson whose `challenge:` names this one, if any. */
  lessonId: string | undefined;
  dir: string;
}

export interface Content {
  dir: string;
  tracks: Track[];
  /** Every lesson in course order: track by track, then by `order`. */
  lessons: Lesson[];
  lessonById: Map<string, Lesson>;
  /** Lessons by an id they were published under before (`replaces:`). */
  lessonByFormerId: Map<string, Lesson>;
  questionById: Map<string, QuizQuestion>;
  cardById: Map<string, Flashcard>;
  challengeById: Map<string, Challenge>;
  trackById: Map<string, Track>;
}

import type { Session } from '../../src/learning/sessions.js';
import { fileURLToPath } from 'node:url';
import { lessonPages, renderLessonPage } from '../../commands/lesson.js';
import { renderAnswer, renderQuestion, renderReveal } from '../../commands/quiz.js';
import type { QuizPost } from '../../src/learning/quizzes.js';
import { renderCardBack, renderCardFront, sessionButtons } from '../../commands/flashcards.js';
import { renderChallenge } from '../../commands/challenges.js';
import type { Platform } from '../../src/chat/context.js';
import type { Message } from '../../src/chat/reply.js';
import type { Content } from '../../src/content/types.js';
import type { App } from '../../src/app.js';
import { chatContext } from '../support/app.js';
import { dispatchReplies } from '../support/dispatch.js';

/** The real course, as learners get it (most tests use the small fixture content instead). */
export const COURSE_CONTENT = fileURLToPath(new URL('../../content', import.meta.url));

/** A message of the course and where it comes from, for failure messages ("lesson x page 2/3"). */
export interface CourseMessage {
  where: string;
  message: Message;
}

export interface CourseCounts {
  lessons: number;
  pages: number;
  questions: number;
  answers: number;
  cards: number;
  challenges: number;
  help: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every page of every lesson, every question with every answer, every card (both sides), every challenge. */
export function courseMessages(content: Content): CourseMessage[] {
  const out: CourseMessage[] = [];
  for (const lesson of content.lessons) {
    const pages = lessonPages(lesson).length;
    for (let p = 0; p < pages; p++) out.push({ where: `lesson ${lesson.id} page ${p + 1}/${pages}`, message: renderLessonPage(content, lesson, p) });
  }
  const now = Date.UTC(2025, 0, 6, 9);
  const SESSION: Session = { id: 'session-1', ws: 'discord:g', userId: 'u', track: undefined, lessonId: undefined, card: undefined, again: [] };
  for (const q of content.questionById.values()) {
    const order = q.options.map((_, i) => i).reverse();
    const post: QuizPost = {
      id: 'post-1',
      workspace: 'discord:g',
      channelId: 'c',
      questionId: q.id,
      source: 'command',
      createdBy: 'u',
      createdAt: now,
      closesAt: now + DAY,
      optionOrder: JSON.stringify(order),
      revealedAt: null,
      roundId: null,
      roundIndex: null,
    };
    out.push({ where: `question ${q.id}`, message: renderQuestion(content, q, post, now, { post, question: q, order, answered: 3 }) });
    const shares = order.map((_, i) => i + 1);
    out.push({
      where: `question ${q.id} revealed`,
      message: renderReveal(content, {
        post: { ...post, revealedAt: now + HOUR },
        question: q,
        order,
        answered: 10,
        shares,
        firstRight: { userId: 'u', name: 'Ada', afterMs: 2400 },
      }),
    });
    q.options.forEach((o, option) => {
      const outcome = {
        kind: 'answered' as const,
        question: q,
        option,
        shown: order.indexOf(option),
        order,
        correct: o.correct,
        scored: true,
        points: o.correct ? 10 : 0,
        streak: { day: '2025-01-06', current: 3, longest: 5, extended: true, frozenDays: [], freezes: 0, earnedFreeze: false, milestone: undefined },
      };
      out.push({ where: `question ${q.id} answer ${'ABCDE'[option]}`, message: renderAnswer(content, outcome) });
    });
  }
  for (const card of content.cardById.values()) {
    out.push({
      where: `flashcard ${card.id} front`,
      message: renderCardFront(sessionButtons(SESSION, card.id, 0), card, 'new card · 9 new left today · from “a lesson”'),
    });
    out.push({
      where: `flashcard ${card.id} back`,
      message: renderCardBack(sessionButtons(SESSION, card.id, 2), card, { 1: 60_000, 2: 10 * 60_000, 3: DAY, 4: 4 * DAY }),
    });
  }
  for (const ch of content.challengeById.values()) out.push({ where: `challenge ${ch.id}`, message: renderChallenge(ch, content) });
  return out;
}

/** `/help` and `/help <command>` for every command, answered by the router as on `platform`. */
export async function helpMessages(app: App, platform: Platform): Promise<CourseMessage[]> {
  const out: CourseMessage[] = [];
  const ctx = chatContext({ platform, userId: 'reader' });
  const names = ['', ...app.router.commands.map((c) => c.name)];
  for (const name of names) {
    for (const reply of await dispatchReplies(app, ctx, `/help ${name}`.trim())) {
      if (reply.kind === 'message') out.push({ where: `help ${name || '(all)'}`, message: reply.message });
    }
  }
  return out;
}

export function countCourse(content: Content, messages: readonly CourseMessage[]): CourseCounts {
  const count = (prefix: string) => messages.filter((m) => m.where.startsWith(prefix)).length;
  return {
    lessons: content.lessons.length,
    pages: count('lesson '),
    questions: content.questionById.size,
    answers: messages.filter((m) => / answer [A-E]$/.test(m.where)).length,
    cards: content.cardById.size,
    challenges: count('challenge '),
    help: count('help '),
  };
}

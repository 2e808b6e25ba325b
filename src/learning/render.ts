import type { Block, Button, Message } from '../chat/reply.js';
import { buttons, code, note, text } from '../chat/reply.js';
import type { Challenge, Content, Flashcard, Lesson, QuizQuestion } from '../content/types.js';
import type { AnswerOutcome } from './quizzes.js';
import type { LeaderboardView } from './leaderboard.js';

/** Chat messages stay readable and inside every platform's limits (Discord: 2,000 characters). */
export const PAGE_CHARS = 1700;

const LETTERS = 'ABCDE';

/** Splits Markdown at blank lines that are not inside a code fence. */
function paragraphs(markdown: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) fence = fence === undefined ? m[1] : line.trim().startsWith(fence) ? undefined : fence;
    if (line.trim() === '' && fence === undefined) {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

/**
 * Splits a lesson body into pages of at most `max` characters, preferring to break before a
 * heading, never inside a code block (a block longer than a page gets a page of its own).
 */
export function paginate(markdown: string, max = PAGE_CHARS): string[] {
  const pages: string[] = [];
  let page = '';
  for (const para of paragraphs(markdown)) {
    const isHeading = /^#{1,6}\s/.test(para);
    const joined = page ? `${page}\n\n${para}` : para;
    // Start a new page at a heading once the current one is reasonably full.
    if (page && (joined.length > max || (isHeading && page.length > max * 0.6))) {
      pages.push(page);
      page = para;
    } else page = joined;
  }
  if (page) pages.push(page);
  return pages.length ? pages : [''];
}

export function lessonPosition(content: Content, lesson: Lesson): { index: number; total: number } {
  const inTrack = content.lessons.filter((l) => l.track === lesson.track);
  return { index: inTrack.findIndex((l) => l.id === lesson.id) + 1, total: inTrack.length };
}

/** One page of a lesson, with navigation and, on the last page, what to practise next. */
export function renderLessonPage(content: Content, lesson: Lesson, pageIndex: number, intro?: string): Message {
  const pages = paginate(lesson.body);
  const page = Math.min(Math.max(0, pageIndex), pages.length - 1);
  const track = content.trackById.get(lesson.track);
  const { index, total } = lessonPosition(content, lesson);
  const blocks: Block[] = [];
  if (intro) blocks.push(text(intro));
  if (page === 0) {
    blocks.push(text(`*${lesson.summary}*\n\n**You will learn to**\n${lesson.objectives.map((o) => `• ${o}`).join('\n')}`));
  }
  blocks.push(text(pages[page]!));
  const last = page === pages.length - 1;
  if (last) {
    blocks.push(text(`**Read more**\n${lesson.docs.map((d) => `• [${d.title}](${d.url})`).join('\n')}`));
  }
  const nav: Button[] = [];
  if (page > 0) nav.push({ id: `lesson:page:${lesson.id}:${page - 1}`, label: '◂ Back', style: 'secondary' });
  if (!last) nav.push({ id: `lesson:page:${lesson.id}:${page + 1}`, label: 'Next page ▸', style: 'primary' });
  if (last && lesson.quiz.length) nav.push({ id: `lesson:quiz:${lesson.id}`, label: 'Quiz me', style: 'success' });
  if (last && lesson.flashcards.length) nav.push({ id: `lesson:cards:${lesson.id}`, label: 'Flashcards', style: 'secondary' });
  if (last && lesson.challenge) nav.push({ id: `lesson:challenge:${lesson.challenge}`, label: 'Challenge', style: 'secondary' });
  if (nav.length) blocks.push(buttons(...nav));
  blocks.push(
    note(
      `${track?.title ?? lesson.track} · lesson ${index} of ${total} · \`${lesson.id}\`` +
        (pages.length > 1 ? ` · page ${page + 1}/${pages.length}` : ''),
    ),
  );
  return { title: lesson.title, blocks };
}

/** A quiz question as posted in a channel: options as text, one button per option. */
export function renderQuestion(content: Content, question: QuizQuestion, postId: string, closesAt: number, now: number): Message {
  const lesson = content.lessonById.get(question.lessonId);
  const blocks: Block[] = [text(question.question)];
  if (question.code) blocks.push(code(question.code.replace(/\n$/, '')));
  blocks.push(text(question.options.map((o, i) => `**${LETTERS[i]}.** ${o.text}`).join('\n')));
  blocks.push(
    buttons(
      ...question.options.map((_, i) => ({ id: `quiz:answer:${postId}:${i}`, label: LETTERS[i]!, style: 'primary' as const })),
    ),
  );
  const hours = Math.max(1, Math.round((closesAt - now) / 3_600_000));
  blocks.push(note(`${content.trackById.get(question.track)?.title ?? question.track} · from “${lesson?.title ?? question.lessonId}” · open for ${hours} h`));
  return { title: 'Quiz', blocks };
}

export function renderAnswer(content: Content, outcome: AnswerOutcome): Message {
  const q = outcome.question;
  const right = q.options.findIndex((o) => o.correct);
  const chosen = q.options[outcome.choice]!;
  const lines: string[] = [];
  if (outcome.correct) {
    lines.push(`✅ **Correct!** ${chosen.why}`);
  } else {
    lines.push(`❌ **Not quite.** You chose **${LETTERS[outcome.choice]}**: ${chosen.why}`);
    lines.push(`The answer is **${LETTERS[right]}. ${q.options[right]!.text}**: ${q.options[right]!.why}`);
  }
  const footer: string[] = [];
  if (outcome.points) footer.push(`+${outcome.points} points`);
  if (!outcome.scored) footer.push('practice round: only your first answer to a question scores');
  if (outcome.streak.extended) footer.push(`🔥 streak: ${outcome.streak.current} day${outcome.streak.current === 1 ? '' : 's'}`);
  const lesson = content.lessonById.get(q.lessonId);
  if (lesson) footer.push(`review: \`/lesson show ${lesson.id}\``);
  return { blocks: [text(lines.join('\n\n')), note(footer.join(' · '))], private: true };
}

export function renderCardFront(card: Flashcard, reps: number, queueNote: string): Message {
  return {
    title: 'Flashcard',
    blocks: [
      text(card.front),
      buttons({ id: `flashcards:reveal:${card.id}:${reps}`, label: 'Show answer', style: 'primary' }),
      note(queueNote),
    ],
    private: true,
  };
}

export function formatInterval(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${Math.max(1, m)}m`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.round(h / 24);
  if (d < 60) return `${d}d`;
  const mo = Math.round(d / 30);
  return mo < 24 ? `${mo}mo` : `${Math.round(d / 365)}y`;
}

export function renderCardBack(card: Flashcard, reps: number, intervals: Record<number, number>): Message {
  const labels = [
    { grade: 1, label: 'Again', style: 'danger' as const },
    { grade: 2, label: 'Hard', style: 'secondary' as const },
    { grade: 3, label: 'Good', style: 'success' as const },
    { grade: 4, label: 'Easy', style: 'primary' as const },
  ];
  return {
    title: 'Flashcard',
    blocks: [
      text(card.front),
      text(`**Answer**\n${card.back}`),
      buttons(
        ...labels.map((l) => ({
          id: `flashcards:rate:${card.id}:${reps}:${l.grade}`,
          label: `${l.label} · ${formatInterval(intervals[l.grade] ?? 0)}`,
          style: l.style,
        })),
      ),
      note('How well did you remember? Your answer schedules the next review.'),
    ],
    private: true,
  };
}

export function renderChallenge(ch: Challenge, content: Content): Message {
  const visible = ch.cases.filter((c) => !c.hidden);
  const hidden = ch.cases.length - visible.length;
  const track = content.trackById.get(ch.track)?.title ?? ch.track;
  return {
    title: `Challenge: ${ch.title}`,
    blocks: [
      text(ch.statement.trim()),
      code(ch.starter.replace(/\n+$/, ''), 'python', 'Starter code'),
      note(
        `${track} · ${ch.difficulty} · ${ch.points} points · ${visible.length} visible + ${hidden} hidden tests · ` +
          `submit with \`/submit ${ch.id}\` and your code in a code block`,
      ),
    ],
  };
}

const MEDALS = ['🥇', '🥈', '🥉'];

export function renderLeaderboard(view: LeaderboardView, title: string, unit: string): Message {
  const line = (s: { rank: number; name: string; score: number }) =>
    `${MEDALS[s.rank - 1] ?? `**${s.rank}.**`} ${s.name} — ${s.score} ${unit}`;
  const blocks: Block[] = [];
  if (view.top.length === 0) blocks.push(text('Nobody is on this board yet. Answer a `/quiz` to be the first!'));
  else blocks.push(text(view.top.map(line).join('\n')));
  if (view.me && !view.top.some((s) => s.userId === view.me!.userId)) blocks.push(text(`…\n${line(view.me)} (you)`));
  else if (!view.me) blocks.push(note('You are not on this board yet.'));
  return { title, blocks };
}

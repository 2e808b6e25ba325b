import { plainName, userText } from '../src/chat/user-text.js';
import type { Button, Message } from '../src/chat/reply.js';
import { buttons, message, note, text } from '../src/chat/reply.js';
import { activityHeat, progressSummary, type ProgressSummary } from '../src/learning/progress.js';
import { reviewId } from './flashcards.js';
import { command, view } from './kit.js';
import { showId as leaderboardId } from './leaderboard.js';
import { showId as lessonId } from './lesson.js';
import { newQuizId } from './quiz.js';
import { startReviewId } from './review.js';
import { HEAT_DAYS, profilePicture, withPicture } from './views/cards.js';
import { bar, plural } from './views/format.js';

/** Mastery in words, as shown beside each track. */
export const MASTERY_WORDS = {
  mastered: 'mastered: you would recall it now',
  solid: 'solid: mostly there',
  shaky: 'shaky: due for another look',
  new: 'new: not started',
} as const;

/** One line per track: its mastery as a bar and a word, how much of it is read, and how its lessons stand. */
export function trackBars(p: ProgressSummary): string {
  return p.tracks
    .map((t) => {
      const m = p.mastery.tracks.find((x) => x.track === t.id)!;
      const counts = (['mastered', 'solid', 'shaky'] as const)
        .filter((k) => m.counts[k])
        .map((k) => `${m.counts[k]} ${k}`)
        .join(', ');
      return `\`${bar(Math.round(m.score * 100), 100)}\` **${userText(t.title, 80)}** — ${m.label} · read ${t.read}/${t.total}${counts ? ` · ${counts}` : ''}`;
    })
    .join('\n');
}

/** The shaky lessons, weakest first, and what brings them back. */
function shakyLine(p: ProgressSummary): string | undefined {
  if (!p.shaky.length) return undefined;
  const names = p.shaky.slice(0, 3).map((l) => `“${l.title}”`);
  return `**Shaky:** ${names.join(', ')}${p.shaky.length > 3 ? ` and ${p.shaky.length - 3} more` : ''} — \`/review\` brings them back.`;
}

const MASTERY_NOTE =
  'Mastery joins what you would recall of each lesson’s flashcards now, your recent quiz answers and its challenge: ' +
  `${MASTERY_WORDS.mastered}; ${MASTERY_WORDS.solid}; ${MASTERY_WORDS.shaky}; ${MASTERY_WORDS.new}.`;

/** The Slack App Home tab: the learner's study desk, with buttons into the commands they use most. */
export function homeMessage(name: string, p: ProgressSummary): Message {
  const streak =
    p.streak.current === 0
      ? '🔥 **Streak:** none running: answer a quiz, review flashcards or pass a challenge to start one today'
      : `🔥 **Streak:** ${plural(p.streak.current, 'day')} (longest ${p.streak.longest})${p.streak.activeToday ? ' — today counts ✅' : ' — study today to keep it!'}` +
        (p.streak.freezes ? ` · 🧊 ${plural(p.streak.freezes, 'freeze')} held` : '');
  const controls: Button[] = [
    {
      id: reviewId.encode({}),
      label: p.dueCards ? `Review flashcards (${p.dueCards} due)` : 'Review flashcards',
      style: p.dueCards ? 'primary' : 'secondary',
    },
    {
      id: startReviewId.encode({}),
      label: p.shaky.length ? `Start my review (${plural(p.shaky.length, 'shaky lesson')})` : 'Start my review',
      style: 'secondary',
    },
    { id: newQuizId.encode({}), label: 'Quiz me', style: 'secondary' },
    { id: lessonId.encode({ lesson: p.nextLesson.id }), label: 'Read the next lesson', style: 'secondary' },
    { id: leaderboardId.encode({ board: 'week' }), label: 'Leaderboard', style: 'secondary' },
  ];
  return {
    title: `${plainName(name)}'s study desk`,
    blocks: [
      text(
        [
          streak,
          `⭐ **Points:** ${p.points.total} all time · ${p.points.week} this week${p.weekRank ? ` · rank **#${p.weekRank}** this week` : ''}`,
          `🃏 **Flashcards due:** ${p.dueCards}`,
          `📖 **Next lesson:** ${p.nextLesson.title}`,
          `✅ **Lessons read:** ${p.lessonsRead} of ${p.lessonsTotal} · **challenges solved:** ${p.solved} of ${p.challengesTotal}`,
        ].join('\n'),
      ),
      buttons(...controls),
      { kind: 'divider' },
      text(trackBars(p)),
      ...(shakyLine(p) ? [text(shakyLine(p)!)] : []),
      note(MASTERY_NOTE),
      note('Answers to these buttons arrive in the Messages tab. In any channel: `/help` lists every command.'),
    ],
  };
}

export default command({
  name: 'progress',
  description: 'Your points, rank, streak, due cards and course progress',
  async handle({ ctx, scope, services }) {
    const who = { ...scope, userId: ctx.userId, channelId: ctx.channelId };
    const p = progressSummary(services.db, services.content, who);
    const reply = message(
      [
        text(
          [
            `**Points:** ${p.points.total} all time · ${p.points.week} this week${p.weekRank ? ` (#${p.weekRank})` : ''}`,
            `**Streak:** ${plural(p.streak.current, 'day')} (longest ${p.streak.longest})${p.streak.freezes ? ` · 🧊 ${plural(p.streak.freezes, 'freeze')} held` : ''}`,
            `**Flashcards due:** ${p.dueCards}`,
            `**Lessons read:** ${p.lessonsRead} of ${p.lessonsTotal} · **challenges solved:** ${p.solved} of ${p.challengesTotal}`,
          ].join('\n'),
        ),
        text(trackBars(p)),
        ...(shakyLine(p) ? [text(shakyLine(p)!)] : []),
        note(MASTERY_NOTE),
        note(`Up next: “${p.nextLesson.title}” — /lesson show ${p.nextLesson.id}`),
      ],
      { title: `${plainName(ctx.userName)}'s progress` },
    );
    const heat = activityHeat(services.db, who, HEAT_DAYS);
    return withPicture(services, reply, () => profilePicture(ctx.userName, p, heat));
  },
  views: [
    view('home', async ({ ctx, scope, services }) =>
      homeMessage(ctx.userName, progressSummary(services.db, services.content, { ...scope, userId: ctx.userId, channelId: ctx.channelId })),
    ),
  ],
});

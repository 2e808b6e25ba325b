import { DateTime } from 'luxon';
import type { Grade } from 'ts-fsrs';
import { componentId } from '../src/chat/component-id.js';
import type { Scope } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import type { Message } from '../src/chat/reply.js';
import { buttons, note, privateMessage, text } from '../src/chat/reply.js';
import type { Flashcard } from '../src/content/types.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import { cardStats, previewIntervals, RATINGS, rateCard, reviewQueue } from '../src/learning/flashcards.js';
import type { Services } from '../src/services.js';
import { localDay, startOfLocalDay } from '../src/time.js';
import { command, on, sub } from './kit.js';
import { requireTrack } from './lookups.js';
import { formatInterval } from './views/format.js';

/** flashcards:reveal:1:<card>:<reps> — reps is the review count the button was made for. */
const revealId = componentId('flashcards', 'reveal', { card: 'str', reps: 'int' });
/** flashcards:rate:1:<card>:<reps>:<grade> */
const rateId = componentId('flashcards', 'rate', { card: 'str', reps: 'int', grade: 'int' });
/** flashcards:review:1 — "Review flashcards" outside a session (the Slack Home tab). */
export const reviewId = componentId('flashcards', 'review');

const RATING_STYLES = { 1: 'danger', 2: 'secondary', 3: 'success', 4: 'primary' } as const;

export function renderCardFront(card: Flashcard, reps: number, queueNote: string): Message {
  return {
    title: 'Flashcard',
    blocks: [
      text(unwrapParagraphs(card.front)),
      buttons({ id: revealId.encode({ card: card.id, reps }), label: 'Show answer', style: 'primary' }),
      note(queueNote),
    ],
    private: true,
  };
}

export function renderCardBack(card: Flashcard, reps: number, intervals: Record<number, number>): Message {
  return {
    title: 'Flashcard',
    blocks: [
      text(unwrapParagraphs(card.front)),
      text(`**Answer**\n${unwrapParagraphs(card.back)}`),
      buttons(
        ...RATINGS.map((r) => ({
          id: rateId.encode({ card: card.id, reps, grade: r.grade }),
          label: `${r.label} · ${formatInterval(intervals[r.grade] ?? 0)}`,
          style: RATING_STYLES[r.grade],
        })),
      ),
      note('How well did you remember? Your answer schedules the next review.'),
    ],
    private: true,
  };
}

/** The next card of the session, or the all-done message. */
export function nextCardMessage(
  services: Services,
  scope: Scope,
  userId: string,
  filter: { track?: string; lessonId?: string },
  lead?: string,
): Message {
  const { ws, now, zone } = scope;
  const { content, config } = services;
  const q = reviewQueue(services.db, content, { ws, userId, now, zone, newPerDay: config.newCardsPerDay, ...filter });
  if (!q.next) {
    const when = q.nextDueAt ? `Your next card is due in ${formatInterval(q.nextDueAt - now)}.` : '';
    const newCards = q.newLeftToday === 0 ? ` You have met today's ${config.newCardsPerDay} new cards; more tomorrow.` : '';
    return {
      title: 'Flashcards',
      blocks: [
        ...(lead ? [text(lead)] : []),
        text(`🎉 **All caught up!** Nothing is due right now.${newCards} ${when}`.trim()),
        note('`/flashcards stats` shows your progress.'),
      ],
      private: true,
    };
  }
  const status = q.next.isNew ? `new card · ${q.newLeftToday} new left today` : `${q.dueNow} due now`;
  const lesson = content.lessonById.get(q.next.card.lessonId);
  const m = renderCardFront(q.next.card, q.next.reps, `${status} · from “${lesson?.title ?? ''}”`);
  return lead ? { ...m, blocks: [text(lead), ...m.blocks] } : m;
}

export default command({
  name: 'flashcards',
  description: 'Review your due flashcards (spaced repetition) or see your stats',
  examples: ['/flashcards review', '/flashcards review asyncio', '/flashcards stats'],
  defaultSubcommand: 'review',
  private: true,
  subcommands: [
    sub({
      name: 'review',
      description: 'Review due cards, then new ones up to the daily limit',
      options: [{ name: 'track', description: 'Only cards from this track', type: 'string', autocomplete: 'tracks' }],
      async handle({ options, ctx, scope, services }) {
        const track = requireTrack(services.content, options.track);
        return { kind: 'message', message: nextCardMessage(services, scope, ctx.userId, track ? { track } : {}) };
      },
    }),
    sub({
      name: 'stats',
      description: 'Your flashcard progress',
      async handle({ ctx, scope, services }) {
        const { ws, now, zone } = scope;
        const endOfDay =
          DateTime.fromMillis(startOfLocalDay(localDay(now, zone), zone), { zone })
            .plus({ days: 1 })
            .toMillis() - 1;
        const s = cardStats(services.db, services.content, {
          ws,
          userId: ctx.userId,
          now,
          zone,
          newPerDay: services.config.newCardsPerDay,
          endOfDay,
        });
        const retention = s.retention30d === undefined ? 'no reviews yet' : `${Math.round(s.retention30d * 100)}% remembered`;
        return privateMessage(
          [
            text(
              [
                `**Due now:** ${s.dueNow} · **due by the end of today:** ${s.dueToday}`,
                `**Reviewed today:** ${s.reviewedToday} · **new today:** ${s.newToday} of ${s.newPerDay}`,
                `**Cards seen:** ${s.total} of ${s.total + s.unseen} (learning ${s.byState.learning + s.byState.relearning}, in review ${s.byState.review})`,
                `**Last 30 days:** ${retention}`,
              ].join('\n'),
            ),
            note('Run /flashcards review to study.'),
          ],
          { title: 'Your flashcards' },
        );
      },
    }),
  ],
  components: [
    on(revealId, async ({ id, ctx, scope, services }) => {
      const card = services.content.cardById.get(id.card);
      if (!card) throw new UserError('That flashcard has been retired from the course.', 'Run /flashcards review to continue.');
      const intervals = previewIntervals(services.db, { ws: scope.ws, userId: ctx.userId, cardId: card.id, now: scope.now });
      return { kind: 'message', message: renderCardBack(card, id.reps, intervals), update: true };
    }),
    on(rateId, async ({ id, ctx, scope, services }) => {
      const rating = RATINGS.find((r) => r.grade === id.grade);
      if (!rating) throw new UserError('That rating button is not valid.', 'Run /flashcards review to continue.');
      const outcome = rateCard(services.db, services.content, {
        ws: scope.ws,
        userId: ctx.userId,
        cardId: id.card,
        expectedReps: id.reps,
        rating: rating.grade as Grade,
        now: scope.now,
        zone: scope.zone,
      });
      if (outcome.kind === 'retired') throw new UserError('That flashcard has been retired from the course.', 'Run /flashcards review to continue.');
      if (outcome.kind === 'stale') throw new UserError('You already rated this card.', 'Run /flashcards review to continue with the next one.');
      const streak = outcome.streak.extended ? ` · 🔥 streak: ${outcome.streak.current} day${outcome.streak.current === 1 ? '' : 's'}` : '';
      const lead = `Rated **${rating.label}**: you'll see that card again in ${formatInterval(outcome.due - scope.now)}.${streak}`;
      return { kind: 'message', message: nextCardMessage(services, scope, ctx.userId, {}, lead), update: true };
    }),
    on(reviewId, async ({ ctx, scope, services }) => ({ kind: 'message', message: nextCardMessage(services, scope, ctx.userId, {}) })),
  ],
});

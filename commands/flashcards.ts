import type { Grade } from 'ts-fsrs';
import type { Command } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { note, privateMessage, text, type Message, type Reply } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { cardStats, previewIntervals, rateCard, RATINGS, reviewQueue } from '../src/learning/flashcards.js';
import { formatInterval, renderCardBack, renderCardFront } from '../src/learning/render.js';
import { startOfLocalDay, localDay } from '../src/learning/time.js';
import { DateTime } from 'luxon';
import type { ChatContext } from '../src/chat/context.js';
import type { Services } from '../src/services.js';

/** The next card of the session, or the all-done message. */
export function nextCardMessage(
  ctx: ChatContext,
  services: Services,
  filter: { track?: string; lessonId?: string },
  lead?: string,
): Message {
  const { ws, now, zone } = scope(ctx, services);
  const q = reviewQueue(services.db, services.content, {
    ws,
    userId: ctx.userId,
    now,
    zone,
    newPerDay: services.config.newCardsPerDay,
    ...filter,
  });
  if (!q.next) {
    const when = q.nextDueAt ? `Your next card is due in ${formatInterval(q.nextDueAt - now)}.` : '';
    const newCards = q.newLeftToday === 0 ? ` You have met today's ${services.config.newCardsPerDay} new cards; more tomorrow.` : '';
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
  const status = q.next.isNew
    ? `new card · ${q.newLeftToday} new left today`
    : `${q.dueNow} due now`;
  const lesson = services.content.lessonById.get(q.next.card.lessonId);
  const m = renderCardFront(q.next.card, q.next.reps, `${status} · from “${lesson?.title ?? ''}”`);
  return lead ? { ...m, blocks: [text(lead), ...m.blocks] } : m;
}

export default {
  name: 'flashcards',
  description: 'Review your due flashcards (spaced repetition) or see your stats',
  examples: ['/flashcards review', '/flashcards review asyncio', '/flashcards stats'],
  defaultSubcommand: 'review',
  private: true,
  subcommands: [
    {
      name: 'review',
      description: 'Review due cards, then new ones up to the daily limit',
      options: [{ name: 'track', description: 'Only cards from this track', type: 'string', autocomplete: 'tracks' }],
      async handle(call, ctx, services) {
        const track = call.options.track === undefined ? undefined : String(call.options.track).toLowerCase();
        if (track && !services.content.trackById.has(track)) {
          throw new UserError(`There is no track "${track}".`, `Tracks: ${services.content.tracks.map((t) => t.id).join(', ')}`);
        }
        return { kind: 'message', message: nextCardMessage(ctx, services, track ? { track } : {}) };
      },
    },
    {
      name: 'stats',
      description: 'Your flashcard progress',
      async handle(_call, ctx, services) {
        const { ws, now, zone } = scope(ctx, services);
        const endOfDay = DateTime.fromMillis(startOfLocalDay(localDay(now, zone), zone), { zone }).plus({ days: 1 }).toMillis() - 1;
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
    },
  ],
  components: {
    /** flashcards:reveal:<cardId>:<reps> */
    async reveal(call, ctx, services) {
      const { ws, now } = scope(ctx, services);
      const [cardId = '', reps = '0'] = call.args;
      const card = services.content.cardById.get(cardId);
      if (!card) throw new UserError('That flashcard has been retired from the course.', 'Run /flashcards review to continue.');
      const intervals = previewIntervals(services.db, { ws, userId: ctx.userId, cardId, now });
      return { kind: 'message', message: renderCardBack(card, Number(reps), intervals), update: true };
    },
    /** flashcards:rate:<cardId>:<reps>:<grade> */
    async rate(call, ctx, services) {
      const { ws, now, zone } = scope(ctx, services);
      const [cardId = '', reps = '', grade = ''] = call.args;
      const rating = Number(grade);
      const label = RATINGS.find((r) => r.grade === rating)?.label;
      if (!label) throw new UserError('That rating button is not valid.', 'Run /flashcards review to continue.');
      const outcome = rateCard(services.db, services.content, {
        ws,
        userId: ctx.userId,
        cardId,
        expectedReps: Number(reps),
        rating: rating as Grade,
        now,
        zone,
      });
      const streak = outcome.streak.extended ? ` · 🔥 streak: ${outcome.streak.current} day${outcome.streak.current === 1 ? '' : 's'}` : '';
      const lead = `Rated **${label}**: you'll see that card again in ${formatInterval(outcome.due - now)}.${streak}`;
      const reply: Reply = { kind: 'message', message: nextCardMessage(ctx, services, {}, lead), update: true };
      return reply;
    },
  },
} satisfies Command;

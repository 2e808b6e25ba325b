import { DateTime } from 'luxon';
import { type Grade, Rating } from 'ts-fsrs';
import { componentId } from '../src/chat/component-id.js';
import type { Scope } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import type { Message } from '../src/chat/reply.js';
import { buttons, note, privateMessage, text } from '../src/chat/reply.js';
import type { Flashcard } from '../src/content/types.js';
import { cardReps, cardStats, previewIntervals, RATINGS, rateCard, reviewQueue } from '../src/learning/flashcards.js';
import { type Boost, cardFor, missedCards, missedChoice, missedQuestionOf } from '../src/learning/mistakes.js';
import { ankiText } from '../src/text/anki.js';
import { isShowing, noteRating, openSession, type Session, sessionOf, show } from '../src/learning/sessions.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import type { Services } from '../src/services.js';
import { localDay, startOfLocalDay } from '../src/time.js';
import { boardsChanged } from './leaderboard.js';
import { command, on, sub } from './kit.js';
import { celebrate } from './milestones.js';
import { requireTrack, trackLabel, trackName } from './lookups.js';
import { formatInterval } from './views/format.js';

/** flashcards:reveal:2:<session>:<card>:<reps> — only the card the session shows, at that review count. */
const revealId = componentId('flashcards', 'reveal', { session: 'str', card: 'str', reps: 'int' }, 2);
/** flashcards:rate:2:<session>:<card>:<reps>:<grade> */
const rateId = componentId('flashcards', 'rate', { session: 'str', card: 'str', reps: 'int', grade: 'int' }, 2);
/** flashcards:review:1 — "Review flashcards" outside a session (the Slack Home tab). */
export const reviewId = componentId('flashcards', 'review');

const RATING_STYLES = { 1: 'danger', 2: 'secondary', 3: 'success', 4: 'primary' } as const;

/** Why a mistake brought a card back, in the learner's words and zone ("you missed this in a quiz on Tue 3 Mar"). */
export function boostReason(services: Services, boost: Boost, card: Flashcard, zone: string): string {
  const when = DateTime.fromMillis(boost.at, { zone }).toFormat('ccc d LLL');
  const where = boost.source === 'round' ? 'a quiz round' : boost.source === 'review' ? 'a review' : 'a quiz';
  if (boost.source === 'challenge') {
    const ch = boost.challengeId ? services.content.challengeById.get(boost.challengeId) : undefined;
    return `🔁 Back because your solution to “${ch?.title ?? boost.challengeId}” did not pass on ${when}.`;
  }
  if (missedQuestionOf(card.id)) return `❌ You missed this in ${where} on ${when}.`;
  return `🔁 Back because you missed a question on this lesson in ${where} on ${when}.`;
}

/** A missed-question card's back says what the learner chose and why it is not right. */
export function withChoice(services: Services, ws: string, userId: string, card: Flashcard): Flashcard {
  const questionId = missedQuestionOf(card.id);
  const q = questionId ? services.content.questionById.get(questionId) : undefined;
  const missed = questionId ? missedChoice(services.db, ws, userId, questionId) : undefined;
  const chosen = missed && q?.options[missed.choice];
  if (!chosen || chosen.correct) return card;
  return { ...card, back: `${card.back}\n\nYou chose **${chosen.text}**: ${chosen.why}` };
}

/** The ids a card's buttons carry: a flashcard session's, or a /review session's. */
export interface CardButtons {
  reveal: string;
  rate: (grade: number) => string;
}

/** The buttons of a card shown in a flashcard session, at that review count. */
export function sessionButtons(session: Session, cardId: string, reps: number): CardButtons {
  return {
    reveal: revealId.encode({ session: session.id, card: cardId, reps }),
    rate: (grade) => rateId.encode({ session: session.id, card: cardId, reps, grade }),
  };
}

export function renderCardFront(ids: CardButtons, card: Flashcard, queueNote: string, reason?: string): Message {
  return {
    title: 'Flashcard',
    blocks: [
      ...(reason ? [note(reason)] : []),
      text(unwrapParagraphs(card.front)),
      buttons({ id: ids.reveal, label: 'Show answer', style: 'primary' }),
      note(queueNote),
    ],
    private: true,
  };
}

export function renderCardBack(ids: CardButtons, card: Flashcard, intervals: Record<number, number>): Message {
  return {
    title: 'Flashcard',
    blocks: [
      text(unwrapParagraphs(card.front)),
      text(`**Answer**\n${unwrapParagraphs(card.back)}`),
      buttons(
        ...RATINGS.map((r) => ({
          id: ids.rate(r.grade),
          label: `${r.label} · ${formatInterval(intervals[r.grade] ?? 0)}`,
          style: RATING_STYLES[r.grade],
        })),
      ),
      note('How well did you remember? Your answer schedules the next review.'),
    ],
    private: true,
  };
}

const scopeName = (services: Services, s: Session) =>
  s.lessonId ? `“${services.content.lessonById.get(s.lessonId)?.title ?? s.lessonId}”` : s.track ? trackName(services.content, s.track) : undefined;

/**
 * The session's next card, or the all-done message: due cards and new ones in the session's scope,
 * then the cards rated Again in it (they come back before it ends).
 */
function nextInSession(services: Services, scope: Scope, session: Session, lead?: string): Message {
  const { ws, now, zone } = scope;
  const { content, config, db } = services;
  const q = reviewQueue(db, content, {
    ws,
    userId: session.userId,
    now,
    zone,
    newPerDay: config.newCardsPerDay,
    ...(session.track && { track: session.track }),
    ...(session.lessonId && { lessonId: session.lessonId }),
  });
  const within = scopeName(services, session);
  const withLead = (m: Message) => (lead ? { ...m, blocks: [text(lead), ...m.blocks] } : m);
  if (q.next) {
    const shown = show(db, session, { id: q.next.card.id, reps: q.next.reps }, now);
    const status = q.next.boost ? `${q.dueNow} due now` : q.next.isNew ? `new card · ${q.newLeftToday} new left today` : `${q.dueNow} due now`;
    const lesson = content.lessonById.get(q.next.card.lessonId);
    const reason = q.next.boost && boostReason(services, q.next.boost, q.next.card, zone);
    return withLead(
      renderCardFront(
        sessionButtons(shown, q.next.card.id, q.next.reps),
        q.next.card,
        `${status}${within ? ` in ${within}` : ''}${lesson ? ` · from “${lesson.title}”` : ''}`,
        reason,
      ),
    );
  }
  const again = session.again.map((id) => cardFor(content, id)).find((c) => c !== undefined);
  if (again) {
    const reps = cardReps(db, ws, session.userId, again.id);
    const shown = show(db, session, { id: again.id, reps }, now);
    return withLead(renderCardFront(sessionButtons(shown, again.id, reps), again, 'you rated this one Again: one more look before this review ends'));
  }
  show(db, session, undefined, now);
  const when = q.nextDueAt ? `Your next card${within ? ` in ${within}` : ''} is due in ${formatInterval(q.nextDueAt - now)}.` : '';
  const newCards = q.newLeftToday === 0 ? ` You have met today's ${config.newCardsPerDay} new cards; more tomorrow.` : '';
  return withLead({
    title: 'Flashcards',
    blocks: [
      text(`🎉 **All caught up${within ? ` in ${within}` : ''}!** Nothing is due right now.${newCards} ${when}`.trim()),
      note('`/flashcards stats` shows your progress.'),
    ],
    private: true,
  });
}

/** Opens a review for the learner (the whole course, a track, or one lesson) and shows its first card. */
export function startReview(services: Services, scope: Scope, userId: string, filter: { track?: string; lessonId?: string }): Message {
  const session = openSession(services.db, { ws: scope.ws, userId, track: filter.track, lessonId: filter.lessonId, now: scope.now });
  return nextInSession(services, scope, session);
}

/** The session a button names, showing the card it names: anything else is refused, changing nothing. */
function requireShowing(services: Services, scope: Scope, userId: string, id: { session: string; card: string; reps: number }): Session {
  const session = sessionOf(services.db, id.session, { ws: scope.ws, userId });
  if (!session || !isShowing(session, id.card, id.reps)) {
    throw new UserError(
      'That card is not the one your review is showing (an older message, or someone else’s).',
      'Run /flashcards review to continue.',
    );
  }
  return session;
}

export default command({
  name: 'flashcards',
  description: 'Review your due flashcards (spaced repetition) or see your stats',
  examples: ['/flashcards review', '/flashcards review asyncio', '/flashcards stats', '/flashcards export asyncio'],
  defaultSubcommand: 'review',
  private: true,
  subcommands: [
    sub({
      name: 'review',
      description: 'Review due cards, then new ones up to the daily limit',
      options: [{ name: 'track', description: 'Only cards from this track', type: 'string', autocomplete: 'tracks' }],
      async handle({ options, ctx, scope, services }) {
        const track = requireTrack(services.content, options.track);
        return { kind: 'message', message: startReview(services, scope, ctx.userId, track ? { track } : {}) };
      },
    }),
    sub({
      name: 'export',
      description: 'The cards as a file Anki imports (all tracks, or one)',
      options: [{ name: 'track', description: 'Only cards from this track', type: 'string', autocomplete: 'tracks' }],
      async handle({ options, ctx, scope, services }) {
        const { content } = services;
        const track = requireTrack(content, options.track);
        const course = [...content.cardById.values()].filter((c) => !track || c.track === track);
        const missed = missedCards(services.db, content, scope.ws, ctx.userId, track);
        const notes = [
          ...course.map((c) => ({
            card: c,
            deck: `studybot::${trackLabel(content, c.track)}`,
            tags: ['studybot', c.track, c.lessonId, ...c.tags].filter(Boolean),
          })),
          // Missed questions, with what the learner chose, in a deck of their own.
          ...missed.map((c) => ({
            card: withChoice(services, scope.ws, ctx.userId, c),
            deck: 'studybot::Missed questions',
            tags: ['studybot', c.track, c.lessonId, 'missed'].filter(Boolean),
          })),
        ].map(({ card, deck, tags }) => ({ guid: `studybot-${card.id}`, front: card.front, back: card.back, deck, tags }));
        const name = `studybot-${track ?? 'course'}-flashcards.txt`;
        const lines = [`**${course.length} cards** from ${track ? trackName(content, track) : `all ${content.tracks.length} tracks`}`];
        if (missed.length) lines.push(`and **${missed.length}** made from questions you missed`);
        return privateMessage(
          [
            text(`📦 ${lines.join(' ')}, in ${name}.`),
            note(
              'In Anki (2.1.55 or later): File → Import and pick the file; the decks, tags and card ids come with it, so importing a newer export updates these cards instead of adding copies. Your review history here stays here.',
            ),
          ],
          {
            title: 'Flashcards export',
            files: [
              { name, data: Buffer.from(ankiText(notes), 'utf8'), contentType: 'text/plain', description: 'Flashcards in Anki’s text import format' },
            ],
          },
        );
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
      const session = requireShowing(services, scope, ctx.userId, id);
      const card = cardFor(services.content, id.card);
      if (!card) throw new UserError('That flashcard has been retired from the course.', 'Run /flashcards review to continue.');
      const intervals = previewIntervals(services.db, { ws: scope.ws, userId: ctx.userId, cardId: card.id, now: scope.now });
      return {
        kind: 'message',
        message: renderCardBack(sessionButtons(session, card.id, id.reps), withChoice(services, scope.ws, ctx.userId, card), intervals),
        update: true,
      };
    }),
    on(rateId, async ({ id, ctx, scope, services }) => {
      const session = requireShowing(services, scope, ctx.userId, id);
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
        workspaceZone: scope.workspaceZone,
        newPerDay: services.config.newCardsPerDay,
      });
      if (outcome.kind === 'retired') throw new UserError('That flashcard has been retired from the course.', 'Run /flashcards review to continue.');
      if (outcome.kind === 'stale') throw new UserError('You already rated this card.', 'Run /flashcards review to continue with the next one.');
      if (outcome.kind === 'allowance') {
        throw new UserError(
          `You have met today's ${services.config.newCardsPerDay} new cards.`,
          'More new cards tomorrow; due reviews go on as usual.',
        );
      }
      if (outcome.points) await boardsChanged(services, scope.ws);
      const after = noteRating(services.db, session, id.card, rating.grade === Rating.Again, scope.now);
      const streak = outcome.streak.extended ? ` · 🔥 streak: ${outcome.streak.current} day${outcome.streak.current === 1 ? '' : 's'}` : '';
      const extra = await celebrate(services, ctx, outcome.streak);
      const lead = [`Rated **${rating.label}**: you'll see that card again in ${formatInterval(outcome.due - scope.now)}.${streak}`, ...extra].join(
        '\n',
      );
      return { kind: 'message', message: nextInSession(services, scope, after, lead), update: true };
    }),
    on(reviewId, async ({ ctx, scope, services }) => ({ kind: 'message', message: startReview(services, scope, ctx.userId, {}) })),
  ],
});

import { trackName } from './lookups.js';
import { DateTime } from 'luxon';
import { type Grade, Rating } from 'ts-fsrs';
import { componentId } from '../src/chat/component-id.js';
import type { ChatContext, Scope } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import type { Block, Message } from '../src/chat/reply.js';
import { buttons, note, text } from '../src/chat/reply.js';
import { cardReps, previewIntervals, RATINGS, rateCard } from '../src/learning/flashcards.js';
import { masteryLabel, masteryOf } from '../src/learning/mastery.js';
import { cardFor, dueRetries } from '../src/learning/mistakes.js';
import { answer, createPost, getPost, optionOrder } from '../src/learning/quizzes.js';
import {
  cardBoost,
  moveReview,
  openReview,
  planReview,
  type ReviewSession,
  reviewOf,
  reviewSize,
  sessionAnswers,
  setItemPost,
} from '../src/learning/review.js';
import type { Services } from '../src/services.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import { boostReason, type CardButtons, renderCardBack, renderCardFront, withChoice } from './flashcards.js';
import { command, on } from './kit.js';
import { boardsChanged } from './leaderboard.js';
import { celebrate } from './milestones.js';
import { optionLine, questionHead, renderAnswer } from './quiz.js';
import { formatInterval, LETTERS } from './views/format.js';

/** review:reveal:2:<session>:<at>:<reps> — only the item the session is at, as it was when shown. */
const revealId = componentId('review', 'reveal', { session: 'str', at: 'int', reps: 'int' }, 2);
/** review:rate:2:<session>:<at>:<reps>:<grade> */
const rateId = componentId('review', 'rate', { session: 'str', at: 'int', reps: 'int', grade: 'int' }, 2);
/** review:answer:1:<session>:<at>:<n> — the n-th option as shown. */
export const reviewAnswerId = componentId('review', 'answer', { session: 'str', at: 'int', option: 'int' });
/** review:next:1:<session>:<at> — past a challenge to try again later. */
const nextId = componentId('review', 'next', { session: 'str', at: 'int' });
/** review:start:1 — "Start my review" outside a session (the Slack Home tab). */
export const startReviewId = componentId('review', 'start');

/** A review's question stays answerable for a day: the learner may come back to it. */
const QUESTION_OPEN_MS = 24 * 3_600_000;
/** A card rated Again comes back before the session ends, at most this many more times. */
const AGAIN_LOOKS = 2;

const pct = (score: number | undefined) => `${Math.round((score ?? 0) * 100)}%`;

function progressNote(s: ReviewSession): string {
  return `Review · ${s.position + 1} of ${s.items.length}`;
}

const lessonTitle = (services: Services, lessonId: string) => services.content.lessonById.get(lessonId)?.title ?? lessonId;
/** Where a card comes from: its lesson, or the workspace's own deck (whose cards have no lesson). */
const cardSource = (services: Services, card: { lessonId: string; track: string }) =>
  card.lessonId ? `from “${lessonTitle(services, card.lessonId)}”` : `from ${trackName(services.content, card.track)}`;

/** The item the session is at, shown; items that left the course are passed over. */
function showItem(services: Services, scope: Scope, ctx: ChatContext, session: ReviewSession, lead: Block[] = []): Message {
  const { db, content } = services;
  let s = session;
  for (;;) {
    const item = s.items[s.position];
    if (!item) return summary(services, scope, s, lead);
    const skip = () => moveReview(db, s, s.position, { position: s.position + 1, now: scope.now }) ?? s;
    if (item.kind === 'card') {
      const card = cardFor(content, item.id);
      if (!card) {
        s = skip();
        continue;
      }
      const boost = cardBoost(db, scope.ws, s.userId, card.id);
      // The card's review count goes into its buttons: a rating from this message is refused once
      // the card was rated anywhere else (another review, /flashcards, an older message).
      const at = { session: s.id, at: s.position, reps: cardReps(db, scope.ws, s.userId, card.id) };
      const ids: CardButtons = { reveal: revealId.encode(at), rate: (grade) => rateId.encode({ ...at, grade }) };
      const m = renderCardFront(
        ids,
        card,
        `${progressNote(s)} · ${cardSource(services, card)}`,
        boost && boostReason(services, boost, card, scope.zone),
      );
      return { ...m, title: 'Review', blocks: [...lead, ...m.blocks] };
    }
    if (item.kind === 'question') {
      const q = content.questionById.get(item.id);
      if (!q) {
        s = skip();
        continue;
      }
      let post = item.post ? getPost(db, item.post) : undefined;
      if (!post) {
        post = createPost(db, {
          ws: scope.ws,
          channelId: ctx.channelId,
          question: q,
          source: 'review',
          createdBy: s.userId,
          now: scope.now,
          openMs: QUESTION_OPEN_MS,
          random: services.random,
        });
        s = setItemPost(db, s, s.position, post.id, scope.now);
      }
      const order = optionOrder(post, q);
      return {
        title: 'Review',
        blocks: [
          ...lead,
          ...questionHead(q),
          text(order.map((option, shown) => optionLine(q, option, shown)).join('\n')),
          buttons(
            ...order.map((_, i) => ({
              id: reviewAnswerId.encode({ session: s.id, at: s.position, option: i }),
              label: LETTERS[i]!,
              style: 'primary' as const,
            })),
          ),
          note(`${progressNote(s)} · ${q.difficulty} · a question on “${lessonTitle(services, q.lessonId)}”, which is shaky for you`),
        ],
        private: true,
      };
    }
    const ch = content.challengeById.get(item.id);
    if (!ch) {
      s = skip();
      continue;
    }
    const retry = dueRetries(db, scope.ws, s.userId, scope.now).find((r) => r.challengeId === ch.id);
    // Passed since the review was planned: nothing left to retry.
    if (!retry) {
      s = skip();
      continue;
    }
    const when = ` on ${DateTime.fromMillis(retry.failedAt, { zone: scope.zone }).toFormat('ccc d LLL')}`;
    return {
      title: 'Review',
      blocks: [
        ...lead,
        text(
          `🔁 **Time to try “${ch.title}” again.** Your solution did not pass${when}; a few days later is when a second attempt teaches most.\n\n` +
            `${unwrapParagraphs(ch.statement.trim()).split('\n\n')[0]}`,
        ),
        note(
          `\`/challenges show ${ch.id}\` shows the whole statement and starter code; \`/submit ${ch.id}\` with your code in a code block grades it.`,
        ),
        buttons({
          id: nextId.encode({ session: s.id, at: s.position }),
          label: s.position + 1 < s.items.length ? 'Later: next item' : 'Later: finish',
          style: 'secondary',
        }),
        note(progressNote(s)),
      ],
      private: true,
    };
  }
}

/** The end of a session: what was done, and what moved in the learner's mastery. */
function summary(services: Services, scope: Scope, s: ReviewSession, lead: Block[]): Message {
  const { db, content } = services;
  const after = masteryOf(db, content, { ws: scope.ws, userId: s.userId, now: scope.now, workspaceZone: scope.workspaceZone });
  const moved = content.lessons
    .map((l) => ({ lesson: l, before: s.before[l.id], after: after.lessons.get(l.id)?.score }))
    .filter((m) => m.after !== undefined && Math.abs(m.after - (m.before ?? 0)) >= 0.005)
    .sort((a, b) => b.after! - (b.before ?? 0) - (a.after! - (a.before ?? 0)));
  const cards = new Set(s.items.filter((i) => i.kind === 'card').map((i) => i.id)).size;
  const { answered, right } = sessionAnswers(db, s);
  const done = [`${cards} card${cards === 1 ? '' : 's'} reviewed`];
  if (answered) done.push(`${right} of ${answered} question${answered === 1 ? '' : 's'} right`);
  const lines = moved.slice(0, 6).map((m) => {
    const from = masteryLabel(m.before);
    const to = masteryLabel(m.after);
    const arrow = m.after! >= (m.before ?? 0) ? '📈' : '📉';
    return `${arrow} **${m.lesson.title}**: ${from === to ? to : `${from} → ${to}`} (${pct(m.before)} → ${pct(m.after)})`;
  });
  if (moved.length > 6) lines.push(`…and ${moved.length - 6} more lessons.`);
  const totalBefore = Object.values(s.before).reduce((a, b) => a + b, 0);
  return {
    title: 'Review — done',
    blocks: [
      ...lead,
      text(`✅ **Review done:** ${done.join(', ')}.`),
      text(lines.length ? `**What moved**\n${lines.join('\n')}` : 'Your mastery held steady: what you knew, you still know.'),
      note(
        `Knowledge retained: ${totalBefore.toFixed(1)} → ${after.total.toFixed(1)} lessons’ worth (\`/leaderboard mastery\`). ` +
          'Come back tomorrow: `/review` picks what is due then.',
      ),
    ],
    private: true,
  };
}

/** Opens today's review for the learner and shows its first item, or says there is nothing to do. */
export function startReview(services: Services, scope: Scope, ctx: ChatContext): Message {
  const { db, content } = services;
  const size = reviewSize(db, scope.ws, ctx.userId);
  const plan = planReview(db, content, { ws: scope.ws, userId: ctx.userId, now: scope.now, workspaceZone: scope.workspaceZone, size });
  if (!plan.items.length) {
    return {
      title: 'Review',
      blocks: [
        text('🎉 **Nothing to review right now:** no cards are due, none of your lessons is shaky, and no challenge is waiting for a second try.'),
        note('`/flashcards review` brings in new cards, `/lesson next` the next lesson, `/quiz` a question for the channel.'),
      ],
      private: true,
    };
  }
  const session = openReview(db, { ws: scope.ws, userId: ctx.userId, items: plan.items, before: plan.before, now: scope.now });
  return showItem(services, scope, ctx, session);
}

/** The session a button names, at the item it names: anything else is refused, changing nothing. */
function requireAt(
  services: Services,
  scope: Scope,
  userId: string,
  id: { session: string; at: number },
  kind: ReviewSession['items'][number]['kind'],
): ReviewSession {
  const s = reviewOf(services.db, id.session, { ws: scope.ws, userId });
  if (!s) throw new UserError('That review is not yours, or it no longer exists.', 'Run /review to start your own.');
  if (s.position !== id.at || s.items[id.at]?.kind !== kind)
    throw new UserError('Your review has moved past that item (a double click, or an older message).', 'Run /review to carry on with a fresh one.');
  return s;
}

export default command({
  name: 'review',
  description: 'Your daily review: due cards, then questions from shaky lessons, then a challenge to retry',
  examples: ['/review', '/settings review 20'],
  about:
    'The review is chosen from what you know: cards that are due come first (a card a mistake brought back comes before the rest and says why), ' +
    'then questions from lessons that are shaky for you, then a challenge whose last solution did not pass, when its time to try again has come. ' +
    'It holds up to the size you set with `/settings review` (15 unless you change it) and ends with what moved in your mastery.',
  private: true,
  async handle({ ctx, scope, services }) {
    return { kind: 'message', message: startReview(services, scope, ctx) };
  },
  components: [
    on(revealId, async ({ id, ctx, scope, services }) => {
      const s = requireAt(services, scope, ctx.userId, id, 'card');
      const card = cardFor(services.content, s.items[id.at]!.id);
      // A card of the workspace's own deck can be removed while a review shows it.
      if (!card) throw new UserError('That card has been removed.', 'Run /review to carry on with the rest.');
      const intervals = previewIntervals(services.db, { ws: scope.ws, userId: ctx.userId, cardId: card.id, now: scope.now });
      const ids: CardButtons = { reveal: revealId.encode(id), rate: (grade) => rateId.encode({ ...id, grade }) };
      const m = renderCardBack(ids, withChoice(services, scope.ws, ctx.userId, card), intervals);
      return { kind: 'message', message: { ...m, title: 'Review', blocks: [...m.blocks, note(progressNote(s))] }, update: true };
    }),
    on(rateId, async ({ id, ctx, scope, services }) => {
      const { db, content } = services;
      const s = requireAt(services, scope, ctx.userId, id, 'card');
      const cardId = s.items[id.at]!.id;
      const rating = RATINGS.find((r) => r.grade === id.grade);
      if (!rating) throw new UserError('That rating button is not valid.', 'Run /review to carry on.');
      const outcome = rateCard(db, content, {
        ws: scope.ws,
        userId: ctx.userId,
        cardId,
        expectedReps: id.reps,
        rating: rating.grade as Grade,
        now: scope.now,
        zone: scope.zone,
        workspaceZone: scope.workspaceZone,
        newPerDay: services.config.newCardsPerDay,
      });
      // Again: one more look before the review ends.
      const again =
        rating.grade === Rating.Again &&
        s.items.slice(id.at + 1).every((i) => i.id !== cardId) &&
        s.items.filter((i) => i.id === cardId).length <= AGAIN_LOOKS;
      const moved = moveReview(db, s, id.at, {
        position: id.at + 1,
        items: again ? [...s.items, { kind: 'card', id: cardId }] : s.items,
        now: scope.now,
      });
      if (!moved) throw new UserError('You already rated this card.', 'Run /review to carry on.');
      const lead: string[] = [];
      if (outcome.kind === 'rated') {
        if (outcome.points) await boardsChanged(services, scope.ws);
        lead.push(
          `Rated **${rating.label}**: you'll see that card again in ${formatInterval(outcome.due - scope.now)}.${again ? ' It comes back once more before this review ends.' : ''}`,
        );
        lead.push(...(await celebrate(services, ctx, outcome.streak)));
      } else if (outcome.kind === 'stale') {
        lead.push('That card was rated elsewhere since this review showed it, so this rating was not counted.');
      }
      return {
        kind: 'message',
        message: showItem(
          services,
          scope,
          ctx,
          moved,
          [text(lead.join('\n'))].filter(() => lead.length > 0),
        ),
        update: true,
      };
    }),
    on(reviewAnswerId, async ({ id, ctx, scope, services }) => {
      const { db, content } = services;
      const s = requireAt(services, scope, ctx.userId, id, 'question');
      const item = s.items[id.at]!;
      if (item.kind !== 'question' || !item.post) throw new UserError('That question is not on screen in your review.', 'Run /review to carry on.');
      const outcome = answer(db, content, {
        ws: scope.ws,
        channelId: ctx.channelId,
        postId: item.post,
        userId: ctx.userId,
        shown: id.option,
        now: scope.now,
        zone: scope.zone,
        workspaceZone: scope.workspaceZone,
      });
      if (outcome.kind === 'bad-choice') throw new UserError('That answer is not one of the options.', 'Pick one of the buttons under the question.');
      if (outcome.kind !== 'answered' && outcome.kind !== 'already')
        throw new UserError('That question can no longer be answered here.', 'Run /review to start a fresh review.');
      const moved = moveReview(db, s, id.at, { position: id.at + 1, now: scope.now });
      if (!moved) throw new UserError('You already answered this one.', 'Run /review to carry on.');
      if (outcome.kind === 'already') {
        return {
          kind: 'message',
          message: showItem(services, scope, ctx, moved, [text('You had answered this question already; on to the next item.')]),
          update: true,
        };
      }
      if (outcome.points) await boardsChanged(services, scope.ws);
      const verdict = renderAnswer(content, outcome, await celebrate(services, ctx, outcome.streak));
      return { kind: 'message', message: showItem(services, scope, ctx, moved, verdict.blocks), update: true };
    }),
    on(nextId, async ({ id, ctx, scope, services }) => {
      const s = requireAt(services, scope, ctx.userId, id, 'challenge');
      const moved = moveReview(services.db, s, id.at, { position: id.at + 1, now: scope.now });
      if (!moved) throw new UserError('Your review has moved on already.', 'Run /review to carry on.');
      return { kind: 'message', message: showItem(services, scope, ctx, moved), update: true };
    }),
    on(startReviewId, async ({ ctx, scope, services }) => ({ kind: 'message', message: startReview(services, scope, ctx) })),
  ],
});

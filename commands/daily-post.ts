import { trackLabel, trackName } from './lookups.js';
import { type Conversation, splitWorkspaceKey } from '../src/chat/context.js';
import type { Message } from '../src/chat/reply.js';
import { note, text } from '../src/chat/reply.js';
import { deckTrackOf, withWorkspaceContent } from '../src/learning/decks.js';
import { peekNext, setCurrentLesson } from '../src/learning/lessons.js';
import type { DailyConfig } from '../src/schedule/daily.js';
import type { Services } from '../src/services.js';
import { renderLessonPage } from './lesson.js';
import { postQuestion } from './quiz.js';

const trackTitle = (services: Services, id: string | undefined) => (id ? trackName(services.content, id) : '');

/** The "track complete" post that ends a track, saying what comes next. */
function completeMessage(
  services: Services,
  cfg: DailyConfig,
  completed: string,
  next: { lesson?: string; switchedTo?: string; wrapped?: boolean },
): Message {
  const what =
    next.lesson === undefined
      ? 'That was the last lesson of this feed: the daily posts stop here. An admin can start another with `/config daily`.'
      : next.wrapped
        ? 'That was the whole course: tomorrow it starts again from the beginning.'
        : next.switchedTo
          ? `Next up: the *${trackTitle(services, next.switchedTo)}* track, starting today.`
          : cfg.track
            ? `The feed starts *${trackTitle(services, cfg.track)}* again from its first lesson, today.`
            : '';
  return {
    title: 'Track complete',
    blocks: [text(`🎉 **${trackTitle(services, completed)} is complete!** Well done, everyone.`), ...(what ? [note(what)] : [])],
  };
}

/**
 * What a channel's daily post is: its next lesson (of its track, when it walks one) and a question
 * on it for the channel; at the end of a track, a "track complete" post and what the feed's
 * setting says comes next. The channel moves on only once the lesson is delivered, so a post that
 * fails is posted again by the retry, never skipped. Called by the daily scheduler
 * (src/schedule/daily.ts) and `/config daily now`.
 */
export async function postDailyLesson(shared: Services, cfg: DailyConfig, _day: string): Promise<void> {
  const ws = cfg.workspace;
  const services = withWorkspaceContent(shared, ws);
  const { db, content, clock, outbox } = services;
  const to: Conversation = { ...splitWorkspaceKey(ws), channelId: cfg.channelId };
  const deck = deckTrackOf(content);
  if (deck && cfg.track === deck.id) return postDeckDay(services, cfg, to);
  const step = peekNext(db, content, ws, cfg.channelId, { track: cfg.track ?? undefined, afterTrack: cfg.afterTrack });
  if (step.completedTrack && (cfg.track || step.wrapped)) {
    await outbox.deliver(
      to,
      completeMessage(services, cfg, step.completedTrack, {
        ...(step.lesson && { lesson: step.lesson.id }),
        ...(step.switchedTo && { switchedTo: step.switchedTo }),
        ...(step.wrapped && { wrapped: true }),
      }),
    );
  }
  const now = clock.now();
  if (!step.lesson) {
    await services.daily.finish(ws, cfg.channelId, now);
    return;
  }
  const lesson = step.lesson;
  await outbox.deliver(to, renderLessonPage(content, lesson, 0, "📅 **Today's lesson**"));
  setCurrentLesson(db, ws, cfg.channelId, lesson, now);
  if (step.switchedTo) await services.daily.moveTrack(ws, cfg.channelId, step.switchedTo);
  // The question goes with it; the lesson is what the day is for, so a failed question only logs.
  try {
    const question = await postQuestion(
      services,
      { ws, now, channelId: cfg.channelId },
      { source: 'daily', ...(lesson.quiz.length ? { lessonId: lesson.id } : { track: lesson.track }) },
    );
    if (question) await outbox.deliver(to, question);
  } catch (err) {
    services.logger.warn({ err, ws, channel: cfg.channelId, lesson: lesson.id }, "posting the daily lesson's question failed");
  }
}

/**
 * A feed that walks the workspace's own deck has no lessons to post: each day it asks one of the
 * deck's questions (ones the channel has not had first), and points to its cards.
 */
async function postDeckDay(services: Services, cfg: DailyConfig, to: Conversation): Promise<void> {
  const { content, clock, outbox } = services;
  const track = cfg.track!;
  const title = trackTitle(services, track);
  const cards = [...content.cardById.values()].filter((c) => c.track === track).length;
  const cardsLine = cards ? ` · ${cards} card${cards === 1 ? '' : 's'} to review with \`/flashcards ${track}\`` : '';
  const question = await postQuestion(services, { ws: cfg.workspace, now: clock.now(), channelId: cfg.channelId }, { source: 'daily', track });
  await outbox.deliver(to, {
    title: `Today from ${trackLabel(services.content, track)}`,
    blocks: [
      text(question ? `📅 **Today's question** from *${title}*, this group's own deck.` : `📅 *${title}* has no questions, only cards.`),
      note(`Practise more with \`/quiz ${track}\`${cardsLine}`),
    ],
  });
  if (question) await outbox.deliver(to, question);
}

import { componentId } from '../src/chat/component-id.js';
import { type Conversation, splitWorkspaceKey } from '../src/chat/context.js';
import { UserError } from '../src/chat/errors.js';
import type { Message } from '../src/chat/reply.js';
import { buttons, message, note, privateMessage, text } from '../src/chat/reply.js';
import { userText } from '../src/chat/user-text.js';
import { createPost, getPost, pickQuestion, QUIZ_POINTS, revealPost, roomView, roundAnswers, settleRoundQuestion } from '../src/learning/quizzes.js';
import {
  activeRound,
  awardRoundPoints,
  GUESS_PENALTY,
  GUESS_WINDOW_MS,
  getRound,
  ROUND_LIMITS,
  type Round,
  roundStandings,
  speedPoints,
  startRound,
  updateRound,
} from '../src/learning/rounds.js';
import { getUser, userTimeZone, workspaceTimeZone } from '../src/learning/users.js';
import type { Services } from '../src/services.js';
import { countEdit, withinEditBudget } from './edits.js';
import { command, on, sub } from './kit.js';
import { boardsChanged } from './leaderboard.js';
import { requireTrack } from './lookups.js';
import { DIFFICULTIES, leftIn, postKey, renderQuestion, renderReveal } from './quiz.js';
import { MEDALS } from './views/format.js';

/** round:stop:1:<round> — for the learner who started it, or an admin. */
const stopId = componentId('round', 'stop', { round: 'str' });

/** A pause between a reveal and the next question, so the room can read the answer. */
export const BETWEEN_MS = 6000;
/** Standings are posted after every this many questions. */
const STANDINGS_EVERY = 3;

const channelOf = (r: Round): Conversation => ({ ...splitWorkspaceKey(r.workspace), channelId: r.channelId });

function standingsText(services: Services, r: Round, podium: boolean): string {
  const rows = roundStandings(services.db, r.workspace, r.id);
  if (!rows.length) return 'Nobody has scored yet.';
  return rows
    .slice(0, podium ? 10 : 5)
    .map((row, i) => `${(podium && MEDALS[i]) || `**${i + 1}.**`} ${userText(row.name)} — ${row.points} points`)
    .join('\n');
}

/** The countdown footer of a round's question. */
const roundFooter = (r: Round, closesAt: number, now: number) => `round question ${r.index + 1} of ${r.questions} · ⏱️ ${leftIn(closesAt - now)} left`;

const questionTitle = (r: Round) => `Round — question ${r.index + 1} of ${r.questions}`;

/**
 * Asks the round's next question, or ends the round when it has asked them all. Safe to run again
 * after a crash at any point: a question already asked is posted if it never was, and its reveal
 * is scheduled, never a second question.
 */
export async function askNext(services: Services, roundId: string): Promise<void> {
  const { db, content, clock, random } = services;
  const r = getRound(db, roundId);
  if (!r) return;
  if (r.state === 'asking' && r.postId) return ensureAsked(services, r);
  if (r.state !== 'between') return;
  if (r.index >= r.questions) return finishRound(services, r, 'done');
  const asked = new Set(JSON.parse(r.asked) as string[]);
  const question = pickQuestion(db, content, r.workspace, '', {
    track: r.track ?? undefined,
    difficulty: r.difficulty ?? undefined,
    exclude: asked,
    random,
  });
  if (!question) return finishRound(services, r, 'done');
  const now = clock.now();
  const asking = db.transaction((tx) => {
    const current = getRound(tx, r.id);
    if (current?.state !== 'between' || current.index !== r.index) return undefined;
    const post = createPost(tx, {
      ws: r.workspace,
      channelId: r.channelId,
      question,
      source: 'round',
      createdBy: r.startedBy,
      now,
      openMs: r.seconds * 1000,
      random,
      round: { id: r.id, index: r.index },
    });
    return updateRound(tx, r.id, { state: 'asking', postId: post.id, asked: JSON.stringify([...asked, question.id]), updatedAt: now });
  });
  if (asking) await ensureAsked(services, asking);
}

/** Posts a round's current question (unless it was) and schedules its countdown edits and its reveal. */
async function ensureAsked(services: Services, r: Round): Promise<void> {
  const { db, content, clock, outbox, timers } = services;
  const room = r.postId ? roomView(db, content, r.postId) : undefined;
  if (!room) return;
  const { post } = room;
  const now = clock.now();
  const ws = r.workspace;
  // The reveal first: whatever happens to the post, the round moves on.
  await timers.at('round-reveal', post.id, post.closesAt - now, { ws, round: r.id, post: post.id });
  if (!outbox.hasLive(postKey(post.id))) {
    await outbox.deliver(
      channelOf(r),
      renderQuestion(content, room.question, post, now, room, { title: questionTitle(r), footer: roundFooter(r, post.closesAt, now) }),
    );
  }
  // The countdown is edited twice (half time, five seconds left), well within every platform's edit limits.
  const ms = r.seconds * 1000;
  const half = post.createdAt + Math.round(ms / 2) - now;
  if (half > 0) await timers.at('round-tick', `${post.id}:half`, half, { ws, post: post.id });
  const last = post.closesAt - 5000 - now;
  if (ms > 12_000 && last > 0) await timers.at('round-tick', `${post.id}:end`, last, { ws, post: post.id });
}

/** A burst of answers to a round's question: its count is edited, within the workspace's edit budget. */
export async function refreshRoundCount(services: Services, postId: string): Promise<void> {
  const post = getPost(services.db, postId);
  if (!post || post.revealedAt !== null) return;
  if (!(await withinEditBudget(services, { ws: post.workspace, channelId: post.channelId }, { kind: 'round-refresh', key: postId }))) return;
  await tickRound(services, postId, { counted: true });
}

/** Edits a round question's countdown and count of answers. */
export async function tickRound(services: Services, postId: string, opts: { counted?: boolean } = {}): Promise<void> {
  const room = roomView(services.db, services.content, postId);
  if (!room || room.post.revealedAt !== null || !room.post.roundId) return;
  const r = getRound(services.db, room.post.roundId);
  if (r?.state !== 'asking') return;
  const now = services.clock.now();
  if (!opts.counted) await countEdit(services, { ws: r.workspace, channelId: r.channelId });
  await services.outbox.editLive(
    postKey(postId),
    renderQuestion(services.content, room.question, room.post, now, room, {
      title: questionTitle(r),
      footer: roundFooter(r, room.post.closesAt, now),
    }),
  );
}

/**
 * Reveals a round's question and scores it: a right answer earns more the sooner it came, a wrong
 * one in the first two seconds costs points. Then standings every few questions, and the next
 * question after a pause. Each step happens once, whatever retries or restarts.
 */
export async function revealRoundQuestion(services: Services, roundId: string, postId: string): Promise<void> {
  const { db, content, clock, outbox, timers } = services;
  const r = getRound(db, roundId);
  if (!r || r.postId !== postId) return;
  const now = clock.now();
  const first = revealPost(db, postId, now);
  const room = roomView(db, content, postId);
  if (!room) return;
  const max = QUIZ_POINTS[room.question.difficulty] * 2;
  const limit = r.seconds * 1000;
  const workspaceZone = workspaceTimeZone(db, r.workspace, services.config.defaultTimeZone);
  const lines: string[] = [];
  for (const a of roundAnswers(db, postId).sort((x, y) => x.at - y.at)) {
    const t = a.at - room.post.createdAt;
    const amount = a.correct ? speedPoints(max, t, limit) : t < GUESS_WINDOW_MS ? -GUESS_PENALTY : 0;
    if (amount === 0) continue;
    if (awardRoundPoints(db, { ws: r.workspace, roundId: r.id, index: r.index, userId: a.userId, amount, now, workspaceZone })) {
      const name = getUser(db, r.workspace, a.userId)?.displayName ?? a.userId;
      lines.push(`${amount > 0 ? '⚡' : '🎲'} ${userText(name)} ${amount > 0 ? '+' : ''}${amount}`);
    }
  }
  if (first || r.state === 'asking')
    settleRoundQuestion(db, content, { postId, now, workspaceZone, zoneOf: (userId) => userTimeZone(db, r.workspace, userId, workspaceZone) });
  if (lines.length) await boardsChanged(services, r.workspace);
  if (first || r.state === 'asking') {
    const reveal = renderReveal(content, room, { title: `${questionTitle(r)}, revealed`, lines });
    // A question whose post never made it (a crash, a platform error) is revealed as a new message.
    await countEdit(services, { ws: r.workspace, channelId: r.channelId });
    if (!(await outbox.editLive(postKey(postId), reveal))) await outbox.deliver(channelOf(r), reveal);
  }
  if (r.state !== 'asking' && r.state !== 'between') return;
  const moved = db.transaction((tx) => {
    const current = getRound(tx, r.id);
    if (current?.state !== 'asking' || current.postId !== postId) return undefined;
    return updateRound(tx, r.id, { state: 'between', index: current.index + 1, updatedAt: now });
  });
  // A retried reveal whose round moved on already makes sure the next question is scheduled, no more.
  const next = moved ?? getRound(db, r.id);
  if (next?.state !== 'between' || next.postId !== postId) return;
  await timers.at('round-ask', `${r.id}:${next.index}`, BETWEEN_MS, { ws: r.workspace, round: r.id });
  if (moved && next.index % STANDINGS_EVERY === 0 && next.index < next.questions) {
    await outbox
      .deliver(channelOf(next), { title: `Standings after ${next.index} questions`, blocks: [text(standingsText(services, next, false))] })
      .catch((err) => services.logger.warn({ err, round: r.id }, 'posting the standings failed'));
  }
}

/** Ends a round (all asked, or stopped) with its podium; once. */
export async function finishRound(services: Services, r: Round, state: 'done' | 'stopped'): Promise<void> {
  const now = services.clock.now();
  const ended = services.db.transaction((tx) => {
    const current = getRound(tx, r.id);
    if (!current || current.state === 'done' || current.state === 'stopped') return undefined;
    return updateRound(tx, r.id, { state, updatedAt: now });
  });
  if (!ended) return;
  if (ended.postId && revealPost(services.db, ended.postId, now)) {
    // The question on when the round stopped shows its answer (it scores nothing).
    await services.timers.cancel('round-reveal', ended.postId);
    const room = roomView(services.db, services.content, ended.postId);
    if (room) {
      await services.outbox
        .editLive(
          postKey(ended.postId),
          renderReveal(services.content, room, {
            title: `${questionTitle(ended)}, revealed`,
            lines: ['The round was stopped: this question does not score.'],
          }),
        )
        .catch((err) => services.logger.warn({ err, round: r.id }, 'revealing the last question failed'));
    }
  }
  await services.timers.cancel('round-ask', `${r.id}:${ended.index}`);
  const asked = (JSON.parse(ended.asked) as string[]).length;
  await services.outbox.deliver(channelOf(ended), {
    title: state === 'done' ? '🏁 Round over' : '⏹️ Round stopped',
    blocks: [text(standingsText(services, ended, true)), note(`${asked} question${asked === 1 ? '' : 's'} · the points count on this week's board`)],
  });
}

function roundStarted(r: Round): Message {
  return {
    title: '🎯 Quiz round',
    blocks: [
      text(
        `**${r.questions} questions, ${r.seconds} s each**${r.track ? ` from *${r.track}*` : ''}${r.difficulty ? ` (${r.difficulty})` : ''}: the first one comes in a few seconds.\n` +
          'Answer with the buttons: right answers score more the sooner they come, and you can change your answer until the reveal. ' +
          `A wrong answer in the first ${GUESS_WINDOW_MS / 1000} s costs ${GUESS_PENALTY} points.`,
      ),
      buttons({ id: stopId.encode({ round: r.id }), label: 'Stop the round', style: 'danger' }),
    ],
  };
}

export default command({
  name: 'round',
  description: 'A timed quiz round for the whole channel: answer fast, see how the room voted',
  examples: ['/round', '/round asyncio 5 30', '/round start track:web questions:10 seconds:20 difficulty:hard', '/round stop'],
  about:
    `One question at a time for the whole channel (default ${ROUND_LIMITS.questions.default} questions of ${ROUND_LIMITS.seconds.default} s; ` +
    `${ROUND_LIMITS.questions.min}–${ROUND_LIMITS.questions.max} questions, ${ROUND_LIMITS.seconds.min}–${ROUND_LIMITS.seconds.max} s). ` +
    'Answer with the buttons; you can change your answer until the reveal. A right answer earns up to twice the question’s quiz points ' +
    `(easy ${QUIZ_POINTS.easy * 2}, medium ${QUIZ_POINTS.medium * 2}, hard ${QUIZ_POINTS.hard * 2}) at once, falling to half at the last second: ` +
    `points = max × (1 − t / (2T)). A wrong answer in the first ${GUESS_WINDOW_MS / 1000} s costs ${GUESS_PENALTY} points. ` +
    'Standings come every three questions, a podium at the end, and round points count on the weekly board. ' +
    'One round per channel; its starter or an admin can stop it.',
  defaultSubcommand: 'start',
  subcommands: [
    sub({
      name: 'start',
      description: 'Start a round in this channel (one at a time)',
      options: [
        { name: 'track', description: 'Only questions from this track', type: 'string', autocomplete: 'tracks' },
        {
          name: 'questions',
          description: `How many questions (${ROUND_LIMITS.questions.min}-${ROUND_LIMITS.questions.max}, default ${ROUND_LIMITS.questions.default})`,
          type: 'integer',
          min: ROUND_LIMITS.questions.min,
          max: ROUND_LIMITS.questions.max,
        },
        {
          name: 'seconds',
          description: `Seconds per question (${ROUND_LIMITS.seconds.min}-${ROUND_LIMITS.seconds.max}, default ${ROUND_LIMITS.seconds.default})`,
          type: 'integer',
          min: ROUND_LIMITS.seconds.min,
          max: ROUND_LIMITS.seconds.max,
        },
        { name: 'difficulty', description: 'Only questions of this difficulty', type: 'string', choices: DIFFICULTIES },
      ],
      async handle({ options, ctx, scope, services }) {
        const track = requireTrack(services.content, options.track);
        const started = startRound(services.db, {
          ws: scope.ws,
          channelId: ctx.channelId,
          startedBy: ctx.userId,
          track,
          difficulty: options.difficulty,
          questions: options.questions ?? ROUND_LIMITS.questions.default,
          seconds: options.seconds ?? ROUND_LIMITS.seconds.default,
          now: scope.now,
        });
        if ('busy' in started)
          throw new UserError('A round is already running in this channel.', 'Join in with the buttons on its question, or wait for its podium.');
        await services.timers.at('round-ask', `${started.round.id}:0`, 3000, { ws: scope.ws, round: started.round.id });
        return message(roundStarted(started.round).blocks, { title: '🎯 Quiz round' });
      },
    }),
    sub({
      name: 'stop',
      description: "Stop this channel's round (its starter or an admin)",
      async handle({ ctx, scope, services }) {
        const r = activeRound(services.db, scope.ws, ctx.channelId);
        if (!r) throw new UserError('No round is running in this channel.', 'Start one with /round.');
        return stop(services, r, ctx.userId, ctx.isAdmin);
      },
    }),
  ],
  components: [
    on(stopId, async ({ id, ctx, scope, services }) => {
      const r = getRound(services.db, id.round);
      if (!r || r.workspace !== scope.ws || (r.state !== 'asking' && r.state !== 'between')) throw new UserError('That round is over already.');
      return stop(services, r, ctx.userId, ctx.isAdmin);
    }),
  ],
});

async function stop(services: Services, r: Round, userId: string, isAdmin: boolean) {
  if (r.startedBy !== userId && !isAdmin) throw new UserError('Only the learner who started this round, or an admin, can stop it.');
  await finishRound(services, r, 'stopped');
  return privateMessage([text('The round is stopped; its podium is posted in the channel.')]);
}

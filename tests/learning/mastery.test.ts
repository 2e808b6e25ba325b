import { describe, expect, it } from 'vitest';
import { type Grade, Rating } from 'ts-fsrs';
import { cardStats, rateCard, reviewQueue } from '../../src/learning/flashcards.js';
import { masteryBoard, masteryLabel, masteryOf } from '../../src/learning/mastery.js';
import { dueRetries, missCardId, noteChallengeFailure, noteChallengePass, RETRY_DAYS } from '../../src/learning/mistakes.js';
import { award } from '../../src/learning/points.js';
import { answer, createPost, optionOrder } from '../../src/learning/quizzes.js';
import { addUser, fixtureContent, testDb } from '../support/db.js';

const WS = 'terminal:ws1';
const NOW = Date.parse('2026-03-02T10:00:00Z'); // a Monday
const DAY = 86_400_000;
const base = { ws: WS, channelId: 'general', zone: 'UTC', workspaceZone: 'UTC' };

function setup() {
  const { db } = testDb();
  const content = fixtureContent();
  for (const u of ['ada', 'bob', 'cy']) addUser(db, u, u.toUpperCase());
  return { db, content };
}

type Ctx = ReturnType<typeof setup>;

/** Posts a question and answers it right or wrong as `userId`. */
function answerQuestion({ db, content }: Ctx, userId: string, questionId: string, right: boolean, now: number) {
  const question = content.questionById.get(questionId)!;
  const post = createPost(db, { ws: WS, channelId: 'general', question, source: 'command', now, openMs: DAY, random: Math.random });
  const order = optionOrder(post, question);
  const rightShown = order.indexOf(question.options.findIndex((o) => o.correct));
  return answer(db, content, { ...base, postId: post.id, userId, shown: right ? rightShown : (rightShown + 1) % order.length, now });
}

function review(ctx: Ctx, userId: string, now: number) {
  return reviewQueue(ctx.db, ctx.content, { ws: WS, userId, now, zone: 'UTC', newPerDay: 10 });
}

function rateNext(ctx: Ctx, userId: string, now: number, rating: Grade = Rating.Good) {
  const q = review(ctx, userId, now);
  const next = q.next!;
  const r = rateCard(ctx.db, ctx.content, { ...base, userId, cardId: next.card.id, expectedReps: next.reps, rating, now, newPerDay: 10 });
  expect(r.kind).toBe('rated');
  return next;
}

describe('mistakes come back', () => {
  it('a wrong answer puts the missed question, then its lesson’s cards, first in the next review, saying why', () => {
    const ctx = setup();
    // Ada has studied the other lesson's card: it is due too, and older.
    rateNext(ctx, 'ada', NOW - 20 * DAY);
    expect(answerQuestion(ctx, 'ada', 'alpha-q-len', false, NOW).kind).toBe('answered');
    const first = review(ctx, 'ada', NOW + 1000).next!;
    expect(first.card.id).toBe(missCardId('alpha-q-len'));
    expect(first.card.front).toContain('len("abc")');
    expect(first.card.back).toContain('3');
    expect(first.boost).toMatchObject({ source: 'quiz', at: NOW, questionId: 'alpha-q-len' });
    rateNext(ctx, 'ada', NOW + 2000);
    // Then the lesson's own cards (alpha-first: print and len), before anything else that is due.
    const lessonCards = [rateNext(ctx, 'ada', NOW + 3000), rateNext(ctx, 'ada', NOW + 4000)].map((n) => n.card.id).sort();
    expect(lessonCards).toEqual(['alpha-fc-len', 'alpha-fc-print']);
    // Cards a mistake brought in do not use up the day's new cards, nor count as new in /flashcards stats.
    expect(review(ctx, 'ada', NOW + 5000).newLeftToday).toBe(10);
    const stats = cardStats(ctx.db, ctx.content, { ws: WS, userId: 'ada', now: NOW + 5000, zone: 'UTC', newPerDay: 10, endOfDay: NOW + DAY });
    expect(stats.newToday).toBe(0);
  });

  it('a failed challenge brings its lesson’s cards back and the challenge itself after a growing interval; a pass settles it', () => {
    const ctx = setup();
    const challenge = ctx.content.challengeById.get('add-two')!;
    noteChallengeFailure(ctx.db, ctx.content, { ws: WS, userId: 'bob', challenge, now: NOW, zone: 'UTC' });
    expect(review(ctx, 'bob', NOW).next!.boost).toMatchObject({ source: 'challenge', challengeId: 'add-two' });
    expect(dueRetries(ctx.db, WS, 'bob', NOW + RETRY_DAYS[0] * DAY - 1)).toEqual([]);
    expect(dueRetries(ctx.db, WS, 'bob', NOW + RETRY_DAYS[0] * DAY)).toMatchObject([{ challengeId: 'add-two', step: 1 }]);
    noteChallengeFailure(ctx.db, ctx.content, { ws: WS, userId: 'bob', challenge, now: NOW + 2 * DAY, zone: 'UTC' });
    expect(dueRetries(ctx.db, WS, 'bob', NOW + 2 * DAY + RETRY_DAYS[1] * DAY)).toMatchObject([{ step: 2 }]);
    expect(noteChallengePass(ctx.db, { ws: WS, userId: 'bob', challengeId: 'add-two', now: NOW + 3 * DAY })).toBe(true);
    expect(dueRetries(ctx.db, WS, 'bob', NOW + 100 * DAY)).toEqual([]);
  });

  it('failing again while debugging does not push the retry out; a challenge passed before gets no reminder', () => {
    const ctx = setup();
    const challenge = ctx.content.challengeById.get('add-two')!;
    // Five failing attempts in ten minutes: the retry is still the first step, a day after the last.
    for (let i = 0; i < 5; i++) noteChallengeFailure(ctx.db, ctx.content, { ws: WS, userId: 'cy', challenge, now: NOW + i * 150_000, zone: 'UTC' });
    const last = NOW + 4 * 150_000;
    expect(dueRetries(ctx.db, WS, 'cy', last + RETRY_DAYS[0] * DAY - 1)).toEqual([]);
    expect(dueRetries(ctx.db, WS, 'cy', last + RETRY_DAYS[0] * DAY)).toMatchObject([{ challengeId: 'add-two', step: 1 }]);
    // Ada passed it (her first pass earned its points); a later failing experiment is no gap to revisit.
    award(ctx.db, { ws: WS, userId: 'ada', amount: challenge.points, reason: 'challenge', ref: challenge.id, now: NOW, workspaceZone: 'UTC' });
    noteChallengeFailure(ctx.db, ctx.content, { ws: WS, userId: 'ada', challenge, now: NOW + DAY, zone: 'UTC' });
    expect(dueRetries(ctx.db, WS, 'ada', NOW + 100 * DAY)).toEqual([]);
  });
});

describe('mastery', () => {
  it('labels lessons new, shaky, solid or mastered from cards, answers and challenges, and fades as memory does', () => {
    const ctx = setup();
    const at = { ws: WS, userId: 'ada', workspaceZone: 'UTC' };
    expect(masteryOf(ctx.db, ctx.content, { ...at, now: NOW }).lessons.get('alpha-second')).toEqual({ score: undefined, label: 'new' });
    answerQuestion(ctx, 'ada', 'alpha-q-sum', true, NOW);
    const afterQuiz = masteryOf(ctx.db, ctx.content, { ...at, now: NOW }).lessons.get('alpha-second')!;
    expect(afterQuiz.label).toBe('shaky');
    rateNext(ctx, 'ada', NOW, Rating.Easy); // alpha-fc-print (new cards come in course order)
    const sum = ctx.content.cardById.get('alpha-fc-sum')!;
    rateCard(ctx.db, ctx.content, { ...base, userId: 'ada', cardId: sum.id, expectedReps: 0, rating: Rating.Easy, now: NOW, newPerDay: 10 });
    const fresh = masteryOf(ctx.db, ctx.content, { ...at, now: NOW + 1000 }).lessons.get('alpha-second')!;
    expect(fresh.label).toBe('mastered');
    // A year later the card is mostly forgotten and the answer long ago: no longer mastered.
    const later = masteryOf(ctx.db, ctx.content, { ...at, now: NOW + 365 * DAY }).lessons.get('alpha-second')!;
    expect(later.score!).toBeLessThan(fresh.score!);
    expect(later.label).not.toBe('mastered');
    expect(masteryLabel(0.1)).toBe('shaky');
    const track = masteryOf(ctx.db, ctx.content, { ...at, now: NOW + 1000 }).tracks.find((t) => t.track === 'alpha')!;
    expect(track.counts.mastered).toBe(1);
  });

  it('ranks the mastery board by knowledge retained, not activity, and most improved by this week’s gain', () => {
    const ctx = setup();
    const lastWeek = NOW - 7 * DAY;
    // Cy knows two lessons well from last week; Ada answered a lot this week, half of it wrong.
    for (const q of ['alpha-q-print', 'alpha-q-len', 'alpha-q-sum', 'beta-q-sorted']) answerQuestion(ctx, 'cy', q, true, lastWeek);
    for (const id of ['alpha-fc-print', 'alpha-fc-len', 'alpha-fc-sum']) {
      rateCard(ctx.db, ctx.content, { ...base, userId: 'cy', cardId: id, expectedReps: 0, rating: Rating.Easy, now: lastWeek, newPerDay: 10 });
    }
    for (let i = 0; i < 6; i++) answerQuestion(ctx, 'ada', i % 2 ? 'alpha-q-print' : 'alpha-q-len', i % 2 === 0, NOW + i * 1000);
    answerQuestion(ctx, 'bob', 'beta-q-sorted', true, NOW);
    const board = masteryBoard(ctx.db, ctx.content, { ws: WS, now: NOW + DAY, workspaceZone: 'UTC', callerId: 'ada' });
    // Six answers, half wrong, know less than one right answer: Bob ranks above busy Ada.
    expect(board.top.map((s) => s.userId)).toEqual(['cy', 'bob', 'ada']);
    expect(board.me?.userId).toBe('ada');
    const improved = masteryBoard(ctx.db, ctx.content, { ws: WS, now: NOW + DAY, workspaceZone: 'UTC', callerId: 'ada', improved: true });
    // Cy learned nothing new this week: not on the most improved board.
    expect(improved.top.map((s) => s.userId)).not.toContain('cy');
    expect(improved.top.map((s) => s.userId).sort()).toEqual(['ada', 'bob']);
  });
});

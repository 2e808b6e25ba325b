import { describe, expect, it } from 'vitest';
import type { QuizQuestion } from '../../src/content/types.js';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { type AnswerOutcome, answer, createPost, optionOrder, pickQuestion, QUIZ_POINTS, revealPost, roomView } from '../../src/learning/quizzes.js';
import { addUser, fixtureContent, testDb } from '../support/db.js';

const WS = 'terminal:ws1';
const NOW = Date.parse('2026-02-02T10:00:00Z');
const HOUR = 3_600_000;

/** The outcome of an answer that was recorded (the test fails if it was refused). */
function answered(o: AnswerOutcome) {
  if (o.kind !== 'answered') throw new Error(`expected the answer to be recorded, got ${o.kind}`);
  return o;
}

/** A random source that always gives the same sequence (so a post's order is known in advance). */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function setup(questionId = 'alpha-q-print', opts: { random?: () => number; round?: { id: string; index: number } } = {}) {
  const { db } = testDb();
  const content = fixtureContent();
  addUser(db, 'ada');
  addUser(db, 'bob');
  const question = content.questionById.get(questionId)!;
  const post = createPost(db, {
    ws: WS,
    channelId: 'general',
    question,
    source: opts.round ? 'round' : 'command',
    now: NOW,
    openMs: 24 * HOUR,
    random: opts.random ?? seeded(7),
    ...(opts.round && { round: opts.round }),
  });
  return { db, content, post, question };
}

/** The place on the post (the button) of the question's right option. */
const rightButton = (order: number[], q: QuizQuestion) => order.indexOf(q.options.findIndex((o) => o.correct));

const base = { ws: WS, channelId: 'general', zone: 'UTC', workspaceZone: 'UTC' };

describe('quiz answers', () => {
  it('scores a right first answer once, by difficulty; a second click is refused and scores nothing', () => {
    const { db, content, post, question } = setup();
    const order = optionOrder(post, question);
    const right = rightButton(order, question);
    const first = answered(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: right, now: NOW + 1000 }));
    expect(first).toMatchObject({ correct: true, scored: true, points: QUIZ_POINTS.easy, shown: right });
    expect(first.streak).toMatchObject({ current: 1, extended: true });
    const second = answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: (right + 1) % 4, now: NOW + 2000 });
    expect(second).toEqual({ kind: 'already', shown: right, correct: true });
    expect(pointsOf(db, WS, 'ada', NOW + 3000, 'UTC').total).toBe(QUIZ_POINTS.easy);
  });

  it('a harder question is worth more', () => {
    const { db, content, post, question } = setup('alpha-q-sum');
    const right = rightButton(optionOrder(post, question), question);
    expect(answered(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: right, now: NOW })).points).toBe(QUIZ_POINTS.medium);
    expect(QUIZ_POINTS.easy).toBeLessThan(QUIZ_POINTS.medium);
    expect(QUIZ_POINTS.medium).toBeLessThan(QUIZ_POINTS.hard);
  });

  it('each post has its own order, and the button clicked is judged by that order', () => {
    const { db, content, question } = setup();
    const orders = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const post = createPost(db, { ws: WS, channelId: 'general', question, source: 'command', now: NOW, openMs: HOUR, random: Math.random });
      orders.add(post.optionOrder);
      const order = optionOrder(post, question);
      expect([...order].sort()).toEqual([0, 1, 2, 3]);
      // The first button is right exactly when the right option was shuffled there.
      const o = answered(answer(db, content, { ...base, postId: post.id, userId: 'bob', shown: 0, now: NOW }));
      expect(o.correct).toBe(question.options[order[0]!]!.correct);
      expect(o.option).toBe(order[0]);
    }
    // 24 possible orders: forty posts show many of them.
    expect(orders.size).toBeGreaterThan(8);
  });

  it('a wrong answer scores nothing but still counts for the streak; the question then is practice', () => {
    const { db, content, post, question } = setup();
    const right = rightButton(optionOrder(post, question), question);
    const wrong = answered(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: (right + 1) % 4, now: NOW }));
    expect(wrong).toMatchObject({ correct: false, scored: true, points: 0 });
    expect(wrong.streak.extended).toBe(true);
    const again = createPost(db, { ws: WS, channelId: 'general', question, source: 'command', now: NOW, openMs: HOUR, random: seeded(3) });
    const practice = answer(db, content, {
      ...base,
      postId: again.id,
      userId: 'ada',
      shown: rightButton(optionOrder(again, question), question),
      now: NOW + 10,
    });
    expect(practice).toMatchObject({ correct: true, scored: false, points: 0 });
  });

  it('refuses answers after the question closed or was revealed, to unknown posts and to other workspaces, recording nothing', () => {
    const { db, content, post } = setup();
    expect(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: 0, now: NOW + 25 * HOUR })).toEqual({
      kind: 'closed',
      closedAt: NOW + 24 * HOUR,
    });
    expect(answer(db, content, { ...base, postId: 'nope', userId: 'ada', shown: 0, now: NOW })).toEqual({ kind: 'unknown-post' });
    expect(answer(db, content, { ...base, ws: 'discord:other', postId: post.id, userId: 'ada', shown: 0, now: NOW })).toEqual({
      kind: 'unknown-post',
    });
    expect(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: 9, now: NOW })).toEqual({ kind: 'bad-choice' });
    // Posted in #general, so a click claiming to come from another channel is not an answer to it.
    expect(answer(db, content, { ...base, channelId: 'elsewhere', postId: post.id, userId: 'ada', shown: 0, now: NOW })).toEqual({
      kind: 'unknown-post',
    });
    // None of the refusals took the learner's one answer to this post.
    expect(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: 0, now: NOW }).kind).toBe('answered');
    // Revealed early: closed from then on.
    expect(revealPost(db, post.id, NOW + HOUR)).toBe(true);
    expect(revealPost(db, post.id, NOW + HOUR)).toBe(false);
    expect(answer(db, content, { ...base, postId: post.id, userId: 'bob', shown: 0, now: NOW + HOUR + 1 })).toEqual({
      kind: 'closed',
      closedAt: NOW + HOUR,
    });
  });

  it("the room's view hides how people voted until the reveal, then shows shares by button and who was first right", () => {
    const { db, content, post, question } = setup();
    const right = rightButton(optionOrder(post, question), question);
    const wrong = (right + 2) % 4;
    answer(db, content, { ...base, postId: post.id, userId: 'bob', shown: wrong, now: NOW + 1000 });
    answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: right, now: NOW + 4200 });
    const open = roomView(db, content, post.id)!;
    expect(open.answered).toBe(2);
    expect(open.shares).toBeUndefined();
    expect(open.firstRight).toBeUndefined();
    revealPost(db, post.id, NOW + 5000);
    const shown = roomView(db, content, post.id)!;
    const shares = [0, 0, 0, 0];
    shares[right] = 1;
    shares[wrong] = 1;
    expect(shown.shares).toEqual(shares);
    expect(shown.firstRight).toMatchObject({ userId: 'ada', afterMs: 4200 });
  });

  it("a round's answer can be changed until the reveal, scores nothing by itself, and is final after", () => {
    const { db, content, post, question } = setup('alpha-q-print', { round: { id: 'r1', index: 0 } });
    const right = rightButton(optionOrder(post, question), question);
    const first = answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: (right + 1) % 4, now: NOW + 500 });
    expect(first).toMatchObject({ kind: 'round-answer', changed: false });
    const changed = answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: right, now: NOW + 3000 });
    expect(changed).toMatchObject({ kind: 'round-answer', changed: true, shown: right });
    expect(pointsOf(db, WS, 'ada', NOW + 4000, 'UTC').total).toBe(0);
    revealPost(db, post.id, NOW + 5000);
    expect(answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: 0, now: NOW + 6000 })).toEqual({
      kind: 'already',
      shown: right,
      correct: true,
    });
    const room = roomView(db, content, post.id)!;
    expect(room.answered).toBe(1);
    expect(room.firstRight).toMatchObject({ userId: 'ada', afterMs: 3000 });
  });

  it('picks questions the user has not answered before ones already answered', () => {
    const { db, content } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const q = pickQuestion(db, content, WS, 'ada', { random: () => 0 })!;
      expect(seen.has(q.id)).toBe(false);
      seen.add(q.id);
      const post = createPost(db, { ws: WS, channelId: 'general', question: q, source: 'command', now: NOW, openMs: HOUR, random: seeded(i) });
      answer(db, content, { ...base, postId: post.id, userId: 'ada', shown: rightButton(optionOrder(post, q), q), now: NOW });
    }
    expect(seen.size).toBe(4);
    expect(pickQuestion(db, content, WS, 'ada', { track: 'beta', random: () => 0 })!.id).toBe('beta-q-sorted');
    // Asked by difficulty, and never one the round already asked.
    expect(pickQuestion(db, content, WS, 'bob', { difficulty: 'medium', random: () => 0 })!.id).toBe('alpha-q-sum');
    expect(pickQuestion(db, content, WS, 'bob', { difficulty: 'medium', exclude: new Set(['alpha-q-sum']), random: () => 0 })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { answer, createPost, pickQuestion, type AnswerOutcome } from '../../src/learning/quizzes.js';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { addUser, fixtureContent, testDb } from '../support/db.js';

const WS = 'terminal:ws1';
const NOW = Date.parse('2026-02-02T10:00:00Z');

/** The outcome of an answer that was recorded (the test fails if it was refused). */
function answered(o: AnswerOutcome) {
  if (o.kind !== 'answered') throw new Error(`expected the answer to be recorded, got ${o.kind}`);
  return o;
}

function setup() {
  const { db } = testDb();
  const content = fixtureContent();
  addUser(db, 'ada');
  const post = createPost(db, { ws: WS, channelId: 'general', questionId: 'alpha-q-print', source: 'command', now: NOW, openHours: 24 });
  return { db, content, post };
}

describe('quiz answers', () => {
  it('scores a right first answer once; a second click is refused and scores nothing', () => {
    const { db, content, post } = setup();
    const first = answered(
      answer(db, content, {
        ws: WS,
        channelId: 'general',
        postId: post.id,
        userId: 'ada',
        choice: 0,
        now: NOW + 1000,
        zone: 'UTC',
        workspaceZone: 'UTC',
      }),
    );
    expect(first).toMatchObject({ correct: true, scored: true, points: 10 });
    expect(first.streak).toMatchObject({ current: 1, extended: true });
    const second = answer(db, content, {
      ws: WS,
      channelId: 'general',
      postId: post.id,
      userId: 'ada',
      choice: 1,
      now: NOW + 2000,
      zone: 'UTC',
      workspaceZone: 'UTC',
    });
    expect(second).toEqual({ kind: 'already', choice: 0, correct: true });
    expect(pointsOf(db, WS, 'ada', NOW + 3000, 'UTC').total).toBe(10);
  });

  it('a wrong answer scores nothing but still counts for the streak; the question then is practice', () => {
    const { db, content, post } = setup();
    const wrong = answered(
      answer(db, content, { ws: WS, channelId: 'general', postId: post.id, userId: 'ada', choice: 2, now: NOW, zone: 'UTC', workspaceZone: 'UTC' }),
    );
    expect(wrong).toMatchObject({ correct: false, scored: true, points: 0 });
    expect(wrong.streak.extended).toBe(true);
    const again = createPost(db, { ws: WS, channelId: 'general', questionId: 'alpha-q-print', source: 'command', now: NOW, openHours: 24 });
    const practice = answer(db, content, {
      ws: WS,
      channelId: 'general',
      postId: again.id,
      userId: 'ada',
      choice: 0,
      now: NOW + 10,
      zone: 'UTC',
      workspaceZone: 'UTC',
    });
    expect(practice).toMatchObject({ correct: true, scored: false, points: 0 });
  });

  it('refuses answers after the question closed, to unknown posts and to other workspaces, recording nothing', () => {
    const { db, content, post } = setup();
    expect(
      answer(db, content, {
        ws: WS,
        channelId: 'general',
        postId: post.id,
        userId: 'ada',
        choice: 0,
        now: NOW + 25 * 3600_000,
        zone: 'UTC',
        workspaceZone: 'UTC',
      }),
    ).toEqual({
      kind: 'closed',
      closedAt: NOW + 24 * 3600_000,
    });
    expect(
      answer(db, content, { ws: WS, channelId: 'general', postId: 'nope', userId: 'ada', choice: 0, now: NOW, zone: 'UTC', workspaceZone: 'UTC' }),
    ).toEqual({
      kind: 'unknown-post',
    });
    expect(
      answer(db, content, {
        ws: 'discord:other',
        channelId: 'general',
        postId: post.id,
        userId: 'ada',
        choice: 0,
        now: NOW,
        zone: 'UTC',
        workspaceZone: 'UTC',
      }),
    ).toEqual({
      kind: 'unknown-post',
    });
    expect(
      answer(db, content, { ws: WS, channelId: 'general', postId: post.id, userId: 'ada', choice: 9, now: NOW, zone: 'UTC', workspaceZone: 'UTC' }),
    ).toEqual({
      kind: 'bad-choice',
    });
    // Posted in #general, so a click claiming to come from another channel is not an answer to it.
    expect(
      answer(db, content, { ws: WS, channelId: 'elsewhere', postId: post.id, userId: 'ada', choice: 0, now: NOW, zone: 'UTC', workspaceZone: 'UTC' }),
    ).toEqual({
      kind: 'unknown-post',
    });
    // None of the refusals took the learner's one answer to this post.
    expect(
      answer(db, content, { ws: WS, channelId: 'general', postId: post.id, userId: 'ada', choice: 0, now: NOW, zone: 'UTC', workspaceZone: 'UTC' })
        .kind,
    ).toBe('answered');
  });

  it('picks questions the user has not answered before ones already answered', () => {
    const { db, content } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const q = pickQuestion(db, content, WS, 'ada', { random: () => 0 })!;
      expect(seen.has(q.id)).toBe(false);
      seen.add(q.id);
      const post = createPost(db, { ws: WS, channelId: 'general', questionId: q.id, source: 'command', now: NOW, openHours: 1 });
      const right = q.options.findIndex((o) => o.correct);
      answer(db, content, {
        ws: WS,
        channelId: 'general',
        postId: post.id,
        userId: 'ada',
        choice: right,
        now: NOW,
        zone: 'UTC',
        workspaceZone: 'UTC',
      });
    }
    expect(seen.size).toBe(4);
    expect(pickQuestion(db, content, WS, 'ada', { track: 'beta', random: () => 0 })!.id).toBe('beta-q-sorted');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../src/chat/context.js';
import type { Message } from '../../src/chat/reply.js';
import { plainText } from '../../src/chat/reply.js';
import { cardStates } from '../../src/db/schema.js';
import { getPost } from '../../src/learning/quizzes.js';
import { noteChallengeFailure, noteChallengePass, RETRY_DAYS } from '../../src/learning/mistakes.js';
import { answerId } from '../../commands/quiz.js';
import { chatContext, createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { dispatchReplies, dispatchText } from '../support/dispatch.js';
import { buttonId as button, buttonsOf, onlyMessage as only } from '../support/messages.js';
import { quizButtons, reviewQuizButtons } from '../support/quiz.js';
import { RecordingSender } from '../support/recorder.js';

const T0 = Date.parse('2026-03-10T09:00:00Z');
const DAY = 86_400_000;

describe('/review', () => {
  let app: TestApp;
  const sender = new RecordingSender();
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    app = await createTestApp({ clock });
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  });
  afterAll(async () => {
    await app.stop();
  });

  const click = async (ctx: ChatContext, id: string) => only(await app.router.dispatch({ type: 'component', id }, ctx));
  const say = async (ctx: ChatContext, line: string) => only(await dispatchReplies(app, ctx, line));
  /** Posts `/quiz <track>` and answers it; the question asked. */
  const quiz = async (ctx: ChatContext, track: string, right: boolean) => {
    const m = await say(ctx, `/quiz ${track}`);
    const ids = buttonsOf(m).map((b) => b.id);
    const { right: r, wrong } = quizButtons(app.services, ids);
    const reply = await click(ctx, right ? r : wrong[0]!);
    const post = getPost(app.services.db, answerId.decode(ids[0]!)!.post)!;
    return { question: app.services.content.questionById.get(post.questionId)!, reply };
  };

  /** Works through a review to its end, answering questions right and rating cards Good; what it showed, in order. */
  async function workThrough(ctx: ChatContext, first: Message) {
    const shown: { kind: 'card' | 'question' | 'challenge'; text: string }[] = [];
    let m = first;
    for (let i = 0; i < 40 && m.title !== 'Review — done'; i++) {
      const labels = buttonsOf(m).map((b) => b.label);
      if (labels.includes('Show answer')) {
        shown.push({ kind: 'card', text: plainText(m) });
        const back = await click(ctx, button(m, /Show answer/));
        m = await click(ctx, button(back, /^Good/));
      } else if (labels.some((l) => l.startsWith('Later'))) {
        shown.push({ kind: 'challenge', text: plainText(m) });
        m = await click(ctx, button(m, /^Later/));
      } else {
        shown.push({ kind: 'question', text: plainText(m) });
        m = await click(
          ctx,
          reviewQuizButtons(
            app.services,
            buttonsOf(m).map((b) => b.id),
          ).right,
        );
      }
    }
    expect(m.title).toBe('Review — done');
    return { shown, summary: plainText(m) };
  }

  it('after a wrong answer, the next review starts with the missed question and that lesson’s cards, saying why, and ends with what moved', async () => {
    const ada = chatContext({ userId: 'ada', userName: 'Ada' });
    clock.t = T0;
    // Ada learns the beta card first: by the time of the quiz it is due too, and older.
    const card = await say(ada, '/flashcards review beta');
    await click(ada, button(await click(ada, button(card, /Show answer/)), /^Good/));
    clock.t = T0 + 20 * DAY;
    const { question, reply } = await quiz(ada, 'alpha', false);
    expect(plainText(reply)).toMatch(/Not quite/);
    const lesson = app.services.content.lessonById.get(question.lessonId)!;

    clock.t += 60_000;
    const first = await say(ada, '/review');
    expect(first.private).toBe(true);
    // The missed question itself comes first, as a card, saying when it was missed.
    expect(plainText(first)).toContain(question.question.trim().split('\n')[0]!);
    expect(plainText(first)).toMatch(/You missed this in a quiz on Mon 30 Mar/);
    expect(plainText(first)).toMatch(/Review · 1 of \d+/);
    const back = await click(ada, button(first, /Show answer/));
    expect(plainText(back)).toMatch(/You chose \*\*/);

    const { shown, summary } = await workThrough(ada, first);
    // Then that lesson's own cards, each saying why it is there, before the beta card that was due earlier.
    const lessonCards = lesson.flashcards.map((id) => app.services.content.cardById.get(id)!.front.trim());
    const next = shown.slice(1, 1 + lessonCards.length);
    for (const item of next) {
      expect(item.kind).toBe('card');
      expect(item.text).toMatch(/Back because you missed a question on this lesson in a quiz/);
      expect(lessonCards.some((f) => item.text.includes(f))).toBe(true);
    }
    const beta = shown.findIndex((s) => s.text.includes('sorted vs list.sort?'));
    expect(beta).toBeGreaterThan(lessonCards.length);
    // A question the review shows as a card is not asked again in the same review.
    expect(shown.filter((s) => s.kind === 'question').some((s) => s.text.includes(question.question.trim().split('\n')[0]!))).toBe(false);
    // The summary says what was done and which lessons moved.
    expect(summary).toMatch(/Review done:\*\* \d+ cards reviewed/);
    expect(summary).toContain(lesson.title);
    expect(summary).toMatch(/Knowledge retained: [\d.]+ → [\d.]+ lessons’ worth/);
  });

  it('refuses a double click, an old message and someone else’s buttons, changing nothing', async () => {
    const bea = chatContext({ userId: 'bea' });
    clock.t = T0 + 40 * DAY;
    await quiz(bea, 'beta', false);
    const first = await say(bea, '/review');
    const back = await click(bea, button(first, /Show answer/));
    const good = button(back, /^Good/);
    const other = chatContext({ userId: 'mallory' });
    expect(plainText(await click(other, good))).toMatch(/That review is not yours/);
    const second = await click(bea, good);
    expect(second.title).toMatch(/^Review/);
    expect(plainText(await click(bea, good))).toMatch(/moved past that item/);
    expect(plainText(await click(bea, button(first, /Show answer/)))).toMatch(/moved past that item/);
  });

  it('a card rated in another review is not rated again from an older one', async () => {
    const cy = chatContext({ userId: 'cy' });
    clock.t = T0 + 50 * DAY;
    await quiz(cy, 'beta', false);
    const older = await say(cy, '/review');
    const newer = await say(cy, '/review');
    // Both start with the same card; the newer review rates it Good.
    const showAnswer = (m: Message) => button(m, /Show answer/);
    expect(plainText(newer).split('\n')[1]).toBe(plainText(older).split('\n')[1]);
    await click(cy, button(await click(cy, showAnswer(newer)), /^Good/));
    const states = () =>
      app.services.db
        .select()
        .from(cardStates)
        .all()
        .filter((r) => r.userId === 'cy');
    const before = JSON.stringify(states());
    // Then "Again" on the older review's copy of it: refused, and the card is as the newer review left it.
    const stale = await click(cy, button(await click(cy, showAnswer(older)), /^Again/));
    expect(plainText(stale)).toContain('That card was rated elsewhere since this review showed it, so this rating was not counted.');
    expect(JSON.stringify(states())).toBe(before);
  });

  it('holds as many items as the learner set, and says the range when asked for too many or too few', async () => {
    const cy = chatContext({ userId: 'cy' });
    clock.t = T0 + 60 * DAY;
    expect(await dispatchText(app, cy, '/settings review 2')).toMatch(/5.*50/);
    expect(await dispatchText(app, cy, '/settings review 5')).toMatch(/now holds up to \*\*5\*\* items/);
    expect(await dispatchText(app, cy, '/settings show')).toMatch(/Review size:\*\* 5 items/);
    // Five course cards met, then two questions missed: more than five items are due.
    for (let i = 0; i < 5; i++) {
      const m = await say(cy, '/flashcards review');
      if (!buttonsOf(m).length) break;
      await click(cy, button(await click(cy, button(m, /Show answer/)), /^Again/));
    }
    clock.t += 30 * DAY;
    await quiz(cy, 'alpha', false);
    await quiz(cy, 'beta', false);
    const first = await say(cy, '/review');
    expect(plainText(first)).toMatch(/Review · 1 of 5\b/);
  });

  it('brings a failed challenge back when its time to try again has come, and can leave it for later', async () => {
    const dan = chatContext({ userId: 'dan' });
    clock.t = T0 + 100 * DAY;
    expect(plainText(await say(dan, '/review'))).toMatch(/Nothing to review right now/);
    const challenge = app.services.content.challengeById.get('add-two')!;
    await dispatchText(app, dan, '/streak'); // Dan is a learner of this workspace now
    noteChallengeFailure(app.services.db, app.services.content, { ws: 'terminal:ws1', userId: 'dan', challenge, now: clock.t, zone: 'UTC' });
    clock.t += RETRY_DAYS[0] * DAY;
    const { shown } = await workThrough(dan, await say(dan, '/review'));
    const retry = shown.find((s) => s.kind === 'challenge');
    expect(retry?.text).toContain(`Time to try “${challenge.title}” again`);
    expect(retry?.text).toContain(`/submit ${challenge.id}`);

    // Failed again, and passed while the next review is under way: the review does not ask for it.
    noteChallengeFailure(app.services.db, app.services.content, { ws: 'terminal:ws1', userId: 'dan', challenge, now: clock.t, zone: 'UTC' });
    clock.t += RETRY_DAYS[2] * DAY;
    const planned = await say(dan, '/review');
    const count = Number(/Review · 1 of (\d+)/.exec(plainText(planned))?.[1]);
    noteChallengePass(app.services.db, { ws: 'terminal:ws1', userId: 'dan', challengeId: challenge.id, now: clock.t });
    const after = await workThrough(dan, planned);
    expect(after.shown.some((s) => s.kind === 'challenge')).toBe(false);
    expect(after.shown).toHaveLength(count - 1);
  });
});

describe('/leaderboard mastery and improved', () => {
  let app: TestApp;
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('ranks by what learners retain, not by how much they did, and says so', async () => {
    const say = async (ctx: ChatContext, line: string) => only(await dispatchReplies(app, ctx, line));
    const click = async (ctx: ChatContext, id: string) => only(await app.router.dispatch({ type: 'component', id }, ctx));
    // Kim reviews every card and rates them Easy; Lou answers many questions, all wrong.
    const kim = chatContext({ userId: 'kim', userName: 'Kim' });
    for (let i = 0; i < 5; i++) {
      const m = await say(kim, '/flashcards review');
      if (!buttonsOf(m).length) break;
      await click(kim, button(await click(kim, button(m, /Show answer/)), /^Easy/));
    }
    const lou = chatContext({ userId: 'lou', userName: 'Lou' });
    for (const track of ['alpha', 'alpha', 'beta']) {
      const m = await say(lou, `/quiz ${track}`);
      await click(
        lou,
        quizButtons(
          app.services,
          buttonsOf(m).map((b) => b.id),
        ).wrong[0]!,
      );
    }
    clock.t += 3_600_000;
    const board = plainText(await say(lou, '/leaderboard mastery'));
    expect(board).toMatch(/🥇 Kim — [\d.]+ lessons/);
    expect(board).not.toMatch(/🥇 Lou/);
    expect(board).toMatch(/Activity alone does not raise it/);
    const improved = plainText(await say(kim, '/leaderboard improved'));
    expect(improved).toMatch(/🥇 Kim — \+[\d.]+ lessons/);
    expect(await dispatchText(app, kim, '/leaderboard mastery pin:true')).toMatch(/Only the points and streak boards can be pinned/);
  });
});

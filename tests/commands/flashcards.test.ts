import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../src/chat/context.js';
import type { Message, Reply } from '../../src/chat/reply.js';
import { plainText } from '../../src/chat/reply.js';
import { cardStats } from '../../src/learning/flashcards.js';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { chatContext, createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { dispatchReplies } from '../support/dispatch.js';
import { buttonId as button, onlyMessage } from '../support/messages.js';

/** Every flashcard reply is private, whatever it says. */
function only(replies: Reply[]): Message {
  const m = onlyMessage(replies);
  expect(m.private).toBe(true);
  return m;
}

const T0 = Date.parse('2026-03-10T09:00:00Z');

describe('flashcard reviews', () => {
  let app: TestApp;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    app = await createTestApp({ clock, env: { NEW_CARDS_PER_DAY: '3' } });
  });
  afterAll(async () => {
    await app.stop();
  });

  const click = async (ctx: ChatContext, id: string) => only(await app.router.dispatch({ type: 'component', id }, ctx));
  /** Shows the answer and rates it: the card the review moves to next. */
  const rate = async (ctx: ChatContext, front: Message, grade: RegExp) => click(ctx, button(await click(ctx, button(front, /Show answer/)), grade));
  /** The card's front: the text just above its buttons. */
  const cardOn = (m: Message) => {
    const at = m.blocks.findIndex((b) => b.kind === 'buttons');
    const front = m.blocks[at - 1];
    return front?.kind === 'text' ? front.markdown : '';
  };

  it('keeps a review started for one track to that track after every rating, and says when it is done', async () => {
    const ctx = chatContext({ userId: 'tracked' });
    let m = only(await dispatchReplies(app, ctx, '/flashcards review beta'));
    expect(cardOn(m)).toBe('sorted vs list.sort?');
    m = await rate(ctx, m, /^Good/);
    // Alpha has three new cards within the allowance, but this review is for beta only.
    expect(plainText(m)).toMatch(/All caught up in Beta topics!/);
    expect(plainText(m)).not.toMatch(/print|len measure|sum add/);
    expect(plainText(m)).toMatch(/Your next card in .* is due in \d+m\./);
  });

  it('brings a card rated Again back before the review ends, even when it is the last one', async () => {
    const ctx = chatContext({ userId: 'again' });
    let m = only(await dispatchReplies(app, ctx, '/flashcards review beta'));
    m = await rate(ctx, m, /^Again/);
    expect(plainText(m)).toMatch(/you rated this one Again: one more look/);
    expect(cardOn(m)).toBe('sorted vs list.sort?');
    m = await rate(ctx, m, /^Good/);
    expect(plainText(m)).toMatch(/All caught up/);
  });

  it('refuses made-up, replayed and foreign rating buttons: no card introduced, no point earned', async () => {
    const ctx = chatContext({ userId: 'forger' });
    const first = only(await dispatchReplies(app, ctx, '/flashcards review'));
    const reveal = button(first, /Show answer/);
    const session = reveal.split(':')[3]!;
    const forged: string[] = [];
    for (const card of ['alpha-fc-print', 'alpha-fc-len', 'alpha-fc-sum', 'beta-fc-sorted']) {
      for (const grade of [1, 2, 3, 4]) forged.push(`flashcards:rate:2:${session}:${card}:0:${grade}`, `flashcards:rate:2:nosuch:${card}:0:${grade}`);
    }
    // The one card on screen may be rated; every other id names a card the review is not showing.
    const onScreen = reveal.split(':')[4]!;
    for (const id of forged.filter((x) => !x.includes(`:${session}:${onScreen}:`))) {
      const r = await app.router.dispatch({ type: 'component', id }, ctx);
      expect(plainText((r[0] as { message: Message }).message)).toMatch(/not the one your review is showing|clicking too quickly/);
    }
    const stats = cardStats(app.services.db, app.services.content, {
      ws: 'terminal:ws1',
      userId: 'forger',
      now: clock.now(),
      zone: 'UTC',
      newPerDay: 3,
      endOfDay: clock.now(),
    });
    expect(stats.total).toBe(0);
    expect(pointsOf(app.services.db, 'terminal:ws1', 'forger', clock.now(), 'UTC').total).toBe(0);
    // Someone else's real button is refused too, and the owner's still works.
    expect(plainText(await click(chatContext({ userId: 'bystander' }), reveal))).toMatch(/not the one your review is showing/);
    expect(plainText(await click(ctx, reveal))).toMatch(/\*\*Answer\*\*/);
  });

  it('counts new cards per local day whatever the zone changes, and the allowance holds against every route', async () => {
    const ctx = chatContext({ userId: 'traveller' });
    clock.set('2026-03-10T03:00:00Z'); // 23:00 the day before in New York
    expect(await dispatchReplies(app, ctx, '/settings timezone America/New_York')).toHaveLength(1);
    let m = only(await dispatchReplies(app, ctx, '/flashcards review alpha'));
    for (let i = 0; i < 3; i++) m = await rate(ctx, m, /^Easy/);
    expect(plainText(m)).toMatch(/met today's 3 new cards/);
    // Flying to Kolkata: it is now 08:30 on the 10th there, a new local day but not a new real one.
    clock.set('2026-03-10T03:00:00Z');
    await dispatchReplies(app, ctx, '/settings timezone Asia/Kolkata');
    m = only(await dispatchReplies(app, ctx, '/flashcards review beta'));
    expect(plainText(m)).toMatch(/All caught up in .*met today's 3 new cards/);
    // The next local day in Kolkata brings new cards again.
    clock.set('2026-03-10T19:00:00Z');
    m = only(await dispatchReplies(app, ctx, '/flashcards review beta'));
    expect(cardOn(m)).toBe('sorted vs list.sort?');
  });
});

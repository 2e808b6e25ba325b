import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../src/chat/context.js';
import type { Button, Message, Reply } from '../../src/chat/reply.js';
import { plainText } from '../../src/chat/reply.js';
import { chatContext, createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { dispatchReplies, dispatchText } from '../support/dispatch.js';
import { quizButtons } from '../support/quiz.js';
import { RecordingSender } from '../support/recorder.js';

function only(replies: Reply[]): Message {
  expect(replies).toHaveLength(1);
  const r = replies[0]!;
  if (r.kind !== 'message') throw new Error('expected a message');
  return r.message;
}
const buttonsOf = (m: Message): Button[] => m.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : []));

describe('streak freezes and milestones, on a moving clock', () => {
  let app: TestApp;
  const sender = new RecordingSender();
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
  beforeAll(async () => {
    app = await createTestApp({ clock });
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  });
  afterAll(async () => {
    await app.stop();
  });

  /** One learning action: a question posted and answered right. The learner's private reply. */
  async function study(ctx: ChatContext, iso: string): Promise<string> {
    clock.set(iso);
    const m = only(await dispatchReplies(app, ctx, '/quiz'));
    const { right } = quizButtons(
      app.services,
      buttonsOf(m).map((b) => b.id),
    );
    return plainText(only(await app.router.dispatch({ type: 'component', id: right }, ctx)));
  }
  const milestonePosts = () => sender.posts.filter((p) => p.message.title === 'Streak milestone');

  it('earns a freeze at seven days, announces the milestone, and spends the freeze on a day missed in the learner’s own zone', async () => {
    const zed = chatContext({ userId: 'zed', userName: 'Zed @everyone' });
    clock.set('2026-03-01T09:00:00Z');
    expect(await dispatchText(app, zed, '/settings timezone Pacific/Auckland')).toMatch(/Pacific\/Auckland/);
    // 10:00 UTC is 23:00 in Auckland (UTC+13 in March): one action a day, late each evening there.
    for (let d = 1; d <= 6; d++) expect(await study(zed, `2026-03-0${d}T10:00:00Z`)).toMatch(/streak: \d+ day/);
    expect(milestonePosts()).toHaveLength(0);
    const seventh = await study(zed, '2026-03-07T10:00:00Z');
    expect(seventh).toMatch(/7 days in a row earn you a streak freeze.*1 of 2 held/);
    // The channel hears about it, by name (the adapters post names without pinging anyone).
    expect(milestonePosts()).toHaveLength(1);
    const post = milestonePosts()[0]!;
    expect(post.to.channelId).toBe('general');
    expect(post.message.private).not.toBe(true);
    expect(post.text).toMatch(/Zed .*has studied 7 days in a row/);
    expect(await dispatchText(app, zed, '/streak')).toMatch(/Streak freezes: \*\*1 of 2\*\*/);

    // 12:00 UTC on the 8th is 01:00 on the 9th in Auckland: in UTC no day was missed, in Zed's zone the 8th was.
    const after = await study(zed, '2026-03-08T12:00:00Z');
    expect(after).toMatch(/A streak freeze covered the day you missed, so your streak goes on \(0 left\)/);
    const streak = await dispatchText(app, zed, '/streak');
    expect(streak).toMatch(/🔥 \*\*8 days\*\*/);
    expect(streak).toMatch(/Streak freezes: \*\*0 of 2\*\*/);
    expect(streak).toMatch(/🟩🧊🟩 *\n🧊 marks a day a freeze covered/);

    // With no freeze left, a missed day ends the streak.
    clock.set('2026-03-11T12:00:00Z');
    expect(await dispatchText(app, zed, '/streak')).toMatch(/No streak running/);
  });

  it('tells only the learner when an admin has switched announcements off', async () => {
    const yan = chatContext({ userId: 'yan', userName: 'Yan' });
    clock.set('2026-04-01T08:00:00Z');
    expect(await dispatchText(app, yan, '/config milestones off')).toMatch(/admin/i);
    const admin = chatContext({ userId: 'boss', isAdmin: true });
    expect(await dispatchText(app, admin, '/config milestones off')).toMatch(/Streak milestones are off/);
    expect(await dispatchText(app, admin, '/config milestones off')).toMatch(/already off/);
    const before = milestonePosts().length;
    let last = '';
    for (let d = 1; d <= 7; d++) last = await study(yan, `2026-04-0${d}T08:00:00Z`);
    expect(last).toMatch(/🏆 7 days in a row/);
    expect(milestonePosts()).toHaveLength(before);
    expect(await dispatchText(app, admin, '/config milestones on')).toMatch(/announced/);
  });
});

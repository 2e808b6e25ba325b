import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerId } from '../../commands/quiz.js';
import { chatContext, createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { dispatchReplies, dispatchText } from '../support/dispatch.js';

describe("a learner's own time zone, through the commands", () => {
  let app: TestApp;
  const clock = new ManualClock(Date.parse('2026-03-01T13:00:00Z'));
  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => {
    await app.stop();
  });

  /** Posts a question and answers it as `userId` (any option: every answer counts for the streak). */
  async function answerOne(userId: string) {
    const ctx = chatContext({ userId });
    const [reply] = await dispatchReplies(app, ctx, '/quiz');
    const button = reply!.kind === 'message' ? reply!.message.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : []))[0] : undefined;
    const post = answerId.decode(button!.id)!.post;
    await app.router.dispatch({ type: 'component', id: answerId.encode({ post, option: 0 }) }, ctx);
  }

  it('counts streak days at midnight in the zone the learner chose, not the workspace’s', async () => {
    const tokyo = chatContext({ userId: 'kenji' });
    expect(await dispatchText(app, tokyo, '/settings timezone Asia/Tokyo')).toMatch(/Your time zone is now \*\*Asia\/Tokyo\*\*/);
    clock.set('2026-03-01T14:00:00Z'); // 23:00 on the 1st in Tokyo (the workspace, UTC, is on the 1st too)
    await answerOne('kenji');
    await answerOne('utc-learner');
    clock.set('2026-03-01T16:00:00Z'); // 01:00 on the 2nd in Tokyo, still the 1st in UTC
    await answerOne('kenji');
    await answerOne('utc-learner');
    expect(await dispatchText(app, tokyo, '/streak')).toMatch(/🔥 \*\*2 days\*\*/);
    expect(await dispatchText(app, tokyo, '/streak')).toMatch(/Days are counted in Asia\/Tokyo/);
    expect(await dispatchText(app, chatContext({ userId: 'utc-learner' }), '/streak')).toMatch(/🔥 \*\*1 day\*\*/);
  });
});

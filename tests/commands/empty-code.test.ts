import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatContext, createTestApp, type TestApp } from '../support/app.js';
import { dispatchText } from '../support/dispatch.js';

describe('an empty code block', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  it('is pointed out by /run, /submit and /check alike, instead of opening the code form', async () => {
    const ctx = chatContext({ userId: 'ada' });
    for (const [line, done] of [
      ['/run ```python\n```', 'run'],
      ['/submit add-two ```python\n\n```', 'graded'],
      ['/check ```python\n```', 'checked'],
    ] as const) {
      const said = await dispatchText(app, ctx, line);
      expect(said, line).toContain(`Your code block is empty, so nothing was ${done}.`);
      expect(said, line).not.toContain('[form');
    }
    // Without any code, the form still opens.
    expect(await dispatchText(app, ctx, '/run')).toContain('[form Run Python]');
  });
});

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

  it('is pointed out by /run and /submit alike, instead of opening the code form', async () => {
    const ctx = chatContext({ userId: 'ada' });
    for (const line of ['/run ```python\n```', '/submit add-two ```python\n\n```']) {
      const said = await dispatchText(app, ctx, line);
      expect(said, line).toContain('Your code block is empty, so nothing was run.');
      expect(said, line).not.toContain('[form');
    }
    // Without any code, the form still opens.
    expect(await dispatchText(app, ctx, '/run')).toContain('[form Run Python]');
  });
});

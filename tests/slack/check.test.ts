import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shown, on, fence } from './driver.js';
import { ada, bob, grace, slackHarness, type SlackHarness } from './harness.js';
import type { Block } from './recorder.js';

/** /study check from Slack through the real queue, runner and Docker sandbox. */
let h: SlackHarness;

beforeAll(async () => {
  h = await slackHarness({ runner: true });
});

afterAll(async () => {
  await h?.stop();
});

const RESULT_MS = 90_000;

describe('/study check', () => {
  it('names the line of a type error, replacing the "checking" reply', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(
      ada,
      `check ${fence('def add(a: int, b: int) -> int:\n    return a + b\n\n\ntotal: str = add(1, 2)')}`,
      'C0CHECK',
    );
    expect(sent.status).toBe(200);
    const queued = await recorder.waitForVisible('the queued reply', on(sent.responseUrl));
    expect(shown(queued)).toContain('⏳ Checking your code with mypy and black');
    const result = await recorder.waitForVisible('the result', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(shown(result)).toContain('❌ mypy --strict: 1 error');
    expect(shown(result)).toContain(
      'line 5: error: Incompatible types in assignment (expression has type "int", variable has type "str")  [assignment]',
    );
    expect(shown(result)).toContain('✅ black: already formatted');
  });

  it('shares a long black diff as reformatted.diff', async () => {
    const { driver, recorder } = h;
    const cramped = Array.from({ length: 40 }, (_, i) => `v${i}=${i}`).join('\n');
    const sent = await driver.command(bob, `check ${fence(cramped)}`, 'C0CHECK');
    const result = await recorder.waitForVisible('the result', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(shown(result)).toContain('✏️ black: would reformat');
    expect(shown(result)).toContain('attached as reformatted.diff');
    expect(shown(result)).not.toContain('v39 = 39');
    const complete = await recorder.waitFor('the diff shared to the channel', () =>
      recorder
        .callsTo('files.completeUploadExternal')
        .find((c) => c.args.channel_id === 'C0CHECK' && (c.args.files as { title: string }[]).some((f) => f.title === 'reformatted.diff')),
    );
    const [file] = complete.args.files as { id: string; title: string }[];
    const upload = recorder.uploads.find((u) => u.fileId === file?.id);
    expect(upload?.filename).toBe('reformatted.diff');
    expect(upload?.body.toString('utf8')).toContain('\n+v39 = 39\n');
  });

  it("without code opens a modal; badly formatted code from it gets black's diff", async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(grace, 'check', 'C0CHECK');
    const opened = await recorder.waitFor('views.open', () => recorder.callsTo('views.open').find((c) => c.args.trigger_id === sent.triggerId));
    const view = opened.args.view as Record<string, unknown> & { blocks: Block[] };
    expect(view).toMatchObject({ type: 'modal', callback_id: 'check:form:1', title: { type: 'plain_text', text: 'Check Python' } });
    await driver.submit(grace, view, { code: "x = {  'a':1 }" });
    const result = await recorder.waitForVisible('the result', (v) => v.channel === 'C0CHECK' && shown(v).includes('+x = {"a": 1}'), 1, RESULT_MS);
    expect(shown(result)).toContain('✅ mypy --strict: no issues');
    expect(shown(result)).toContain("-x = {  'a':1 }");
    expect(shown(result)).toContain('+x = {"a": 1}');
  });
});

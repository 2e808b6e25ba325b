import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockTexts, seen, shown, on, fence } from './driver.js';
import { ada, bob, grace, linus, slackHarness, type SlackHarness } from './harness.js';
import type { Block } from './recorder.js';

/**
 * Code runs from Slack through the real queue (Redis), the real runner and the real Docker
 * sandbox, with results posted back where the user asked.
 */
let h: SlackHarness;

beforeAll(async () => {
  h = await slackHarness({ runner: true });
});

afterAll(async () => {
  await h?.stop();
});

const RESULT_MS = 60_000;

describe('code runs from Slack', () => {
  it('/study run with a code block: "running" in the channel, then the result replaces it', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(ada, `run ${fence('for word in ["hello", "slack"]:\n    print(word.upper())')}`, 'C0RUNS');
    expect(sent.status).toBe(200);
    const queued = await recorder.waitForVisible('the queued reply', on(sent.responseUrl));
    expect(queued).toMatchObject({ ephemeral: false, replaceOriginal: false });
    expect(shown(queued)).toMatch(/⏳ Running your code…/);

    const result = await recorder.waitForVisible('the result', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(result.ts).toBe(queued.ts);
    expect(shown(result)).toMatch(/✅ Finished in .* \(exit code 0\)/);
    expect(shown(result)).toContain('HELLO');
    expect(shown(result)).toContain('SLACK');
  });

  it('posts program output escaped: no broadcast, no mention, no way out of the code block', async () => {
    const { driver, recorder } = h;
    const program = [
      'print("<!everyone> <!here|here> @here <@U0ADA> <!subteam^S0ADMINS>")',
      'print("`" * 3 + "python")',
      'print("*not bold* & <b>")',
    ].join('\n');
    const sent = await driver.command(bob, `run ${fence(program)}`, 'C0RUNS');
    const result = await recorder.waitForVisible('the result', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    const raw = [result.text, ...blockTexts(result.blocks)].join('\n');
    expect(raw).not.toMatch(/<[!@#]/);
    expect(raw).toContain('&lt;!everyone&gt; &lt;!here|here&gt; @here &lt;@U0ADA&gt; &lt;!subteam^S0ADMINS&gt;');
    expect(raw).toContain('*not bold* &amp; &lt;b&gt;');
    // Each code section opens and closes exactly one block: the printed ``` cannot end it early.
    for (const t of blockTexts(result.blocks).filter((x) => x.includes('```'))) expect(t.match(/```/g)).toHaveLength(2);
    // What the reader sees is what the program printed.
    expect(shown(result)).toContain('<!everyone> <!here|here> @here <@U0ADA> <!subteam^S0ADMINS>');
    expect(shown(result)).toContain('*not bold* & <b>');
  });

  it('/study run without code opens a modal; submitting it runs the code and answers in the channel', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(grace, 'run', 'C0RUNS');
    const opened = await recorder.waitFor('views.open', () => recorder.callsTo('views.open').find((c) => c.args.trigger_id === sent.triggerId));
    const view = opened.args.view as Record<string, unknown> & { blocks: Block[] };
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'run:form:1',
      title: { type: 'plain_text', text: 'Run Python' },
      submit: { text: 'Run' },
    });
    expect(view.blocks.map((b) => b.block_id)).toEqual(['code', 'stdin']);
    expect(view.blocks[0]).toMatchObject({
      type: 'input',
      optional: false,
      element: { type: 'plain_text_input', action_id: 'code', multiline: true, max_length: 3000 },
    });
    // Nothing was posted for the command itself: the modal is the answer.
    expect(recorder.visible.filter(on(sent.responseUrl))).toEqual([]);

    const submitted = await driver.submit(grace, view, { code: 'name = input()\nprint(f"hi {name} & {6 * 7}")', stdin: 'Grace' });
    expect(submitted.status).toBe(200);
    // Acknowledged with an empty body: the modal closes.
    expect(submitted.body).toBe('');
    const queued = await recorder.waitForVisible('the queued reply', on(sent.responseUrl));
    expect(queued.ephemeral).toBe(false);
    const result = await recorder.waitForVisible('the result', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(shown(result)).toContain('hi Grace & 42');
  });

  it('/study submit grades a solution, awards points once, and refreshes the App Home', async () => {
    const { driver, recorder } = h;
    await driver.homeOpened(linus);
    const publishes = () => recorder.callsTo('views.publish').filter((c) => c.args.user_id === linus.id);
    await recorder.waitFor('the first home view', () => publishes()[0]);

    const sent = await driver.command(linus, `submit add-two ${fence('def add(a, b):\n    return a + b')}`, 'C0RUNS');
    const queued = await recorder.waitForVisible('the queued reply', on(sent.responseUrl));
    expect(shown(queued)).toContain('⏳ Testing your solution to Add two numbers');
    const result = await recorder.waitForVisible('the grade', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(result.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Challenge: Add two numbers' } });
    expect(shown(result)).toMatch(/✅ All 3 tests passed! \+\d+ points/);
    expect(shown(result)).toContain('Hidden tests ✅✅ (2 of 2 passed)');

    const refreshed = await recorder.waitFor('a home refresh after the result', () =>
      publishes().find(
        (c) => c.seq > result.seq && seen(blockTexts((c.args.view as { blocks: Block[] }).blocks).join('\n')).includes('challenges solved: 1 of 1'),
      ),
    );
    expect(seen(blockTexts((refreshed.args.view as { blocks: Block[] }).blocks).join('\n'))).not.toContain('Points: 0 all time');

    // A second pass scores nothing new.
    const again = await driver.command(linus, `submit add-two ${fence('def add(a, b):\n    return b + a')}`, 'C0RUNS');
    const second = await recorder.waitForVisible('the second grade', (v) => on(again.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(shown(second)).toContain('✅ All 3 tests passed! (you had already solved it, so no new points)');
  });

  it('/study submit without code opens a modal with the starter code; the submission is graded', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(ada, 'submit add-two', 'C0RUNS');
    const opened = await recorder.waitFor('views.open', () => recorder.callsTo('views.open').find((c) => c.args.trigger_id === sent.triggerId));
    const view = opened.args.view as Record<string, unknown> & { blocks: Block[] };
    expect(view).toMatchObject({ callback_id: 'submit:form:1:add-two', title: { text: 'Add two numbers' }, submit: { text: 'Submit' } });
    const starter = (view.blocks[0]!.element as { initial_value?: string }).initial_value;
    expect(starter).toContain('def add');

    await driver.submit(ada, view, { code: 'def add(a, b):\n    return a - b' });
    const result = await recorder.waitForVisible('the grade', (v) => on(sent.responseUrl)(v) && v.replaceOriginal, 1, RESULT_MS);
    expect(shown(result)).toMatch(/❌ \d of 3 tests passed\./);
    expect(shown(result)).toContain('small numbers — wrong output');
  });

  it('posts to the channel when the response_url is no longer accepted, with long output attached as a file', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(bob, `run ${fence('import time\ntime.sleep(1)\nfor i in range(300):\n    print("line", i)')}`, 'C0LATE');
    await recorder.waitForVisible('the queued reply', on(sent.responseUrl));
    // Thirty minutes pass (as far as Slack is concerned) before the result is ready.
    recorder.expire(sent.responseUrl);
    const posted = await recorder.waitForVisible(
      'the result in the channel',
      (v) => v.via === 'chat.postMessage' && v.channel === 'C0LATE',
      1,
      RESULT_MS,
    );
    expect(shown(posted)).toContain('line 0');
    expect(shown(posted)).toContain('the full stdout is attached as stdout.txt');

    const complete = await recorder.waitFor('the file shared to the channel', () =>
      recorder.callsTo('files.completeUploadExternal').find((c) => c.args.channel_id === 'C0LATE'),
    );
    const [file] = complete.args.files as { id: string; title: string }[];
    expect(file?.title).toBe('stdout.txt');
    const upload = recorder.uploads.find((u) => u.fileId === file?.id);
    expect(upload?.filename).toBe('stdout.txt');
    expect(upload?.body.toString('utf8')).toContain('line 299');
  });
});

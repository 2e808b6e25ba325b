import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Message } from '../../src/chat/reply.js';
import { userText } from '../../src/chat/user-text.js';
import { decodeOrigin, fallbackText, LIMITS, renderForm, renderMessage } from '../../src/platforms/slack/blocks.js';
import { commandEvent, decodeCommandText } from '../../src/platforms/slack/inbound.js';
import { codeBlock, markdownToMrkdwn, splitMrkdwn } from '../../src/platforms/slack/mrkdwn.js';
import { unwrapParagraphs } from '../../src/text/paragraphs.js';
import { markerProblems } from '../text/rendered-checks.js';
import { seen } from './driver.js';
import { blockProblems } from './recorder.js';

const Z = '\u200B';
const names = commands.map((c) => c.name);

describe('Markdown to Slack mrkdwn', () => {
  it('converts bold, italics, strike, links, inline and fenced code, lists and headings', () => {
    const md = [
      '# Tasks and `await`',
      '',
      'Some **bold**, *italics*, ~~gone~~ and a [link](https://docs.python.org/3/library/asyncio-task.html?a=1&b=2).',
      '',
      '- one',
      '- two with `code`',
      '  - nested',
      '',
      '3. third',
      '4. fourth',
      '',
      '```python',
      'async def main():',
      '    return a < b and c > d & e',
      '```',
      '',
      '> quoted',
    ].join('\n');
    expect(markdownToMrkdwn(md)).toBe(
      [
        '*Tasks and `await`*',
        '',
        `Some ${Z}*bold*${Z}, ${Z}_italics_${Z}, ${Z}~gone~${Z} and a <https://docs.python.org/3/library/asyncio-task.html?a=1&amp;b=2|link>.`,
        '',
        '• one',
        '• two with `code`',
        '    • nested',
        '',
        '3. third',
        '4. fourth',
        '',
        '```',
        'async def main():',
        '    return a &lt; b and c &gt; d &amp; e',
        '```',
        '',
        '> quoted',
      ].join('\n'),
    );
  });

  it('escapes every way of writing a mention or broadcast, in prose, inline code and code blocks', () => {
    const md = 'Hi <!everyone> <!here> <!channel> <@U123> <!subteam^S1|@admins> @here @channel `<!here>` <b>html</b>\n\n```\n<!everyone>\n```';
    const out = markdownToMrkdwn(md);
    expect(out).not.toMatch(/<[!@]/);
    expect(out).toContain('&lt;!everyone&gt; &lt;!here&gt; &lt;!channel&gt; &lt;@U123&gt; &lt;!subteam^S1|@admins&gt;');
    expect(out).toContain(`@${Z}here @${Z}channel`);
    expect(out).toContain('`&lt;!here&gt;`');
    expect(out).toContain('```\n&lt;!everyone&gt;\n```');
    // Channel links name a channel and notify nobody: commands use them.
    expect(markdownToMrkdwn('Posting in <#C0123ABC> and <#C0456|study-group>.')).toBe('Posting in <#C0123ABC> and <#C0456|study-group>.');
  });

  it('keeps code literal and unable to close its block; drops unsafe links', () => {
    expect(codeBlock('print("```")\nx = 1 & 2')).toBe(`\`\`\`\nprint("\`${Z}\`\`")\nx = 1 &amp; 2\n\`\`\``);
    expect(markdownToMrkdwn('[click](javascript:alert(1)) and ![pic](https://x.test/a.png)')).toBe('click and <https://x.test/a.png|pic>');
    expect(markdownToMrkdwn('a | in [a|b](https://x.test/?q=<1>)')).toBe('a | in <https://x.test/?q=%3C1%3E|a∣b>');
    // Three backticks in prose cannot open a code block either.
    expect(markdownToMrkdwn('stray ``` fence')).toBe('stray ˋˋˋ fence');
  });

  it('rewrites neutral command references to /study subcommands, but not paths or URLs', () => {
    const out = markdownToMrkdwn('Run /quiz, then `/flashcards review`; see https://example.test/quiz and a/quiz.', {
      commandNames: names,
      commandPrefix: 'study',
    });
    expect(out).toBe('Run /study quiz, then `/study flashcards review`; see <https://example.test/quiz> and a/quiz.');
  });

  it('renders tables as an aligned monospace grid', () => {
    expect(markdownToMrkdwn('| op | cost |\n|---|---|\n| `in` on a list | O(n) |')).toBe(
      '```\nop           │ cost\n─────────────┼─────\nin on a list │ O(n)\n```',
    );
  });

  it('splits long text under the section limit, closing and reopening a cut code block', () => {
    const code = Array.from({ length: 400 }, (_, i) => `print(${i})  # <&>`).join('\n');
    const mrkdwn = markdownToMrkdwn(`Intro paragraph.\n\n\`\`\`python\n${code}\n\`\`\`\n\nOutro.`);
    const pieces = splitMrkdwn(mrkdwn, 3000);
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(3000);
      expect((p.match(/```/g) ?? []).length % 2).toBe(0);
      expect(p).not.toMatch(/&[a-z]*$/);
    }
    expect(seen(pieces.join('\n'))).toContain('print(399)  # <&>');
    expect(pieces.at(-1)).toContain('Outro.');
    // A single line longer than a section is cut without breaking an entity.
    const long = splitMrkdwn('&amp;'.repeat(1000), 3000);
    expect(long.join('')).toBe('&amp;'.repeat(1000));
    for (const p of long) expect(p).toMatch(/^(&amp;)+$/);
  });
});

/** The characters Slack shows for literal markers (it has no escape for them). */
const literal = (s: string) => s.replace(/∗/g, '*').replace(/ˍ/g, '_').replace(/∼/g, '~').replace(/ˋ/g, '`');

describe('lessons that read well on Slack', () => {
  it('a hard-wrapped paragraph arrives as one line; lines a command writes stay lines', () => {
    const lesson = 'Handler levels let one handler be how much\nnoisier than another, *without\ntouching the code*.\n\n> a quote that\n> wraps';
    expect(markdownToMrkdwn(unwrapParagraphs(lesson))).toBe(
      `Handler levels let one handler be how much noisier than another, ${Z}_without touching the code_${Z}.\n\n> a quote that wraps`,
    );
    expect(markdownToMrkdwn('**Answer**\nNone.')).toBe(`${Z}*Answer*${Z}\nNone.`);
  });

  it('no mark spans a line break: Slack would show the asterisks', () => {
    const out = markdownToMrkdwn('**bold over\\\na hard break** and ~~struck\nthrough~~');
    expect(out).toBe(`${Z}*bold over*${Z}\n${Z}*a hard break*${Z} and ${Z}~struck~${Z}\n${Z}~through~${Z}`);
    expect(markerProblems(out, 'slack')).toEqual([]);
  });

  it('headings are bold lines, with no bold nested inside them', () => {
    expect(markdownToMrkdwn('Intro\n## The **key** idea\n#### Deep `detail`')).toBe('Intro\n\n*The key idea*\n\n*Deep `detail`*');
  });

  it('a table wider than a phone is one record per line', () => {
    const md = '| Type | Key commands | Typical uses |\n| --- | --- | --- |\n| Sorted set | `ZADD`, `ZRANK` | leaderboards, priority queues |';
    expect(markdownToMrkdwn(md)).toBe(`• ${Z}*Sorted set*${Z} — Key commands: \`ZADD\`, \`ZRANK\` · Typical uses: leaderboards, priority queues`);
  });

  it('literal markers are made inert where Slack would read them as formatting, and left alone where it would not', () => {
    const out = markdownToMrkdwn('\\*not bold\\*, \\*args, snake_case, 2 ** 4, 2*3, a \\`tick\\` and \\~tilde\\~');
    expect(out).toBe('∗not bold∗, ∗args, snake_case, 2 ** 4, 2*3, a ˋtickˋ and ∼tilde∼');
    expect(markerProblems(out, 'slack')).toEqual([]);
  });

  it('a display name escaped into Markdown reads literally, mentions included', () => {
    const names = [
      '*ada* _the_ ~great~',
      '<!channel> eve <@U0ADA>',
      '[click](https://evil.example) `x` \\o/',
      '> not a quote',
      '# not a heading',
      'www.evil.example',
      'https&colon;//evil.example &lt;!here&gt;',
    ];
    for (const name of names) {
      const out = markdownToMrkdwn(`Welcome, ${userText(name, 500)}!`);
      expect(out).not.toMatch(/<[!@#]|<https?:|<www/);
      expect(out).not.toMatch(/https?:\/\/|www\.[a-z]/);
      expect(markerProblems(out, 'slack')).toEqual([]);
      expect(literal(seen(out)).replace(/\u200B/g, '')).toBe(`Welcome, ${name}!`);
    }
  });

  it('the notification text reads as the message does: no marks, no backslashes, a name escaped in it shown as typed', () => {
    const m: Message = {
      blocks: [{ kind: 'text', markdown: `📥 Imported **${userText('Django_club v2.0')}** from ${userText('club.yaml')}: 2 questions` }],
    };
    expect(fallbackText(m)).toBe('📥 Imported Django_club v2.0 from club.yaml: 2 questions');
    expect(fallbackText({ title: 'Quiz', blocks: [] })).toBe('Quiz');
  });

  it('code blocks carry no language line (Slack has no highlighting); example output is labelled', () => {
    expect(markdownToMrkdwn('```python run\nprint(1)\n```\n\n```output\n1\n```')).toBe('```\nprint(1)\n```\n\n*Output*\n```\n1\n```');
  });
});

describe('Block Kit rendering', () => {
  it('renders every kind of neutral block', () => {
    const m: Message = {
      title: 'A title',
      blocks: [
        { kind: 'text', markdown: '**Hello** <@U1>' },
        { kind: 'code', code: 'print(1)', label: 'Starter <code>' },
        { kind: 'note', markdown: 'small print' },
        {
          kind: 'buttons',
          buttons: [
            { id: 'quiz:answer:p1:0', label: 'A', style: 'primary' },
            { id: 'x:y', label: 'Off', disabled: true },
            { id: 'quiz:answer:p1:1', label: 'B', style: 'success' },
            { id: 'quiz:answer:p1:2', label: 'C', style: 'danger' },
          ],
        },
        { kind: 'select', id: 'lesson:open', placeholder: 'Open a lesson…', options: [{ label: 'One', value: 'one', description: 'first' }] },
        { kind: 'image', url: 'https://example.test/chart.png', alt: 'A chart' },
        { kind: 'divider' },
      ],
    };
    const { text, blocks } = renderMessage(m);
    expect(text).toBe('A title');
    expect(blockProblems(blocks, 50)).toEqual([]);
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'A title', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: `${Z}*Hello*${Z} &lt;@U1&gt;` } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Starter &lt;code&gt;*\n```\nprint(1)\n```' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'small print' }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'quiz:answer:p1:0',
            value: 'quiz:answer:p1:0',
            text: { type: 'plain_text', text: 'A', emoji: true },
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'quiz:answer:p1:1',
            value: 'quiz:answer:p1:1',
            text: { type: 'plain_text', text: 'B', emoji: true },
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'quiz:answer:p1:2',
            value: 'quiz:answer:p1:2',
            text: { type: 'plain_text', text: 'C', emoji: true },
            style: 'danger',
          },
        ],
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'static_select',
            action_id: 'lesson:open',
            placeholder: { type: 'plain_text', text: 'Open a lesson…', emoji: true },
            options: [
              {
                text: { type: 'plain_text', text: 'One', emoji: true },
                value: 'one',
                description: { type: 'plain_text', text: 'first', emoji: true },
              },
            ],
          },
        ],
      },
      { type: 'image', image_url: 'https://example.test/chart.png', alt_text: 'A chart' },
      { type: 'divider' },
    ]);
  });

  it("stays within Slack's limits however large the message", () => {
    const m: Message = {
      title: 'T'.repeat(400),
      blocks: [
        { kind: 'text', markdown: Array.from({ length: 1000 }, (_, i) => `Paragraph ${i} ${'word '.repeat(40)}`).join('\n\n') },
        { kind: 'code', code: 'x = 1\n'.repeat(2000) },
        {
          kind: 'buttons',
          buttons: Array.from({ length: 30 }, (_, i) => ({
            id: `c:a:${i}:${'z'.repeat(i === 0 ? 300 : 1)}`,
            label: `Label ${i} ${'x'.repeat(100)}`,
          })),
        },
        {
          kind: 'select',
          id: 'c:pick',
          placeholder: 'P'.repeat(200),
          options: Array.from({ length: 150 }, (_, i) => ({ label: `Option ${i} ${'o'.repeat(90)}`, value: `v${i}` })),
        },
      ],
    };
    const { blocks } = renderMessage(m);
    expect(blockProblems(blocks, LIMITS.blocksPerMessage)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    // The controls survive the cut, split 25 + 5, the long id hashed with the full id kept as the value.
    const actions = blocks.filter((b) => b.type === 'actions') as { elements: { action_id: string; value?: string; options?: unknown[] }[] }[];
    expect(actions.map((a) => a.elements.length)).toEqual([25, 5, 1]);
    expect(actions[0]!.elements[0]!.action_id).toMatch(/^h:[0-9a-f]{40}$/);
    expect(actions[0]!.elements[0]!.value).toBe(`c:a:0:${'z'.repeat(300)}`);
    expect(actions[2]!.elements[0]!.options).toHaveLength(100);
    expect(JSON.stringify(blocks).includes('cut: this message was too long for Slack')).toBe(true);
  });

  it('renders a form as a modal within the limits, remembering where to answer', () => {
    const view = renderForm(
      {
        id: 'submit:form:a-very-long-challenge-id',
        title: 'A challenge title much longer than twenty-four characters',
        fields: [{ id: 'code', label: 'Your solution', style: 'paragraph', required: true, value: 'x'.repeat(4000), maxLength: 4000 }],
      },
      {
        id: 'submit:form:a-very-long-challenge-id',
        channelId: 'C1',
        responseUrl: 'https://hooks.slack.test/commands/T1/1/abc',
        responseUrlExpiresAt: 1,
      },
    );
    expect(blockProblems(view.blocks, 100)).toEqual([]);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const input = view.blocks[0] as { element: { max_length: number; initial_value: string }; hint?: unknown };
    expect(input.element.max_length).toBe(3000);
    expect(input.element.initial_value).toHaveLength(3000);
    expect(input.hint).toBeDefined();
    expect(decodeOrigin(view.private_metadata, view.callback_id ?? '')).toEqual({
      id: 'submit:form:a-very-long-challenge-id',
      channelId: 'C1',
      responseUrl: 'https://hooks.slack.test/commands/T1/1/abc',
      responseUrlExpiresAt: 1,
    });
    expect(decodeOrigin('not json', 'run:form')).toEqual({ id: 'run:form' });
  });
});

describe('slash command text', () => {
  it('undoes Slack’s escaping so code runs as typed, keeping channel references for options', () => {
    const typed = 'run ```python\nif a &lt; b &amp;&amp; <http://example.com|example.com>:\n    print("<#C1|general>")\n```';
    expect(decodeCommandText(typed)).toBe('run ```python\nif a < b && example.com:\n    print("#general")\n```');
    expect(decodeCommandText('config daily time:09:00 channel:<#C0STUDY|study>')).toBe('config daily time:09:00 channel:<#C0STUDY|study>');
    expect(decodeCommandText('help <@U1|ada> <!here>')).toBe('help @ada @here');
  });

  it('parses /study subcommands like the terminal does; nothing at all is help', () => {
    expect(commandEvent('', commands)).toEqual({ type: 'command', name: 'help', path: [], options: {} });
    expect(commandEvent('quiz asyncio', commands)).toMatchObject({ name: 'quiz', options: { track: 'asyncio' } });
    expect(commandEvent('lesson next', commands)).toMatchObject({ name: 'lesson', path: ['next'] });
    expect(commandEvent('config daily time:09:00 timezone:Europe/Rome channel:<#C0STUDY|study>', commands)).toMatchObject({
      name: 'config',
      path: ['daily', 'set'],
      options: { time: '09:00', timezone: 'Europe/Rome', channel: 'C0STUDY' },
    });
    expect(commandEvent('run ```python\nprint(1 &lt; 2)\n```', commands)).toMatchObject({ name: 'run', options: { code: 'print(1 < 2)' } });
    expect(commandEvent('submit add-two ```python\ndef add(a, b): return a + b\n```', commands)).toMatchObject({
      name: 'submit',
      options: { challenge: 'add-two', code: 'def add(a, b): return a + b' },
    });
  });
});

import { describe, expect, test } from 'vitest';
import type { Message } from '../../src/chat/reply.js';
import { buttons, code, note, text } from '../../src/chat/reply.js';
import { ComponentIds } from '../../src/platforms/discord/component-ids.js';
import { escapeFenced, fence } from '../../src/platforms/discord/markdown.js';
import { codeFromMessage } from '../../src/platforms/discord/message-code.js';
import { restMessage } from '../../src/platforms/discord/payload.js';
import { renderChoices, renderMessage, renderModal } from '../../src/platforms/discord/render.js';
import { isEmptyMessage, messageProblems, modalProblems } from './fake-refusals.js';

/** Every message must pass the checks Discord applies (the same ones the fake enforces). */
function expectSendable(m: Message) {
  const parts = renderMessage(m, new ComponentIds());
  for (const p of parts) {
    const { body, files } = restMessage(p);
    expect(messageProblems(body as Record<string, unknown>)).toEqual([]);
    expect(isEmptyMessage({ ...body, attachments: files })).toBe(false);
  }
  return parts;
}

const FENCES = /```/g;

describe('rendering neutral messages for Discord', () => {
  test('title and text become one embed; notes become subtext; buttons become a row', () => {
    const [m, ...rest] = expectSendable({
      title: 'Quiz',
      blocks: [text('What is **2 + 2**?'), buttons({ id: 'quiz:answer:p1:0', label: 'A', style: 'primary' }), note('open for 24 h')],
    });
    expect(rest).toEqual([]);
    expect(m!.embeds).toEqual([{ title: 'Quiz', description: 'What is **2 + 2**?\n\n-# open for 24 h', color: 0x3776ab }]);
    expect(m!.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: 'A', custom_id: 'quiz:answer:p1:0' }] }]);
    expect(m!.ephemeral).toBe(false);
  });

  test('a private message is ephemeral', () => {
    const [m] = expectSendable({ blocks: [text('only you')], private: true });
    expect(m!.ephemeral).toBe(true);
    expect(restMessage(m!, { ephemeral: true }).body.flags).toBe(64);
  });

  test('code can never close its fence, whatever it contains', () => {
    const nasty = 'print("```")\n```\n@everyone ``` `` `\n````python\nx';
    const [m] = expectSendable({ blocks: [code(nasty, 'python', 'Output')] });
    const d = m!.embeds[0]!.description!;
    expect(d.startsWith('**Output**\n```python\n')).toBe(true);
    expect(d.endsWith('\n```')).toBe(true);
    // Exactly the opening and the closing fence; no run of two backticks inside.
    expect(d.match(FENCES)).toHaveLength(2);
    const inside = d.slice(d.indexOf('\n', d.indexOf('```')) + 1, d.lastIndexOf('\n```'));
    expect(inside).not.toMatch(/``/);
    expect(inside.replace(/\u200b/g, '')).toBe(nasty);
  });

  test('a language tag cannot smuggle markup', () => {
    expect(fence('x', 'py\n```\n@everyone')).toBe('```\nx\n```');
    expect(escapeFenced('``')).toBe('`\u200b`');
  });

  test('long text is split across embeds and messages, never over a limit, code blocks reopened', () => {
    const para = (i: number) => `Paragraph ${i}: ${'lorem ipsum '.repeat(30)}`;
    const longCode = Array.from({ length: 600 }, (_, i) => `line_${i} = ${i} * 2  # a comment`).join('\n');
    const parts = expectSendable({
      title: 'A very long lesson',
      blocks: [text(Array.from({ length: 40 }, (_, i) => para(i)).join('\n\n')), code(longCode, 'python')],
    });
    expect(parts.length).toBeGreaterThan(1);
    const descriptions = parts.flatMap((p) => p.embeds.map((e) => e.description ?? ''));
    for (const d of descriptions) {
      expect(d.length).toBeLessThanOrEqual(4096);
      expect((d.match(FENCES) ?? []).length % 2).toBe(0);
    }
    // Nothing lost: every paragraph and every code line is somewhere.
    const all = descriptions.join('\n');
    for (let i = 0; i < 40; i++) expect(all).toContain(`Paragraph ${i}:`);
    for (let i = 0; i < 600; i += 97) expect(all).toContain(`line_${i} = ${i} * 2`);
    expect(parts[0]!.embeds[0]!.title).toBe('A very long lesson');
  });

  test('one enormous line is cut into pieces rather than refused', () => {
    const parts = expectSendable({ blocks: [code('x'.repeat(10_000), 'text')] });
    expect(parts.flatMap((p) => p.embeds).length).toBeGreaterThanOrEqual(3);
  });

  test('too many buttons wrap into rows of five; rows beyond five go to another message', () => {
    const many = Array.from({ length: 27 }, (_, i) => ({ id: `x:b:${i}`, label: `Button ${i}` }));
    const parts = expectSendable({ blocks: [text('pick'), buttons(...many)] });
    expect(parts).toHaveLength(2);
    expect(parts[0]!.components).toHaveLength(5);
    expect(parts[1]!.components).toHaveLength(1);
    expect(parts[1]!.components[0]!.components).toHaveLength(2);
    expect(parts.flatMap((p) => p.components.flatMap((r) => r.components)).length).toBe(27);
  });

  test('labels, select options and custom ids are kept within limits', () => {
    const ids = new ComponentIds();
    const longId = `lesson:open:${'z'.repeat(150)}`;
    const [m] = renderMessage(
      {
        blocks: [
          buttons({ id: longId, label: 'L'.repeat(120) }),
          {
            kind: 'select',
            id: 'lesson:open',
            placeholder: 'P'.repeat(200),
            options: Array.from({ length: 40 }, (_, i) => ({ label: `${i} ${'o'.repeat(150)}`, value: `v${i}`, description: 'd'.repeat(150) })),
          },
        ],
      },
      ids,
    );
    expect(messageProblems(restMessage(m!).body as Record<string, unknown>)).toEqual([]);
    const button = m!.components[0]!.components[0]! as { custom_id: string; label: string };
    expect(button.label).toHaveLength(80);
    expect(button.custom_id.length).toBeLessThanOrEqual(100);
    // The short id leads back to the full one.
    expect(ids.decode(button.custom_id)).toEqual({ kind: 'neutral', id: longId });
    const select = m!.components[1]!.components[0]! as { options: unknown[] };
    expect(select.options).toHaveLength(25);
  });

  test('images and files; an empty message still has something to show', () => {
    const [m] = expectSendable({
      blocks: [
        text('chart'),
        { kind: 'image', url: 'https://example.com/a.png', alt: 'a' },
        { kind: 'image', url: 'https://example.com/b.png', alt: 'b' },
      ],
      files: [{ name: 'out.txt', data: Buffer.from('hello') }],
    });
    expect(m!.embeds.map((e) => e.image?.url)).toEqual(['https://example.com/a.png', 'https://example.com/b.png']);
    expect(m!.files.map((f) => f.name)).toEqual(['out.txt']);
    const { body, files } = restMessage(m!);
    expect(body.attachments).toEqual([{ id: 0, filename: 'out.txt' }]);
    expect(files[0]).toMatchObject({ name: 'out.txt' });
    const [empty] = expectSendable({ blocks: [] });
    expect(empty!.embeds).toHaveLength(1);
  });
});

describe('forms and autocomplete', () => {
  test('a form becomes a modal of labelled text inputs within limits', () => {
    const modal = renderModal(
      {
        id: 'submit:form:add-two',
        title: 'A title that is much longer than forty-five characters in total',
        fields: [
          { id: 'code', label: 'Your solution', style: 'paragraph', required: true, value: 'x'.repeat(5000), maxLength: 4000 },
          { id: 'stdin', label: 'Input', style: 'short', placeholder: 'p'.repeat(120) },
        ],
      },
      'submit:form:add-two',
    );
    expect(modalProblems(modal as unknown as Record<string, unknown>)).toEqual([]);
    expect(modal.title).toHaveLength(45);
    expect(modal.components[0]).toMatchObject({
      type: 18,
      label: 'Your solution',
      component: { type: 4, custom_id: 'code', style: 2, required: true, max_length: 4000 },
    });
    expect(modal.components[1]).toMatchObject({ component: { custom_id: 'stdin', style: 1, required: false } });
  });

  test('at most 25 choices of at most 100 characters', () => {
    const choices = renderChoices(Array.from({ length: 40 }, (_, i) => ({ name: `${i}${'n'.repeat(120)}`, value: `v${i}` })));
    expect(choices).toHaveLength(25);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
  });
});

describe('code from a chat message (Run Python)', () => {
  test('python blocks are joined in order; a stdin block is the input', () => {
    const m = codeFromMessage('first\n```python\nx = 6\n```\nthen\n```py\nprint(x * 7)\n```\n```stdin\n5\n```\n```js\nalert(1)\n```');
    expect(m).toEqual({ code: 'x = 6\n\nprint(x * 7)', stdin: '5', from: 'blocks' });
  });

  test("the code blocks of the bot's own embeds count, with the fence escaping undone", () => {
    const embed = `**Starter code**\n${fence('print("```")\nx = 1', 'python')}`;
    expect(codeFromMessage('', [embed])).toEqual({ code: 'print("```")\nx = 1', from: 'blocks' });
  });

  test('without python blocks the text itself is the code; nothing at all is nothing', () => {
    expect(codeFromMessage('print(1)')).toEqual({ code: 'print(1)', from: 'text' });
    expect(codeFromMessage('   ')).toBeUndefined();
  });
});

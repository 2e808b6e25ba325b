import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/chat/reply.js';
import { plainText } from '../../src/chat/reply.js';
import { chatContext, createTestApp, type TestApp } from '../support/app.js';
import { dispatchReplies, dispatchText } from '../support/dispatch.js';
import { quizButtons } from '../support/quiz.js';

/** Reads Anki's text import format as Anki does: `#key:value` headers, then tab-separated quoted fields. */
function readAnki(text: string): { headers: Map<string, string>; rows: string[][] } {
  const headers = new Map<string, string>();
  const rows: string[][] = [];
  let i = 0;
  while (text.startsWith('#', i)) {
    const end = text.indexOf('\n', i);
    const [key, value] = text.slice(i + 1, end).split(':');
    headers.set(key!, value!);
    i = end + 1;
  }
  let row: string[] = [];
  while (i < text.length) {
    expect(text[i]).toBe('"');
    let j = i + 1;
    let value = '';
    for (;;) {
      const q = text.indexOf('"', j);
      if (text[q + 1] === '"') {
        value += text.slice(j, q + 1);
        j = q + 2;
      } else {
        value += text.slice(j, q);
        j = q + 1;
        break;
      }
    }
    row.push(value);
    if (text[j] === '\n') {
      rows.push(row);
      row = [];
    } else expect(text[j]).toBe('\t');
    i = j + 1;
  }
  return { headers, rows };
}

describe('/flashcards export', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.stop();
  });

  it('gives a file Anki imports: one note per card of the track, HTML fields, stable ids, decks and tags; missed questions in a deck of their own', async () => {
    const ada = chatContext({ userId: 'ada' });
    const quiz = (await dispatchReplies(app, ada, '/quiz alpha'))[0]!;
    const ids = (quiz.kind === 'message' ? quiz.message.blocks : []).flatMap((b) => (b.kind === 'buttons' ? b.buttons.map((x) => x.id) : []));
    await app.router.dispatch({ type: 'component', id: quizButtons(app.services, ids).wrong[0]! }, ada);

    const [reply] = await dispatchReplies(app, ada, '/flashcards export alpha');
    const m = (reply as { message: Message }).message;
    expect(m.private).toBe(true);
    expect(plainText(m)).toMatch(/3 cards\*\* from Alpha basics and \*\*1\*\* made from questions you missed, in studybot-alpha-flashcards\.txt/);
    const file = m.files![0]!;
    expect(file.name).toBe('studybot-alpha-flashcards.txt');
    const { headers, rows } = readAnki(file.data.toString('utf8'));
    expect(Object.fromEntries(headers)).toMatchObject({
      separator: 'tab',
      html: 'true',
      notetype: 'Basic',
      'guid column': '1',
      'deck column': '4',
      'tags column': '5',
    });
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r).toHaveLength(5);
    const print = rows.find((r) => r[0] === 'studybot-alpha-fc-print')!;
    expect(print.slice(1, 4)).toEqual(['<p>What does print return?</p>', '<p>None.</p>', 'studybot::Alpha basics']);
    expect(print[4]).toBe('studybot alpha alpha-first');
    const missed = rows.find((r) => r[0]!.startsWith('studybot-miss:'))!;
    expect(missed[3]).toBe('studybot::Missed questions');
    expect(missed[2]).toMatch(/You chose <b>/);
    // Code in a card stays code, escaped.
    expect(rows.some((r) => r[1]!.includes('<code>'))).toBe(true);

    const all = (await dispatchReplies(app, chatContext({ userId: 'bob' }), '/flashcards export'))[0] as { message: Message };
    expect(readAnki(all.message.files![0]!.data.toString('utf8')).rows).toHaveLength(app.services.content.cardById.size);
    expect(await dispatchText(app, ada, '/flashcards export nosuch')).toMatch(/nosuch/);
  });
});

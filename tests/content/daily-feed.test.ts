import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loader.js';
import { chatContext, createTestApp, type TestApp } from '../support/app.js';
import { dispatchReplies, dispatchText } from '../support/dispatch.js';
import { RecordingSender } from '../support/recorder.js';

const content = loadContent('content');

describe('the daily feed over the real course', () => {
  let app: TestApp;
  let sender: RecordingSender;
  const admin = chatContext({ isAdmin: true, channelId: 'study-group' });

  beforeAll(async () => {
    app = await createTestApp({ content: path.resolve('content'), random: Math.random });
    sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('walks a track in order, each day a lesson with one of its own questions', async () => {
    await dispatchText(app, admin, '/config daily time:08:00 timezone:Europe/Rome track:asyncio');
    const asyncio = content.lessons.filter((l) => l.track === 'asyncio');
    for (let day = 0; day < asyncio.length; day++) {
      await app.services.daily.post('terminal:ws1', 'study-group');
      const [lessonPost, quizPost] = sender.posts.slice(day * 2, day * 2 + 2);
      expect(lessonPost!.message.title).toBe(asyncio[day]!.title);
      const postedQuestion = [...content.questionById.values()].find((q) => quizPost!.text.startsWith(`Quiz\n${q.question}`));
      expect(postedQuestion?.lessonId, `day ${day + 1}`).toBe(asyncio[day]!.id);
    }
    // After the track, a "track complete" post, then the next track begins.
    await app.services.daily.post('terminal:ws1', 'study-group');
    const [complete, next] = sender.posts.slice(-3);
    expect(complete!.message.title).toBe('Track complete');
    expect(complete!.text).toMatch(/asyncio is complete!.*Next up: the \*Testing\* track/s);
    expect(next!.message.title).toBe(content.lessons.find((l) => l.track === 'testing')!.title);
  });

  it("each lesson's last page offers its quiz, its flashcards and its challenge", async () => {
    const lesson = content.lessons.find((l) => l.challenge && l.quiz.length && l.flashcards.length)!;
    const ctx = chatContext({ userId: 'reader' });
    let replies = await dispatchReplies(app, ctx, `/lesson show ${lesson.id}`);
    // Page through to the last page.
    for (;;) {
      const m = replies[0]!;
      if (m.kind !== 'message') throw new Error('expected a message');
      const next = m.message.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : [])).find((b) => b.label === 'Next page ▸');
      if (!next) break;
      replies = await app.router.dispatch({ type: 'component', id: next.id }, ctx);
    }
    const last = replies[0]!;
    if (last.kind !== 'message') throw new Error('expected a message');
    const ids = last.message.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons.map((x) => x.id) : []));
    expect(ids).toEqual(
      expect.arrayContaining([`lesson:quiz:1:${lesson.id}`, `lesson:cards:1:${lesson.id}`, `lesson:challenge:1:${lesson.challenge}`]),
    );
    // Each of them opens what it says.
    const quiz = await app.router.dispatch({ type: 'component', id: `lesson:quiz:1:${lesson.id}` }, ctx);
    const cards = await app.router.dispatch({ type: 'component', id: `lesson:cards:1:${lesson.id}` }, ctx);
    const challenge = await app.router.dispatch({ type: 'component', id: `lesson:challenge:1:${lesson.challenge}` }, ctx);
    const text = (r: typeof quiz) => (r[0]!.kind === 'message' ? r[0]!.message : undefined);
    expect(lesson.quiz.some((id) => text(quiz)!.blocks.some((b) => b.kind === 'text' && b.markdown === content.questionById.get(id)!.question))).toBe(
      true,
    );
    expect(lesson.flashcards.some((id) => text(cards)!.blocks.some((b) => b.kind === 'text' && b.markdown === content.cardById.get(id)!.front))).toBe(
      true,
    );
    expect(text(challenge)!.title).toBe(`Challenge: ${content.challengeById.get(lesson.challenge!)!.title}`);
  });
});

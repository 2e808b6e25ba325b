import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../src/chat/context.js';
import { parseCommandLine } from '../../src/chat/parse.js';
import { plainText, type Message, type Reply } from '../../src/chat/reply.js';
import { cardStates } from '../../src/db/schema.js';
import { cardStats } from '../../src/learning/flashcards.js';
import { workspaceContent } from '../../src/learning/decks.js';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { localFile } from '../../src/platforms/terminal/index.js';
import { chatContext, createTestApp, ManualClock, type TestApp } from '../support/app.js';
import { readable } from '../support/dispatch.js';
import { buttonId, buttonsOf, onlyMessage } from '../support/messages.js';
import { quizButtons } from '../support/quiz.js';
import { RecordingSender } from '../support/recorder.js';
import { TimerDriver } from '../support/timers.js';

const T0 = Date.parse('2026-03-10T09:00:00Z');

const DECK_YAML = `# The study group's own questions
title: Django club
questions:
  - id: orm-lazy
    difficulty: medium
    question: When does a Django QuerySet hit the database?
    options:
      - text: When it is first evaluated, for example iterated
        correct: true
        why: QuerySets are lazy; building and filtering them runs no query.
      - text: As soon as filter() is called on the manager
        why: filter() returns a new QuerySet and runs nothing yet.
      - text: When the model class is imported by a module
        why: Importing a model runs no query at all.
  - id: orm-select-related
    difficulty: hard
    question: Which call joins a ForeignKey in the same query?
    options:
      - text: prefetch_related() on the QuerySet
        why: That runs a second query and joins in Python.
      - text: select_related() on the QuerySet
        correct: true
        why: select_related follows foreign keys with a SQL join.
flashcards:
  - id: club-fc-f-expression
    front: What does an F() expression refer to?
    back: A field's value in the database, so updates can use it without reading it first.
    tags: [orm]
  - id: club-fc-q-object
    front: What are Q objects for?
    back: Combining lookups with OR, AND and NOT.
`;

const DECK_CSV = `type,id,difficulty,question,option1,why1,option2,why2,option3,why3,correct,front,back,tags
question,orm-lazy,medium,When does a Django QuerySet hit the database?,"When it is first evaluated, for example iterated",QuerySets are lazy.,As soon as filter() is called,filter() returns a new QuerySet.,When the model is imported,Importing runs no query.,1,,,
question,csv-only-question,easy,"Which command creates migration files, as a CSV row?",makemigrations,It writes migration files from model changes.,migrate,That applies them.,showmigrations,That lists them.,A,,,
card,club-fc-f-expression,,,,,,,,,,What does an F() expression refer to?,"A field's value in the database, read by the query itself.",orm;expressions
`;

describe('/config import: the group’s own deck', () => {
  let app: TestApp;
  let dir: string;
  const sender = new RecordingSender();
  const clock = new ManualClock(T0);
  const admin = chatContext({ userId: 'admin', isAdmin: true });
  const learner = chatContext({ userId: 'ada' });
  const elsewhere = chatContext({ userId: 'bob', workspaceId: 'ws2' });
  const otherAdmin = chatContext({ userId: 'boss', workspaceId: 'ws2', isAdmin: true });
  // Always the last of the equally good questions: a deck question, were it in the pool.
  let pickLast = false;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'studybot-deck-'));
    app = await createTestApp({ clock, random: () => (pickLast ? 0.999 : 0) });
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  });
  afterAll(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, body: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, body);
    return p;
  };
  /** A typed command through the terminal's parser (local paths for file options) and the router. */
  const run = async (ctx: ChatContext, line: string): Promise<Reply[]> => {
    try {
      return await app.router.dispatch(parseCommandLine(line, app.router.commands, { localFile }), ctx);
    } catch (err) {
      return [app.router.errors.reply(err)];
    }
  };
  const say = async (ctx: ChatContext, line: string) =>
    (await run(ctx, line)).map((r) => (r.kind === 'message' ? readable(r.message) : `[form ${r.form.title}]`)).join('\n');
  /** The deck cards the learner has review state for (what a later review would bring back). */
  const deckStates = () =>
    app.services.db
      .select({ id: cardStates.cardId })
      .from(cardStates)
      .where(and(eq(cardStates.workspace, 'terminal:ws1'), eq(cardStates.userId, 'ada'), like(cardStates.cardId, '%deck:%')))
      .all()
      .map((r) => r.id);
  const viewOf = (ctx: ChatContext) => ({
    db: app.services.db,
    content: workspaceContent(app.services.db, app.services.content, `terminal:${ctx.workspaceId}`),
  });

  it('imports a YAML deck; /quiz on its track serves its questions in that workspace and a right answer scores', async () => {
    const reply = await say(admin, `/config import ${file('club.yaml', DECK_YAML)}`);
    expect(reply).toMatch(/Imported \*\*Django club\*\* from club\.yaml: 2 questions and 2 flashcards, for this workspace only/);
    expect(reply).toMatch(/Its track is `group`: `\/quiz group`/);

    const m = onlyMessage(await run(learner, '/quiz group'));
    expect(plainText(m)).toMatch(/When does a Django QuerySet hit the database\?|Which call joins a ForeignKey/);
    expect(plainText(m)).toMatch(/Django club · (medium|hard)/);
    const { right } = quizButtons(
      viewOf(learner),
      buttonsOf(m).map((b) => b.id),
    );
    const answer = plainText(onlyMessage(await app.router.dispatch({ type: 'component', id: right }, learner)));
    expect(answer).toMatch(/\+1[05] points/);
    expect(pointsOf(app.services.db, 'terminal:ws1', 'ada', clock.now(), 'UTC').total).toBeGreaterThan(0);
    // A deck has no lessons to list, and says what it has instead.
    expect(await say(learner, '/lesson list group')).toMatch(
      /Django club\* has no lessons: it is this group's own questions and flashcards\.\nTry `\/quiz group`/,
    );
    // Autocomplete offers it here.
    expect((await app.router.autocomplete('quiz', [], 'track', 'gr', learner)).map((c) => c.value)).toContain('group');
  });

  it('another workspace never sees the deck: the track does not exist there and /quiz never draws from it', async () => {
    expect(await say(elsewhere, '/quiz group')).toMatch(/There is no track "group"\.[\s\S]*Tracks: alpha, beta$/m);
    expect(await app.router.autocomplete('quiz', [], 'track', 'gr', elsewhere)).toEqual([]);
    pickLast = true;
    try {
      // Where the deck is, the last question of the pool is one of the deck's...
      expect(plainText(onlyMessage(await run(chatContext({ userId: 'cy' }), '/quiz')))).toMatch(/Django/);
      // ...and in the other workspace the same pick lands on a course question.
      for (const who of ['bob', 'dan', 'eve']) {
        const text = plainText(onlyMessage(await run(chatContext({ userId: who, workspaceId: 'ws2' }), '/quiz')));
        expect(text).not.toMatch(/Django|QuerySet|ForeignKey/);
        expect(text).toMatch(/Alpha basics|Beta topics/);
      }
    } finally {
      pickLast = false;
    }
    expect(await say(elsewhere, '/flashcards review group')).toMatch(/There is no track "group"/);
  });

  it('reviews the deck’s cards with /flashcards and posts its questions as the daily post of a channel set to it', async () => {
    const card = onlyMessage(await run(learner, '/flashcards review group'));
    expect(plainText(card)).toMatch(/What does an F\(\) expression refer to\?/);
    expect(plainText(card)).toMatch(/new card .* in Django club/);
    const back = onlyMessage(await app.router.dispatch({ type: 'component', id: buttonId(card, /Show answer/) }, learner));
    expect(plainText(back)).toMatch(/A field's value in the database/);
    await app.router.dispatch({ type: 'component', id: buttonId(back, /^Good/) }, learner);

    expect(await say(admin, '/config daily time:09:00 timezone:UTC track:group')).toMatch(
      /every day at \*\*09:00 UTC\*\* in #general, asking a question of \*Django club\*, this group's own deck\./,
    );
    const before = sender.posts.length;
    await app.services.daily.post('terminal:ws1', 'general');
    const posted = sender.posts.slice(before).map((p) => p.text);
    expect(posted[0]).toMatch(/Today's question\*\* from \*Django club\*/);
    expect(posted[0]).toMatch(/\/flashcards group/);
    expect(posted[1]).toMatch(/QuerySet|ForeignKey/);
    expect(posted.join('\n')).not.toMatch(/Today's lesson/);
    // What follows the end of a track means nothing for a deck, and the admin is told so.
    expect(await say(admin, '/config daily time:09:00 timezone:UTC track:group after:stop')).toMatch(
      /after:stop is for the course's tracks, which end: a deck's questions come round again, new ones first\./,
    );
    expect(await say(admin, '/config daily time:09:00 timezone:UTC track:group')).not.toMatch(/after:/);
    await say(admin, '/config daily off');
  });

  it('refuses a file with errors, naming line and field, and keeps the deck it had', async () => {
    const broken = DECK_YAML.replace('        correct: true\n        why: select_related', '        why: select_related').replace(
      'front: What are Q objects for?',
      'front: ""',
    );
    const reply = await say(admin, `/config import ${file('broken.yaml', broken)}`);
    expect(reply).toMatch(/Nothing was imported: broken\.yaml has 2 problems/);
    expect(reply).toMatch(/broken\.yaml:19: questions\[1\]\.options: exactly one option must have "correct: true" \(found 0\)/);
    expect(reply).toMatch(/broken\.yaml:29: flashcards\[1\]\.front: the front must not be empty/);
    expect(reply).toMatch(/The deck this workspace had is unchanged/);

    const csv = await say(admin, `/config import ${file('broken.csv', DECK_CSV.replace(',1,,,', ',7,,,').replace('easy,', 'simple,'))}`);
    expect(csv).toMatch(/broken\.csv:2: correct: expected the number \(1-5\) or letter \(A-E\) of the right option, not "7"/);
    expect(csv).toMatch(/broken\.csv:3: difficulty: expected easy, medium or hard/);
    expect(await say(admin, `/config import ${file('notes.txt', 'hello')}`)).toMatch(/"notes\.txt" is not a \.yaml or \.yml or \.csv file/);
    const big = `questions:\n${'#'.repeat(1_200_000)}\n`;
    expect(await say(admin, `/config import ${file('big.yaml', big)}`)).toMatch(/"big\.yaml" is 1200 KB; the limit is 1000 KB/);
    // The first deck is still served, whole.
    expect(plainText(onlyMessage(await run(learner, '/quiz group')))).toMatch(/Django club/);
    expect(viewOf(learner).content.questionById.has('deck:orm-select-related')).toBe(true);
  });

  it('only admins import or remove, and a deck cannot take a course track’s name', async () => {
    expect(await say(learner, `/config import ${path.join(dir, 'club.yaml')}`)).toMatch(/Only admins can use \/config import/);
    expect(await say(learner, '/config import remove')).toMatch(/Only admins can use \/config import/);
    expect(await say(admin, `/config import ${path.join(dir, 'club.yaml')} name:Alpha`)).toMatch(/"alpha" is one of the course's tracks/);
    expect(await say(admin, '/config import')).toMatch(
      /Give the deck file's path: `\/config import \.\/deck\.yaml`\. This workspace's deck: \*\*Django club\*\*/,
    );
  });

  it('a CSV import replaces the deck: kept ids keep their review state, removed ones go away', async () => {
    const stats = () =>
      cardStats(app.services.db, viewOf(learner).content, {
        ws: 'terminal:ws1',
        userId: 'ada',
        now: clock.now(),
        zone: 'UTC',
        newPerDay: 20,
        endOfDay: clock.now(),
      });
    expect(deckStates()).toEqual(['deck:club-fc-f-expression']);
    expect(stats().total).toBe(1);
    const reply = await say(admin, `/config import ${file('club.csv', DECK_CSV)}`);
    expect(reply).toMatch(/Imported \*\*Django club\*\* from club\.csv: 2 questions and 1 flashcard/);
    expect(reply).toMatch(/2 kept their ids .*; 2 are gone/);
    // The card rated before keeps its schedule: it is not new again.
    expect(stats().total).toBe(1);
    expect(deckStates()).toEqual(['deck:club-fc-f-expression']);
    expect(plainText(onlyMessage(await run(learner, '/flashcards review group')))).toMatch(/All caught up in Django club/);
    // Weeks later the card is due again, and the daily /review brings it, saying where it is from.
    clock.advance(60 * 86_400_000);
    const review = plainText(onlyMessage(await run(learner, '/review')));
    expect(review).toMatch(/What does an F\(\) expression refer to\?/);
    expect(review).toMatch(/from Django club/);
    const content = viewOf(learner).content;
    expect(content.questionById.has('deck:csv-only-question')).toBe(true);
    expect(content.questionById.has('deck:orm-select-related')).toBe(false);
    expect(content.cardById.get('deck:club-fc-f-expression')?.tags).toEqual(['orm', 'expressions']);
    pickLast = true;
    try {
      expect(plainText(onlyMessage(await run(chatContext({ userId: 'fay' }), '/quiz group')))).toMatch(/Which command creates migration files/);
    } finally {
      pickLast = false;
    }
    // A name of the admin's own makes the track's id; a daily post on the old id follows it.
    await say(admin, '/config daily time:09:00 timezone:UTC track:group');
    const renamed = await say(admin, `/config import ${path.join(dir, 'club.csv')} name:"Django Club 2"`);
    expect(renamed).toMatch(/Its track is `django-club-2`/);
    expect(renamed).toMatch(/The daily post in #general now asks from `django-club-2`\./);
    expect(await say(admin, '/config daily show')).toMatch(/track django-club-2/);
    await say(admin, '/config daily off');
    expect(await say(learner, '/quiz group')).toMatch(/There is no track "group"/);
    expect(await say(learner, '/quiz django-club-2')).toMatch(/Django Club 2 · /);
  });

  it('removes the deck: its track is gone and what was removed is said', async () => {
    const reply = await say(admin, '/config import remove');
    expect(reply).toMatch(/Removed \*\*Django Club 2\*\* \(track `django-club-2`\): 2 questions and 1 flashcard/);
    expect(await say(learner, '/quiz django-club-2')).toMatch(/There is no track "django-club-2"/);
    expect(deckStates()).toEqual([]);
    expect(await say(admin, '/config import remove')).toMatch(/no imported deck: there was nothing to remove/);
    expect(await say(otherAdmin, '/config import remove')).toMatch(/nothing to remove/);
  });

  it('a removed deck’s open question and a review showing its card say they are gone, and score nothing', async () => {
    await say(admin, `/config import ${path.join(dir, 'club.yaml')}`);
    const pointsBefore = pointsOf(app.services.db, 'terminal:ws1', 'ada', clock.now(), 'UTC').total;
    const m: Message = onlyMessage(await run(learner, '/quiz group'));
    // Hal rates a deck card Again; minutes later /review shows it.
    const hal = chatContext({ userId: 'hal' });
    const front = onlyMessage(await run(hal, '/flashcards review group'));
    const back = onlyMessage(await app.router.dispatch({ type: 'component', id: buttonId(front, /Show answer/) }, hal));
    await app.router.dispatch({ type: 'component', id: buttonId(back, /^Again/) }, hal);
    clock.advance(30 * 60_000);
    const review = onlyMessage(await run(hal, '/review'));
    expect(plainText(review)).toMatch(/from Django club/);

    await say(admin, '/config import remove');
    const click = await app.router.dispatch({ type: 'component', id: buttonsOf(m)[0]!.id }, learner);
    expect(plainText(onlyMessage(click))).toMatch(/That question has been retired/);
    expect(pointsOf(app.services.db, 'terminal:ws1', 'ada', clock.now(), 'UTC').total).toBe(pointsBefore);
    const reveal = await app.router.dispatch({ type: 'component', id: buttonId(review, /Show answer/) }, hal);
    expect(plainText(onlyMessage(reveal))).toMatch(/That card has been removed\.\nRun \/review to carry on with the rest\./);
  });

  it('a deck id equal to a course id is the deck’s own: the course question stays as it is', async () => {
    const same = `questions:
  - id: beta-q-sorted
    difficulty: hard
    question: A group question that reuses a course id?
    options:
      - text: It stays apart
        correct: true
        why: Deck items live under their own ids.
      - text: It replaces the course's
        why: The course is never changed by a deck.
`;
    expect(await say(admin, `/config import ${file('same.yaml', same)}`)).toMatch(/Imported/);
    expect(plainText(onlyMessage(await run(chatContext({ userId: 'gil' }), '/quiz group')))).toMatch(/A group question that reuses a course id\?/);
    const course = plainText(onlyMessage(await run(chatContext({ userId: 'gil' }), '/quiz beta')));
    expect(course).toMatch(/Does `sorted\(\)` change the list it is given\?/);
    expect(course).toMatch(/Beta topics · easy/);
    await say(admin, '/config import remove');
  });

  it('imports text that will render badly, and says where, as content:check does for the course', async () => {
    const rough = `questions:
  - id: rough-q
    difficulty: easy
    question: "Which tag is <b>bold</b>?"
    options:
      - text: strong
        correct: true
        why: "See ![the spec](https://example.org/b.png)"
      - text: em
        why: That one is emphasis.
flashcards:
  - id: rough-card
    front: A deep heading?
    back: "#### Not on Discord"
`;
    // The reply's Markdown escapes what it quotes; read it as shown.
    const shown = (reply: string) => reply.replace(/\\([[\]#*])/g, '$1');
    const yaml = shown(await say(admin, `/config import ${file('rough.yaml', rough)}`));
    expect(yaml).toMatch(/Imported/);
    expect(yaml).toMatch(/some text will not read well on Discord, Slack or in the terminal/);
    expect(yaml).toMatch(/rough\.yaml:2: questions\[0\]\.question: raw HTML is shown as literal text/);
    expect(yaml).toMatch(/rough\.yaml:2: questions\[0\]\.options\[0\]\.why: an image is shown as a link/);
    expect(yaml).toMatch(/rough\.yaml:12: flashcards\[0\]\.back: a level-4 heading/);
    expect(yaml.match(/raw HTML/g)).toHaveLength(1);
    const csv = await say(
      admin,
      `/config import ${file('rough.csv', 'type,id,difficulty,question,option1,why1,option2,why2,correct,front,back\nquestion,rough-csv,easy,Is <i>this</i> shown?,yes,It is.,no,It is not.,1,,\n')}`,
    );
    expect(csv).toMatch(/rough\.csv:2: question: raw HTML is shown as literal text/);
    // A clean deck gets no such note.
    expect(await say(admin, `/config import ${file('club.yaml', DECK_YAML)}`)).not.toMatch(/will not read well/);
    await say(admin, '/config import remove');
  });
});

describe('a timed round on the deck’s track', () => {
  it('asks only the deck’s questions, scores them when revealed by the timers, and ends with a podium', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'studybot-deck-round-'));
    const clock = new ManualClock(T0);
    const app = await createTestApp({ clock, holdTimers: true, random: Math.random });
    const sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
    const timers = new TimerDriver(app.redisUrl, app.queues.timers!, clock);
    try {
      const admin = chatContext({ userId: 'admin', isAdmin: true });
      const ada = chatContext({ userId: 'ada', userName: 'Ada' });
      const deck = path.join(dir, 'round.csv');
      writeFileSync(
        deck,
        [
          'type,id,difficulty,question,option1,why1,option2,why2,correct',
          ...[1, 2, 3].map((i) => `question,r${i},easy,Deck round question number ${i}?,yes ${i},Right.,no ${i},Wrong.,1`),
        ].join('\n'),
      );
      const imported = await app.router.dispatch(parseCommandLine(`/config import ${deck}`, app.router.commands, { localFile }), admin);
      expect(plainText((imported[0] as { message: Message }).message)).toMatch(/3 questions and 0 flashcards/);
      const view = { db: app.services.db, content: workspaceContent(app.services.db, app.services.content, 'terminal:ws1') };

      const started = await app.router.dispatch(parseCommandLine('/round group questions:3 seconds:10', app.router.commands), ada);
      expect(plainText((started[0] as { message: Message }).message)).toContain('3 questions, 10 s each');
      const asked: string[] = [];
      for (let i = 1; i <= 3; i++) {
        await timers.drainUntil('round-ask');
        const post = [...sender.posts].reverse().find((p) => p.message.title === `Round — question ${i} of 3`);
        if (!post) throw new Error(`question ${i} was not posted: ${sender.posts.map((p) => p.message.title).join(', ')}`);
        asked.push(post.text.match(/Deck round question number \d/)?.[0] ?? post.text);
        clock.advance(3000);
        const { right } = quizButtons(
          view,
          buttonsOf(post.message).map((b) => b.id),
        );
        await app.router.dispatch({ type: 'component', id: right }, ada);
        await timers.drainUntil('round-reveal');
        expect(sender.edits.at(-1)!.message.title).toBe(`Round — question ${i} of 3, revealed`);
      }
      expect(asked.sort()).toEqual([1, 2, 3].map((i) => `Deck round question number ${i}`));
      await timers.drain();
      expect(sender.posts.at(-1)!.text).toMatch(/🥇 Ada — \d+ points/);
      expect(pointsOf(app.services.db, 'terminal:ws1', 'ada', clock.now(), 'UTC').total).toBeGreaterThan(0);
    } finally {
      await timers.close();
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

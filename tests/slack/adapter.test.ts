import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf } from '../../src/learning/leaderboard.js';
import { QUIZ_POINTS } from '../../src/learning/quizzes.js';
import { getUser } from '../../src/learning/users.js';
import { answerLabels, blockTexts, buttonLabels, seen, shown, slackSignature, on } from './driver.js';
import { ada, bob, eve, grace, linus, slackHarness, WS, type SlackHarness } from './harness.js';
import type { Visible } from './recorder.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await slackHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** Messages a response_url received. */
const posted = (channel: string) => (v: Visible) => v.via === 'chat.postMessage' && v.channel === channel;

describe('Slack adapter over the HTTP receiver', () => {
  it('refuses a bad signature and a request older than 5 minutes, and dispatches nothing', async () => {
    const { driver, recorder, app, adapter } = h;
    const forged = await driver.command(bob, 'lesson', 'C0FORGED', { secret: 'not-the-signing-secret' });
    expect(forged.status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await driver.command(bob, 'lesson', 'C0FORGED', { timestamp: old });
    expect(stale.status).toBe(401);
    // The same stale body with a signature over the current time is still refused: the signature covers the timestamp.
    const { body } = driver.commandBody(bob, 'lesson', 'C0FORGED');
    const replay = await driver.send(body, 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000),
      signature: slackSignature('8f742231b10e8888abcd99yyyzzz85a5', old, body),
    });
    expect(replay.status).toBe(401);

    await adapter.idle();
    expect(recorder.visible.filter((v) => v.channel === 'C0FORGED')).toEqual([]);
    expect(recorder.calls.filter((c) => c.method === 'users.info' && c.args.user === bob.id)).toEqual([]);
    expect(getUser(app.services.db, WS, bob.id)).toBeUndefined();

    // The same request, signed properly, goes through.
    const ok = await driver.command(bob, 'lesson', 'C0FORGED');
    expect(ok.status).toBe(200);
    const reply = await recorder.waitForVisible('the lesson', on(ok.responseUrl));
    expect(reply.ephemeral).toBe(false);
    expect(getUser(app.services.db, WS, bob.id)?.displayName).toBe('Bob Smith');
  });

  it('answers /study alone with help, naming every command as a /study subcommand', async () => {
    const sent = await h.driver.command(ada, '');
    expect(sent.status).toBe(200);
    // The acknowledgement is empty: the answer follows on the response_url.
    expect(sent.body).toBe('');
    const help = await h.recorder.waitForVisible('help', on(sent.responseUrl));
    expect(help.ephemeral).toBe(true);
    expect(help.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'studybot — learn advanced Python together' } });
    const text = shown(help);
    for (const c of ['lesson', 'quiz', 'flashcards', 'run', 'submit', 'leaderboard', 'config', 'help']) expect(text).toContain(`/study ${c}`);
    expect(text).not.toMatch(/(^|\s)\/quiz/);
  });

  it('answers a typo privately with what to type instead', async () => {
    const sent = await h.driver.command(ada, 'quizz asyncio');
    const reply = await h.recorder.waitForVisible('the error', on(sent.responseUrl));
    expect(reply.ephemeral).toBe(true);
    expect(shown(reply)).toContain('There is no /quizz command. Did you mean /study quiz?');
  });

  it('posts a lesson as Block Kit: header, mrkdwn, code, link, buttons, context; /study lesson next moves on', async () => {
    const { driver, recorder } = h;
    const first = await driver.command(ada, 'lesson', 'C0LESSONS');
    const page = await recorder.waitForVisible('the lesson', on(first.responseUrl));
    expect(page.ephemeral).toBe(false);
    expect(page.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'The first lesson', emoji: true } });
    const texts = blockTexts(page.blocks);
    expect(texts).toContain('\u200B_Where everything starts._\u200B\n\n\u200B*You will learn to*\u200B\n• Print a value');
    expect(texts).toContain('*Printing*\n\n`print` writes a line.\n\n```\nprint(1 + 1)\n```\n\n*Output*\n```\n2\n```');
    expect(texts).toContain('\u200B*Read more*\u200B\n• <https://docs.python.org/3/library/functions.html|Built-in functions>');
    expect(buttonLabels(page.blocks)).toEqual(expect.arrayContaining(['Quiz me', 'Challenge']));
    const context = page.blocks.find((b) => b.type === 'context');
    expect(context).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Alpha basics · lesson 1 of 2 · `alpha-first`' }] });

    // A channel that has not started is at the first lesson, so `next` moves on to the second, then the next track.
    const next = await driver.command(ada, 'lesson next', 'C0LESSONS');
    const second = await recorder.waitForVisible('the next lesson', on(next.responseUrl));
    expect(second.blocks[0]).toMatchObject({ type: 'header', text: { text: 'The second lesson' } });
    expect(shown(second)).toContain('print(len([1, 2, 3]))');
    const after = await recorder.waitForVisible('the lesson after', on((await driver.command(ada, 'lesson next', 'C0LESSONS')).responseUrl));
    expect(after.blocks[0]).toMatchObject({ type: 'header', text: { text: 'The only beta lesson' } });
  });

  it('quiz: an answer scores once, a second click gets the "already answered" notice, the leaderboard shows the points', async () => {
    const { driver, recorder, app } = h;
    await driver.command(ada, 'quiz alpha', 'C0QUIZ');
    // A question is posted to the channel (so its count and reveal can edit it later).
    const question = await recorder.waitForVisible('the question', posted('C0QUIZ'));
    expect(question.ephemeral).toBe(false);
    expect(buttonLabels(question.blocks)).toEqual(['A', 'B', 'C', 'D', 'Reveal']);
    const q = [...app.services.content.questionById.values()].find((x) => shown(question).includes(x.question));
    expect(q).toBeDefined();
    const { right, wrong } = answerLabels(app.services, question.blocks);
    const worth = QUIZ_POINTS[q!.difficulty];

    const before = pointsOf(app.services.db, WS, ada.id, Date.now(), 'UTC').total;
    const first = await driver.click(ada, question, right);
    expect(first.status).toBe(200);
    const verdict = await recorder.waitForVisible('the verdict', on(first.responseUrl));
    expect(verdict).toMatchObject({ ephemeral: true, replaceOriginal: false, user: ada.id });
    expect(shown(verdict)).toContain('✅ Correct!');
    expect(shown(verdict)).toContain(`+${worth} points (${q!.difficulty})`);

    const again = await driver.click(ada, question, wrong[0]!);
    const notice = await recorder.waitForVisible('the notice', on(again.responseUrl));
    expect(notice.ephemeral).toBe(true);
    const letter = right.source.replace(/[\^$]/g, '');
    expect(shown(notice)).toContain(`You already answered this one: you chose ${letter}, which was right ✅.`);
    await h.adapter.idle();
    const total = pointsOf(app.services.db, WS, ada.id, Date.now(), 'UTC').total;
    expect(total).toBe(before + worth);

    // The question's count follows, by chat.update of the same message, and shows no votes.
    const count = await recorder.waitForVisible(
      'the count',
      (v) => v.via === 'chat.update' && v.ts === question.ts && shown(v).includes('1 answered'),
    );
    expect(shown(count)).not.toMatch(/✅|%/);

    const board = await driver.command(bob, 'leaderboard', 'C0QUIZ');
    const shownBoard = await recorder.waitForVisible('the leaderboard', on(board.responseUrl));
    expect(shownBoard.ephemeral).toBe(false);
    expect(shown(shownBoard)).toContain(`🥇 Ada — ${total} points`);
  });

  it('flashcards: reveal replaces the card with its answer, a rating replaces it with the next card', async () => {
    const { driver, recorder } = h;
    const sent = await driver.command(bob, 'flashcards', 'C0CARDS');
    const front = await recorder.waitForVisible('a card', on(sent.responseUrl));
    expect(front.ephemeral).toBe(true);
    expect(shown(front)).toContain('What does print return?');
    expect(buttonLabels(front.blocks)).toEqual(['Show answer']);

    const reveal = await driver.click(bob, front, 'Show answer');
    const back = await recorder.waitForVisible('the answer', on(reveal.responseUrl));
    expect(back).toMatchObject({ replaceOriginal: true, ephemeral: true, ts: front.ts });
    expect(shown(back)).toContain('Answer\nNone.');
    expect(buttonLabels(back.blocks).map((l) => l.split(' · ')[0])).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    const good = back.blocks
      .flatMap((b) => (b.type === 'actions' ? (b.elements as { style?: string; text: { text: string } }[]) : []))
      .find((e) => e.text.text.startsWith('Good'));
    expect(good?.style).toBe('primary');

    const rate = await driver.click(bob, back, /^Good/);
    const next = await recorder.waitForVisible('the next card', on(rate.responseUrl));
    expect(next).toMatchObject({ replaceOriginal: true, ts: front.ts });
    expect(shown(next)).toMatch(/Rated Good: you'll see that card again in \d+m\./);
    expect(shown(next)).toContain('What does len measure?');
  });

  it('App Home: published on app_home_opened, refreshed after a quiz answer and a flashcard rating; its buttons answer in the DM', async () => {
    const { driver, recorder } = h;
    const publishes = () => recorder.callsTo('views.publish').filter((c) => c.args.user_id === linus.id);
    const opened = await driver.homeOpened(linus);
    expect(opened.status).toBe(200);
    const firstView = (await recorder.waitFor('the home view', () => publishes()[0])).args.view as { type: string; blocks: never[] };
    expect(firstView.type).toBe('home');
    const home = seen(blockTexts(firstView.blocks).join('\n'));
    expect(home).toContain("Linus T's study desk");
    expect(home).toContain('⭐ Points: 0 all time · 0 this week');
    expect(home).toContain('📖 Next lesson: The first lesson');
    expect(buttonLabels(firstView.blocks)).toEqual(['Review flashcards', 'Start my review', 'Quiz me', 'Read the next lesson', 'Leaderboard']);

    // Quiz me from the Home tab: the question arrives in the DM with the app.
    expect((await driver.clickHome(linus, firstView, 'Quiz me')).status).toBe(200);
    const question = await recorder.waitForVisible('the question in the DM', (v) => v.via === 'chat.postMessage' && v.channel === 'D0LINUS');
    const q = [...h.app.services.content.questionById.values()].find((x) => shown(question).includes(x.question))!;
    const answered = await driver.click(linus, question, answerLabels(h.app.services, question.blocks).right);
    await recorder.waitForVisible('the verdict', on(answered.responseUrl));
    const afterQuiz = await recorder.waitFor('a refreshed home', () =>
      publishes().find((c) =>
        seen(blockTexts((c.args.view as { blocks: never[] }).blocks).join('\n')).includes(`Points: ${QUIZ_POINTS[q.difficulty]} all time`),
      ),
    );
    expect(seen(blockTexts((afterQuiz.args.view as { blocks: never[] }).blocks).join('\n'))).toContain('rank #');

    // Review flashcards from the Home tab, then rate the card: the Home tab follows.
    const count = publishes().length;
    await driver.clickHome(linus, firstView, 'Review flashcards');
    const card = await recorder.waitForVisible(
      'a card in the DM',
      (v) => v.via === 'chat.postMessage' && v.channel === 'D0LINUS' && shown(v).includes('Show answer'),
    );
    const reveal = await driver.click(linus, card, 'Show answer');
    const back = await recorder.waitForVisible('the answer', on(reveal.responseUrl));
    const rate = await driver.click(linus, back, /^Easy/);
    const rated = await recorder.waitForVisible('the next card', on(rate.responseUrl));
    expect(shown(rated)).toContain('Rated Easy');
    await recorder.waitFor('a home refresh after the rating', () => publishes().find((c) => c.seq > rated.seq));
    expect(publishes().length).toBeGreaterThan(count);
    // Start my review: the day's review arrives in the DM too. No card is due (the one seen was rated
    // Easy), but its lesson is shaky (one of its two cards unseen): a question on it comes up.
    await driver.clickHome(linus, firstView, 'Start my review');
    const review = await recorder.waitForVisible(
      'the review in the DM',
      (v) => v.via === 'chat.postMessage' && v.channel === 'D0LINUS' && /review/i.test(shown(v)),
    );
    expect(shown(review)).toContain('What is `len("abc")`?');
    expect(shown(review)).toMatch(/Review · 1 of 1 · easy · a question on “The first lesson”, which is shaky for you/);
    expect(buttonLabels(review.blocks)).toEqual(['A', 'B', 'C', 'D']);
    // The DM id came from app_home_opened: no conversations.open was needed.
    expect(recorder.callsTo('conversations.open').filter((c) => c.args.users === linus.id)).toEqual([]);
  });

  it('config: a member is refused with a clear message; a workspace admin and a member of the admin user group succeed', async () => {
    const { driver, recorder } = h;
    const refused = await driver.command(bob, 'config daily time:09:00 timezone:Europe/Rome', 'C0DAILY');
    const no = await recorder.waitForVisible('the refusal', on(refused.responseUrl));
    expect(no.ephemeral).toBe(true);
    expect(shown(no)).toBe('⚠️ Only workspace admins and owners (and the bot’s admin user group) can use /study config daily set.');

    const admin = await driver.command(grace, 'config daily time:09:00 timezone:Europe/Rome', 'C0DAILY');
    const yes = await recorder.waitForVisible('the confirmation', on(admin.responseUrl));
    expect(yes.ephemeral).toBe(false);
    // The channel is a real channel link, not escaped text.
    expect(blockTexts(yes.blocks)[0]).toContain('every day at \u200B*09:00 Europe/Rome*\u200B in <#C0DAILY>.');

    const member = await driver.command(linus, 'config timezone Europe/Rome', 'C0DAILY');
    const ok = await recorder.waitForVisible('the group member’s confirmation', on(member.responseUrl));
    expect(shown(ok)).toContain("The workspace's time zone is now Europe/Rome.");
    // The group handle was resolved to its id once, and membership checked through usergroups.users.list.
    expect(recorder.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('S0ADMINS');
  });

  it('posts the daily lesson and its question to the channel with chat.postMessage', async () => {
    const { driver, recorder, app } = h;
    const setup = await driver.command(grace, 'config daily time:07:30 channel:<#C0STUDY|study>', 'C0ADMIN');
    const confirmed = await recorder.waitForVisible('the confirmation', on(setup.responseUrl));
    expect(blockTexts(confirmed.blocks)[0]).toContain('in <#C0STUDY>');

    await app.services.daily.post(WS, 'C0STUDY');
    const posts = recorder.visible.filter((v) => v.via === 'chat.postMessage' && v.channel === 'C0STUDY');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.blocks[0]).toMatchObject({ type: 'header', text: { text: 'The first lesson' } });
    expect(shown(posts[0]!)).toContain("📅 Today's lesson");
    expect(posts[0]!.text).toBe('The first lesson');
    // Its poster is the feed, so only an admin can reveal it early; it reveals itself when its time is up.
    expect(buttonLabels(posts[1]!.blocks)).toEqual(['A', 'B', 'C', 'D', 'Reveal']);

    // Anyone in the channel can answer the posted question; the answer is theirs alone.
    const click = await driver.click(bob, posts[1]!, /^B$/);
    const verdict = await recorder.waitForVisible('the verdict', on(click.responseUrl));
    expect(verdict).toMatchObject({ ephemeral: true, user: bob.id, channel: 'C0STUDY' });
  });

  it('never lets user-provided text mention anyone', async () => {
    const { driver, recorder } = h;
    const typed = await driver.command(eve, 'lesson show "<!everyone> @here <@U0ADA> ```"', 'C0SAFE');
    const error = await recorder.waitForVisible('the error', on(typed.responseUrl));
    const raw = [error.text, ...blockTexts(error.blocks)].join('\n');
    expect(raw).toContain('&lt;!everyone&gt;');
    expect(raw).not.toMatch(/<[!@]/);
    expect(raw).toContain('@\u200Bhere');
    expect(raw).not.toContain('```');
    // Slack has no escape for a backtick: look-alikes keep typed ones from opening code.
    expect(shown(error)).toContain('There is no lesson "<!everyone> @here <@U0ADA> ˋˋˋ".');

    // A display name is user-provided too: it shows on the leaderboard, escaped.
    await driver.command(eve, 'quiz', 'C0SAFE');
    const question = await recorder.waitForVisible('the question', posted('C0SAFE'));
    const answered = await driver.click(eve, question, answerLabels(h.app.services, question.blocks).right);
    await recorder.waitForVisible('the verdict', on(answered.responseUrl));
    const board = await driver.command(eve, 'leaderboard all', 'C0SAFE');
    const shownBoard = await recorder.waitForVisible('the leaderboard', on(board.responseUrl));
    const boardRaw = blockTexts(shownBoard.blocks).join('\n');
    expect(boardRaw).toContain('&lt;!channel&gt; eve &lt;@U0ADA&gt;');
    expect(boardRaw).not.toMatch(/<[!@]/);
  });
});

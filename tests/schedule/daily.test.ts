import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisConnectionOptions } from '../../src/infra/redis.js';
import { fireInstant, parseTime } from '../../src/schedule/daily.js';
import { chatContext, createTestApp, FIXTURE_CONTENT, ManualClock, type TestApp } from '../support/app.js';
import { dispatchText } from '../support/dispatch.js';
import { RecordingSender } from '../support/recorder.js';

const WS = 'terminal:ws1';
const admin = chatContext({ isAdmin: true, channelId: 'study' });
const iso = (ms: number, zone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(ms);

describe('parseTime', () => {
  it.each([
    ['09:00', '09:00'],
    ['9:30', '09:30'],
    ['9am', '09:00'],
    ['9:30 pm', '21:30'],
    ['12am', '00:00'],
    ['23:59', '23:59'],
  ])('%s → %s', (input, out) => expect(parseTime(input)).toBe(out));
  it.each(['24:00', '9', '7:60', 'noon', '13pm', ''])('rejects %j', (input) => expect(parseTime(input)).toBeUndefined());
});

describe('the post time on days the clocks change', () => {
  it.each([
    // A time inside a spring-forward gap fires at the first valid local time that day.
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-04 02:30'],
    ['America/Havana', '2026-03-08', '00:30', '2026-03-08 01:00'],
    ['America/Santiago', '2026-09-06', '00:00', '2026-09-06 01:00'],
    ['Asia/Beirut', '2026-03-29', '00:15', '2026-03-29 01:00'],
    ['Europe/Rome', '2026-03-29', '02:30', '2026-03-29 03:00'],
    // An ordinary day.
    ['Europe/Rome', '2026-03-30', '09:00', '2026-03-30 09:00'],
  ])('%s on %s at %s posts at %s', (zone, day, time, expected) => {
    expect(iso(fireInstant(day, time, zone), zone)).toBe(expected);
  });

  it('a time in the hour repeated when clocks go back fires once, at its first occurrence', () => {
    const at = fireInstant('2026-10-25', '02:30', 'Europe/Rome');
    expect(new Date(at).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not 02:30 CET an hour later
  });
});

/** A bot on its own data directory and queues, restartable, with a clock tests move. */
async function bot(clock: ManualClock, reuse?: TestApp, content?: string) {
  const app = await createTestApp({
    clock,
    ...(reuse && { dir: reuse.dir, queues: reuse.queues }),
    ...(content && { content }),
  });
  const sender = new RecordingSender();
  await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  return { app, sender };
}

async function delayedJobs(app: TestApp) {
  const q = new Queue(app.queues.daily, { connection: redisConnectionOptions(app.redisUrl) });
  try {
    return (await q.getDelayed()).map((j) => ({ id: j.id!, day: (j.data as { day: string }).day, at: j.timestamp + (j.opts.delay ?? 0) }));
  } finally {
    await q.close();
  }
}

/** Runs the posts that are waiting now (as if their time had come) and waits until the queue is idle again. */
async function runDue(app: TestApp, n: number, sender: RecordingSender) {
  const q = new Queue(app.queues.daily, { connection: redisConnectionOptions(app.redisUrl) });
  try {
    for (const job of await q.getDelayed()) await job.promote();
    await sender.waitFor(n);
    await settled(q);
  } finally {
    await q.close();
  }
}

/** Waits until no post is being processed or waiting to start. */
async function settled(q: Queue) {
  for (let i = 0; i < 200; i++) {
    const c = await q.getJobCounts('active', 'waiting', 'prioritized');
    if (!c.active && !c.waiting && !c.prioritized) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the daily queue did not settle');
}

const dirs: string[] = [];
const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop().catch(() => undefined);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('daily lessons: exactly one post a day', () => {
  it('an admin sets it up; re-configuring replaces the pending post; off removes it; show says when', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    const { app } = await bot(clock);
    apps.push(app);
    expect(await dispatchText(app, admin, '/config daily time:09:30 timezone:Europe/Rome')).toMatch(/every day at \*\*09:30 Europe\/Rome\*\*/);
    const next = async () => iso((await app.services.daily.nextRun(WS, 'study'))!, (await app.services.daily.get(WS, 'study'))!.timezone);
    expect((await delayedJobs(app)).map((j) => j.day)).toEqual(['2026-03-02']);
    expect(await next()).toBe('2026-03-02 09:30');
    expect(await dispatchText(app, admin, '/config daily time:7pm timezone:America/New_York track:beta after:stop')).toMatch(
      /updated.*Beta topics.*then stop/s,
    );
    expect((await delayedJobs(app)).map((j) => j.day)).toEqual(['2026-03-02']);
    expect(await next()).toBe('2026-03-02 19:00');
    expect(await dispatchText(app, admin, '/config daily show')).toMatch(/19:00 America\/New_York.*track beta, then stop.*next Mon 2 Mar 19:00/);
    expect(await dispatchText(app, admin, '/config daily off')).toMatch(/are off/);
    expect(await delayedJobs(app)).toEqual([]);
    expect(await dispatchText(app, admin, '/config daily off')).toMatch(/There was no daily lesson/);
  });

  it('refuses non-admins, bad times and unknown time zones with clear messages', async () => {
    const { app } = await bot(new ManualClock(Date.parse('2026-03-02T06:00:00Z')));
    apps.push(app);
    const member = chatContext({ isAdmin: false, channelId: 'study' });
    expect(await dispatchText(app, member, '/config daily time:09:00')).toMatch(/Only admins can use \/config daily set/);
    expect(await dispatchText(app, admin, '/config daily time:25:00')).toMatch(/"25:00" is not a time I understand/);
    expect(await dispatchText(app, admin, '/config daily time:09:00 timezone:Mars/Olympus')).toMatch(/"Mars\/Olympus" is not a time zone/);
    expect(await delayedJobs(app)).toEqual([]);
  });

  it('a post that fails is retried and the channel moves on only once it is delivered; the error shows meanwhile', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    const { app, sender } = await bot(clock);
    apps.push(app);
    await dispatchText(app, admin, '/config daily time:06:30 timezone:UTC');
    sender.failing = 1; // the platform refuses the first attempt (Missing Access)
    clock.set('2026-03-02T06:30:00Z');
    await runDue(app, 0, sender);
    for (let i = 0; i < 50 && !(await dispatchText(app, admin, '/config daily show')).includes('Missing Access'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await dispatchText(app, admin, '/config daily show')).toMatch(/⚠️ Posting failed \(attempt 1 of 6\): Missing Access/);
    // Still at the start: the failed post did not move the channel.
    expect(await dispatchText(app, admin, '/lesson')).toMatch(/The first lesson/);
    // The retry (promoted rather than waited for) posts the same lesson, once.
    await runDue(app, 2, sender);
    expect(sender.posts.map((p) => p.message.title)).toEqual(['The first lesson', 'Quiz']);
    expect(await dispatchText(app, admin, '/config daily show')).not.toMatch(/⚠️/);
    // Today is done: the next post is tomorrow's.
    expect((await delayedJobs(app)).map((j) => j.day)).toEqual(['2026-03-03']);
  });

  it('a post missed while the bot was down is sent when it comes back within 6 hours, and skipped with a note after that', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    let { app, sender } = await bot(clock);
    await dispatchText(app, admin, '/config daily time:08:00 timezone:UTC');
    await app.close(); // down before 08:00
    clock.set('2026-03-02T11:00:00Z'); // back three hours late
    ({ app, sender } = await bot(clock, app));
    // The catch-up post goes out on its own, at once.
    await sender.waitFor(2);
    expect(sender.posts[0]!.message.title).toBe('The first lesson');
    await app.close();
    await sender.waitFor(2);
    // Down again across the next morning, back after 15:00: more than 6 hours late.
    clock.set('2026-03-03T15:30:00Z');
    ({ app, sender } = await bot(clock, app));
    apps.push(app);
    await new Promise((r) => setTimeout(r, 300));
    expect(sender.posts).toEqual([]);
    expect(await dispatchText(app, admin, '/config daily show')).toMatch(/The post of Tue 3 Mar at 08:00 was skipped: the bot was not running then/);
    expect((await delayedJobs(app)).map((j) => j.day)).toEqual(['2026-03-04']);
  });

  it('moving the time later on a day that already had its post waits until tomorrow', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T07:00:00Z'));
    const { app, sender } = await bot(clock);
    apps.push(app);
    await dispatchText(app, admin, '/config daily time:08:00 timezone:UTC');
    clock.set('2026-03-02T08:00:00Z');
    await runDue(app, 2, sender);
    clock.set('2026-03-02T09:00:00Z');
    await dispatchText(app, admin, '/config daily time:18:00 timezone:UTC');
    expect((await delayedJobs(app)).map((j) => j.day)).toEqual(['2026-03-03']);
    expect(iso((await app.services.daily.nextRun(WS, 'study'))!, 'UTC')).toBe('2026-03-03 18:00');
  });

  it('a firing before the platform is connected waits for it instead of being lost', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    const app = await createTestApp({ clock });
    apps.push(app);
    await dispatchText(app, admin, '/config daily time:06:30 timezone:UTC');
    const q = new Queue(app.queues.daily, { connection: redisConnectionOptions(app.redisUrl) });
    for (const job of await q.getDelayed()) await job.promote();
    await new Promise((r) => setTimeout(r, 500));
    await q.close();
    // Only now does the terminal "platform" connect: the post goes out.
    const sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
    await sender.waitFor(2);
    expect(sender.posts[0]!.message.title).toBe('The first lesson');
  });
});

describe('daily lessons: a feed that keeps its place', () => {
  /** The fixture content in a folder of its own, so a test can rename and remove lessons. */
  function ownContent(): string {
    const d = mkdtempSync(path.join(tmpdir(), 'studybot-feed-'));
    dirs.push(d);
    cpSync(FIXTURE_CONTENT, d, { recursive: true });
    return d;
  }

  it('a renamed lesson keeps the channel on it; a removed one hands over to the next lesson', async () => {
    const content = ownContent();
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    let { app, sender } = await bot(clock, undefined, content);
    await dispatchText(app, admin, '/config daily time:07:00 timezone:UTC');
    await app.services.daily.post(WS, 'study');
    expect(sender.posts.at(-2)!.message.title).toBe('The first lesson');
    await app.close();
    // alpha-first is renamed: the lesson says which id it replaces.
    const first = path.join(content, 'lessons/alpha/01-first.md');
    writeFileSync(first, readFileSync(first, 'utf8').replace('id: alpha-first', 'id: alpha-intro\nreplaces: [alpha-first]'));
    ({ app, sender } = await bot(clock, app, content));
    expect(await dispatchText(app, admin, '/lesson')).toMatch(/The first lesson/);
    await app.services.daily.post(WS, 'study');
    expect(sender.posts.at(-2)!.message.title).toBe('The second lesson');
    await app.close();
    // alpha-second is removed: the channel carries on with the lesson that came after it.
    rmSync(path.join(content, 'lessons/alpha/02-second.md'));
    const quizzes = path.join(content, 'quizzes/alpha.yaml');
    writeFileSync(quizzes, readFileSync(quizzes, 'utf8').replace(/ {2}- id: alpha-q-sum[\s\S]*$/, ''));
    const cards = path.join(content, 'flashcards/alpha.yaml');
    writeFileSync(cards, readFileSync(cards, 'utf8').replace(/ {2}- id: alpha-fc-sum[\s\S]*$/, ''));
    ({ app, sender } = await bot(clock, app, content));
    apps.push(app);
    expect(await dispatchText(app, admin, '/lesson')).toMatch(/The only beta lesson/);
    await app.services.daily.post(WS, 'study');
    expect(sender.posts.at(-2)!.message.title).toBe('The only beta lesson');
  });

  it('a track feed ends with a "track complete" post and does what the admin chose: stop, start again, or go on', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    const { app, sender } = await bot(clock);
    apps.push(app);
    const titles = () => sender.posts.map((p) => p.message.title);
    await dispatchText(app, chatContext({ isAdmin: true, channelId: 'stop' }), '/config daily time:07:00 timezone:UTC track:alpha after:stop');
    for (let i = 0; i < 4; i++) await app.services.daily.post(WS, 'stop');
    expect(titles()).toEqual(['The first lesson', 'Quiz', 'The second lesson', 'Quiz', 'Track complete']);
    expect(sender.posts.at(-1)!.text).toMatch(/Alpha basics is complete!.*the daily posts stop here/s);
    expect(await dispatchText(app, admin, '/config daily show')).toMatch(/finished: no more posts/);

    sender.posts.length = 0;
    await dispatchText(app, chatContext({ isAdmin: true, channelId: 'again' }), '/config daily time:07:00 timezone:UTC track:alpha after:restart');
    for (let i = 0; i < 3; i++) await app.services.daily.post(WS, 'again');
    expect(titles()).toEqual(['The first lesson', 'Quiz', 'The second lesson', 'Quiz', 'Track complete', 'The first lesson', 'Quiz']);

    sender.posts.length = 0;
    await dispatchText(app, chatContext({ isAdmin: true, channelId: 'on' }), '/config daily time:07:00 timezone:UTC track:alpha');
    for (let i = 0; i < 4; i++) await app.services.daily.post(WS, 'on');
    expect(titles()).toEqual([
      'The first lesson',
      'Quiz',
      'The second lesson',
      'Quiz',
      'Track complete',
      'The only beta lesson',
      'Quiz',
      'Track complete',
      'The first lesson',
      'Quiz',
    ]);
    // "Next track" from beta (the last) goes round to alpha, and /config daily show says the feed walks it now.
    expect(await dispatchText(app, admin, '/config daily show')).toMatch(/#on.*track alpha/);
  });

  it('/lesson next in a new channel shows lesson 2; /lesson in a channel fed a track shows that track’s first lesson', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    const { app } = await bot(clock);
    apps.push(app);
    const fresh = chatContext({ channelId: 'brand-new' });
    expect(await dispatchText(app, fresh, '/lesson next')).toMatch(/The second lesson/);
    await dispatchText(app, chatContext({ isAdmin: true, channelId: 'beta-room' }), '/config daily time:07:00 timezone:UTC track:beta');
    expect(await dispatchText(app, chatContext({ channelId: 'beta-room' }), '/lesson')).toMatch(/The only beta lesson/);
  });

  it('reading the daily post counts: "Mark as read" records it once, with its points', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T06:00:00Z'));
    const { app, sender } = await bot(clock);
    apps.push(app);
    await dispatchText(app, admin, '/config daily time:07:00 timezone:UTC');
    await app.services.daily.post(WS, 'study');
    const post = sender.posts[0]!.message;
    const read = post.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : [])).find((b) => b.label.includes('Mark as read'))!;
    const reader = chatContext({ userId: 'reader', channelId: 'study' });
    const on = { private: false, owner: undefined, hasControl: true };
    expect(await app.router.dispatch({ type: 'component', id: read.id, on }, reader)).toMatchObject([{ message: { private: true } }]);
    const again = await app.router.dispatch({ type: 'component', id: read.id, on }, reader);
    expect(JSON.stringify(again)).toContain('You had already read');
    expect(await dispatchText(app, reader, '/progress')).toMatch(/\*\*Points:\*\* 2 all time/);
  });
});

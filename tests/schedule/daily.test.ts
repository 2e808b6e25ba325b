import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchText } from '../support/dispatch.js';
import { parseTime, schedulerId } from '../../src/schedule/daily.js';
import { redisConnectionOptions } from '../../src/infra/redis.js';
import { chatContext, createTestApp, type TestApp } from '../support/app.js';
import { RecordingSender } from '../support/recorder.js';

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

describe('daily lessons', () => {
  let app: TestApp;
  let sender: RecordingSender;
  const admin = chatContext({ isAdmin: true, channelId: 'study' });
  const WS = 'terminal:ws1';

  beforeEach(async () => {
    app = await createTestApp();
    sender = new RecordingSender();
    await app.attach({ platform: 'terminal', sender, start: async () => undefined, stop: async () => undefined });
  });
  afterEach(async () => {
    await app.stop();
  });

  const schedulers = async () => {
    const q = new Queue(app.queues.daily, {
      connection: redisConnectionOptions(app.redisUrl),
    });
    try {
      return await q.getJobSchedulers(0, -1);
    } finally {
      await q.close();
    }
  };

  it('an admin sets it up once; re-configuring updates the one scheduler; off removes it', async () => {
    const set = await dispatchText(app, admin, '/config daily time:09:30 timezone:Europe/Rome');
    expect(set).toMatch(/every day at \*\*09:30 Europe\/Rome\*\*/);
    let s = await schedulers();
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ key: schedulerId(WS, 'study'), pattern: '30 9 * * *', tz: 'Europe/Rome' });
    // The next firing is 09:30 in Rome, whatever the machine's zone.
    const next = new Date(s[0]!.next!);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('09:30');

    const updated = await dispatchText(app, admin, '/config daily time:7pm timezone:America/New_York track:beta');
    expect(updated).toMatch(/updated/);
    s = await schedulers();
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ pattern: '0 19 * * *', tz: 'America/New_York' });

    expect(await dispatchText(app, admin, '/config daily show')).toMatch(/19:00 America\/New_York.*track beta/);
    expect(await dispatchText(app, admin, '/config daily off')).toMatch(/are off/);
    expect(await schedulers()).toHaveLength(0);
    expect(await dispatchText(app, admin, '/config daily off')).toMatch(/There was no daily lesson/);
  });

  it('refuses non-admins, bad times and unknown time zones with clear messages', async () => {
    const member = chatContext({ isAdmin: false, channelId: 'study' });
    expect(await dispatchText(app, member, '/config daily time:09:00')).toMatch(/Only admins can use \/config daily set/);
    expect(await dispatchText(app, admin, '/config daily time:25:00')).toMatch(/"25:00" is not a time I understand/);
    expect(await dispatchText(app, admin, '/config daily time:09:00 timezone:Mars/Olympus')).toMatch(/"Mars\/Olympus" is not a time zone/);
    expect(await schedulers()).toHaveLength(0);
  });

  it('the scheduler’s job posts the channel’s next lesson and one of its questions, walking the track', async () => {
    await dispatchText(app, admin, '/config daily time:06:00 timezone:UTC track:alpha');
    // Run the scheduled job now instead of waiting for 06:00.
    const q = new Queue(app.queues.daily, { connection: redisConnectionOptions(app.redisUrl) });
    const [job] = await q.getDelayed();
    expect(job).toBeDefined();
    await job!.promote();
    await sender.waitFor(2);
    await q.close();
    expect(sender.posts[0]!.to).toMatchObject({ platform: 'terminal', workspaceId: 'ws1', channelId: 'study' });
    expect(sender.posts[0]!.message.title).toBe('The first lesson');
    expect(sender.posts[0]!.text).toMatch(/Today's lesson/);
    expect(sender.posts[1]!.message.title).toBe('Quiz');
    expect(sender.posts[1]!.text).toMatch(/What does `print\(1 \+ 1\)` show\?|What is `len\("abc"\)`\?/);
    // The channel moved on: /lesson now shows the posted lesson, the next post the lesson after it.
    expect(await dispatchText(app, admin, '/lesson')).toMatch(/The first lesson/);
    await app.services.daily.post(WS, 'study');
    expect(sender.posts[2]!.message.title).toBe('The second lesson');
    // At the end of the track the walk moves on and says so.
    await app.services.daily.post(WS, 'study');
    expect(sender.posts[4]!.message.title).toBe('The only beta lesson');
    expect(sender.posts[4]!.text).toMatch(/you finished \*Alpha basics\*/);
  });

  it('on start-up, Redis is made to match the database (schedulers restored, strays removed)', async () => {
    await dispatchText(app, admin, '/config daily time:08:00 timezone:UTC');
    const q = new Queue(app.queues.daily, { connection: redisConnectionOptions(app.redisUrl) });
    await q.removeJobScheduler(schedulerId(WS, 'study'));
    await q.upsertJobScheduler('daily:terminal:ws1:gone', { pattern: '0 8 * * *', tz: 'UTC' });
    // Restart the bot on the same database and Redis.
    await app.close();
    app = await createTestApp({ dir: app.dir, queues: app.queues });
    const keys = (await q.getJobSchedulers(0, -1)).map((s) => s.key);
    await q.close();
    expect(keys).toEqual([schedulerId(WS, 'study')]);
  });
});

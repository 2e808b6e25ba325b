import { describe, expect, it } from 'vitest';
import { recordActivity, streakAt } from '../../src/learning/streaks.js';
import { getUser, setUserTimeZone } from '../../src/learning/users.js';
import { addUser, testDb } from '../support/db.js';

const WS = 'terminal:ws1';
const at = (iso: string) => Date.parse(iso);

describe('streaks', () => {
  it('counts 23:59 and 00:01 two minutes apart as two consecutive days, in the user’s zone', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    // Europe/Rome is UTC+1 in January: 23:59 local = 22:59Z.
    const first = recordActivity(db, WS, 'u1', 'Europe/Rome', at('2026-01-14T22:59:00Z'));
    const second = recordActivity(db, WS, 'u1', 'Europe/Rome', at('2026-01-14T23:01:00Z'));
    expect(first).toMatchObject({ day: '2026-01-14', current: 1, extended: true });
    expect(second).toMatchObject({ day: '2026-01-15', current: 2, longest: 2, extended: true });
  });

  it('counts a day once however many actions happen in it', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    recordActivity(db, WS, 'u1', 'UTC', at('2026-01-14T00:01:00Z'));
    const again = recordActivity(db, WS, 'u1', 'UTC', at('2026-01-14T23:59:00Z'));
    expect(again).toMatchObject({ current: 1, extended: false });
  });

  it('the same instant can be different days for users in different zones', () => {
    const { db } = testDb();
    addUser(db, 'tokyo');
    addUser(db, 'la');
    const t = at('2026-01-14T20:00:00Z'); // 05:00 on the 15th in Tokyo, 12:00 on the 14th in LA
    expect(recordActivity(db, WS, 'tokyo', 'Asia/Tokyo', t).day).toBe('2026-01-15');
    expect(recordActivity(db, WS, 'la', 'America/Los_Angeles', t).day).toBe('2026-01-14');
  });

  it('a missed day resets the streak but keeps the longest', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    for (const d of ['2026-03-01', '2026-03-02', '2026-03-03']) recordActivity(db, WS, 'u1', 'UTC', at(`${d}T12:00:00Z`));
    const after = recordActivity(db, WS, 'u1', 'UTC', at('2026-03-05T12:00:00Z'));
    expect(after).toMatchObject({ current: 1, longest: 3 });
  });

  it('survives the spring DST change (a 23-hour day) without breaking or double counting', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    // Europe/Rome springs forward on 2026-03-29 at 02:00 → 03:00.
    recordActivity(db, WS, 'u1', 'Europe/Rome', at('2026-03-28T22:30:00Z')); // 23:30 on the 28th (UTC+1)
    const early = recordActivity(db, WS, 'u1', 'Europe/Rome', at('2026-03-28T23:30:00Z')); // 00:30 on the 29th
    const late = recordActivity(db, WS, 'u1', 'Europe/Rome', at('2026-03-29T21:30:00Z')); // 23:30 on the 29th (UTC+2)
    const next = recordActivity(db, WS, 'u1', 'Europe/Rome', at('2026-03-29T22:30:00Z')); // 00:30 on the 30th
    expect(early).toMatchObject({ day: '2026-03-29', current: 2 });
    expect(late).toMatchObject({ day: '2026-03-29', current: 2, extended: false });
    expect(next).toMatchObject({ day: '2026-03-30', current: 3 });
  });

  it('survives the autumn DST change (a 25-hour day)', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    // America/New_York falls back on 2026-11-01 at 02:00 → 01:00: that day lasts 25 hours.
    const start = recordActivity(db, WS, 'u1', 'America/New_York', at('2026-11-01T04:30:00Z')); // 00:30 EDT
    const end = recordActivity(db, WS, 'u1', 'America/New_York', at('2026-11-02T04:30:00Z')); // 23:30 EST, same day
    const next = recordActivity(db, WS, 'u1', 'America/New_York', at('2026-11-02T05:30:00Z')); // 00:30 on the 2nd
    expect(start.day).toBe('2026-11-01');
    expect(end).toMatchObject({ day: '2026-11-01', extended: false });
    expect(next).toMatchObject({ day: '2026-11-02', current: 2 });
  });

  it('shows a streak as alive through today and yesterday, and broken after that', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    recordActivity(db, WS, 'u1', 'UTC', at('2026-05-10T12:00:00Z'));
    recordActivity(db, WS, 'u1', 'UTC', at('2026-05-11T12:00:00Z'));
    const u = getUser(db, WS, 'u1')!;
    expect(streakAt(u, 'UTC', at('2026-05-11T23:00:00Z'))).toEqual({ current: 2, longest: 2, activeToday: true, freezes: 0 });
    expect(streakAt(u, 'UTC', at('2026-05-12T23:59:00Z'))).toEqual({ current: 2, longest: 2, activeToday: false, freezes: 0 });
    expect(streakAt(u, 'UTC', at('2026-05-13T00:01:00Z'))).toEqual({ current: 0, longest: 2, activeToday: false, freezes: 0 });
  });

  it('moving to a zone further west never breaks or inflates the streak', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    recordActivity(db, WS, 'u1', 'Asia/Tokyo', at('2026-06-01T16:00:00Z')); // 01:00 on the 2nd in Tokyo
    setUserTimeZone(db, WS, 'u1', 'America/Los_Angeles');
    // 09:00 on the 1st in LA: a day before the last counted one.
    const r = recordActivity(db, WS, 'u1', 'America/Los_Angeles', at('2026-06-01T16:00:00Z'));
    expect(r).toMatchObject({ current: 1, extended: false });
  });
});

describe('one streak day per real day, and freezes for missed ones', () => {
  it('moving east past midnight relabels the day instead of counting a second one, and tomorrow follows on', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    // 23:30 on Monday in New York.
    expect(recordActivity(db, WS, 'u1', 'America/New_York', at('2026-03-10T03:30:00Z'))).toMatchObject({
      day: '2026-03-09',
      current: 1,
      extended: true,
    });
    // Ten minutes later in Kolkata it is 09:10 on Tuesday: the same real day, no second streak day.
    setUserTimeZone(db, WS, 'u1', 'Asia/Kolkata');
    expect(recordActivity(db, WS, 'u1', 'Asia/Kolkata', at('2026-03-10T03:40:00Z'))).toMatchObject({ current: 1, extended: false });
    // Wednesday in Kolkata is a new real day, and it follows Tuesday: the streak goes on.
    expect(recordActivity(db, WS, 'u1', 'Asia/Kolkata', at('2026-03-11T04:00:00Z'))).toMatchObject({ day: '2026-03-11', current: 2, extended: true });
  });

  it('earns a freeze every 7 days (2 at most), spends it on a missed day, and breaks when none is left', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    const zone = 'Pacific/Auckland';
    const on = (day: string) => recordActivity(db, WS, 'u1', zone, Date.parse(`${day}T10:00:00+13:00`));
    for (let d = 1; d <= 14; d++) on(`2026-01-${String(d).padStart(2, '0')}`);
    expect(getUser(db, WS, 'u1')).toMatchObject({ currentStreak: 14, freezes: 2 });
    for (let d = 15; d <= 21; d++) on(`2026-01-${String(d).padStart(2, '0')}`);
    expect(getUser(db, WS, 'u1')!.freezes).toBe(2); // held at most two
    // Missed the 22nd and 23rd, back on the 24th (across the local midnight of a zone 13 hours ahead).
    // On the 23rd the 22nd is already missed: one freeze is as good as spent (the 23rd is not over).
    expect(streakAt(getUser(db, WS, 'u1')!, zone, Date.parse('2026-01-23T23:59:00+13:00'))).toMatchObject({ current: 21, freezes: 1 });
    const back = on('2026-01-24');
    expect(back).toMatchObject({ current: 22, extended: true, frozenDays: ['2026-01-22', '2026-01-23'], freezes: 0 });
    // With no freeze left, one missed day breaks it.
    expect(streakAt(getUser(db, WS, 'u1')!, zone, Date.parse('2026-01-26T00:00:01+13:00'))).toMatchObject({ current: 0 });
    expect(on('2026-01-26')).toMatchObject({ current: 1, frozenDays: [] });
  });

  it('a streak broken by more missed days than freezes spends them: none carries over into the new streak', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    const on = (day: string) => recordActivity(db, WS, 'u1', 'Europe/Berlin', Date.parse(`${day}T12:00:00+01:00`));
    for (let d = 1; d <= 14; d++) on(`2026-02-${String(d).padStart(2, '0')}`);
    expect(getUser(db, WS, 'u1')).toMatchObject({ currentStreak: 14, freezes: 2 });
    // Missed the 15th, 16th and 17th: two freezes cannot cover three days.
    expect(streakAt(getUser(db, WS, 'u1')!, 'Europe/Berlin', Date.parse('2026-02-18T09:00:00+01:00'))).toMatchObject({ current: 0, freezes: 0 });
    expect(on('2026-02-18')).toMatchObject({ current: 1, frozenDays: [], freezes: 0 });
    expect(streakAt(getUser(db, WS, 'u1')!, 'Europe/Berlin', Date.parse('2026-02-18T20:00:00+01:00'))).toMatchObject({ current: 1, freezes: 0 });
    // And the next missed day is not covered by a freeze of the old streak.
    expect(on('2026-02-20')).toMatchObject({ current: 1, frozenDays: [] });
  });

  it('reports milestones at 7, 30, 100 and 365 days', () => {
    const { db } = testDb();
    addUser(db, 'u1');
    const reached: number[] = [];
    for (let d = 0; d < 31; d++) {
      const r = recordActivity(db, WS, 'u1', 'UTC', at('2026-01-01T12:00:00Z') + d * 86_400_000);
      if (r.milestone) reached.push(r.milestone);
    }
    expect(reached).toEqual([7, 30]);
  });
});

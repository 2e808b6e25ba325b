import { describe, expect, it } from 'vitest';
import { award, type PointReason } from '../../src/learning/points.js';
import type { Db } from '../../src/db/index.js';
import { leaderboard, pointsOf } from '../../src/learning/leaderboard.js';
import { recordActivity } from '../../src/learning/streaks.js';
import { rebuildBoards } from '../../src/learning/boards.js';
import { setWorkspaceTimeZone } from '../../src/learning/users.js';
import { addUser, testDb } from '../support/db.js';

const WS = 'terminal:ws1';
const at = (iso: string) => Date.parse(iso);

/** Awards points the way every learning action does (the workspace counts its weeks in `zone`). */
const give = (db: Db, userId: string, amount: number, reason: PointReason, ref: string, now: number, zone = 'America/New_York') =>
  award(db, { ws: WS, userId, amount, reason, ref, now, workspaceZone: zone });

describe('leaderboard', () => {
  it('the weekly board resets at Monday 00:00 in the workspace’s time zone', () => {
    const { db } = testDb();
    addUser(db, 'ada');
    // America/New_York (UTC-5 in January): Monday 2026-01-12 00:00 local = 05:00Z.
    give(db, 'ada', 10, 'quiz', 'sunday-late', at('2026-01-12T04:59:00Z')); // Sunday 23:59 local
    give(db, 'ada', 7, 'quiz', 'monday-early', at('2026-01-12T05:01:00Z')); // Monday 00:01 local
    const opts = { now: at('2026-01-13T12:00:00Z'), workspaceZone: 'America/New_York' };
    const week = leaderboard(db, WS, 'week', 'ada', opts);
    expect(week.top).toEqual([{ rank: 1, userId: 'ada', name: 'ada', score: 7 }]);
    expect(week.since).toBe(at('2026-01-12T05:00:00Z'));
    expect(leaderboard(db, WS, 'all', 'ada', opts).top[0]!.score).toBe(17);
    expect(pointsOf(db, WS, 'ada', opts.now, 'America/New_York')).toEqual({ total: 17, week: 7 });
    // Moved to UTC, the workspace's week began five hours earlier, so both awards are in it.
    setWorkspaceTimeZone(db, WS, 'UTC', opts.now);
    rebuildBoards(db, WS, { now: opts.now, defaultZone: 'UTC' });
    expect(leaderboard(db, WS, 'week', 'ada', { ...opts, workspaceZone: 'UTC' }).top[0]!.score).toBe(17);
  });

  it('shows the top 10 with shared ranks for ties, plus the caller’s own rank below', () => {
    const { db } = testDb();
    const now = at('2026-02-04T12:00:00Z');
    for (let i = 1; i <= 12; i++) {
      addUser(db, `u${i}`, `user${String(i).padStart(2, '0')}`);
      give(db, `u${i}`, 100 - i * 5, 'quiz', 'q', now);
    }
    addUser(db, 'tie');
    give(db, 'tie', 95, 'quiz', 'q', now); // ties with u1
    const view = leaderboard(db, WS, 'all', 'u12', { now, workspaceZone: 'UTC' });
    expect(view.top).toHaveLength(10);
    expect(view.top.slice(0, 3).map((s) => [s.rank, s.userId])).toEqual([
      [1, 'tie'],
      [1, 'u1'],
      [3, 'u2'],
    ]);
    expect(view.me).toMatchObject({ rank: 13, userId: 'u12', score: 40 });
  });

  it('ranks live streaks only, each judged in its own user’s zone', () => {
    const { db } = testDb();
    addUser(db, 'steady');
    addUser(db, 'lapsed');
    for (const d of ['2026-04-01', '2026-04-02', '2026-04-03']) recordActivity(db, WS, 'steady', 'UTC', at(`${d}T10:00:00Z`));
    for (const d of ['2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23']) recordActivity(db, WS, 'lapsed', 'UTC', at(`${d}T10:00:00Z`));
    const view = leaderboard(db, WS, 'streaks', 'lapsed', { now: at('2026-04-03T20:00:00Z'), workspaceZone: 'UTC' });
    expect(view.top).toEqual([{ rank: 1, userId: 'steady', name: 'steady', score: 3 }]);
    expect(view.me).toBeUndefined();
  });

  it('awards each (reason, ref) once per user', () => {
    const { db } = testDb();
    addUser(db, 'ada');
    expect(give(db, 'ada', 40, 'challenge', 'fizzbuzz', 1)).toBe(true);
    expect(give(db, 'ada', 40, 'challenge', 'fizzbuzz', 2)).toBe(false);
    expect(pointsOf(db, WS, 'ada', 3, 'UTC').total).toBe(40);
  });
});

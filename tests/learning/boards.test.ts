import { describe, expect, it } from 'vitest';
import { allCounts, allStandings, rankOf, rebuildBoards } from '../../src/learning/boards.js';
import { leaderboard } from '../../src/learning/leaderboard.js';
import { award } from '../../src/learning/points.js';
import { recordActivity } from '../../src/learning/streaks.js';
import { setUserTimeZone } from '../../src/learning/users.js';
import { weekStart } from '../../src/time.js';
import { addUser, testDb } from '../support/db.js';
import { seeded } from '../support/seeded.js';

const WS = 'terminal:ws1';
const ZONE = 'Europe/Rome';
const DAY = 86_400_000;

describe('boards kept up to date as points and activity happen', () => {
  it('equal a rebuild from the point log after a randomized history, and rank everyone as a full sort would', () => {
    const { db } = testDb();
    const random = seeded(7);
    const learners = Array.from({ length: 60 }, (_, i) => `u${i}`);
    const zones = ['UTC', 'Asia/Kolkata', 'America/New_York', 'Pacific/Auckland'];
    for (const [i, u] of learners.entries()) {
      addUser(db, u);
      setUserTimeZone(db, WS, u, zones[i % zones.length]!);
    }
    const start = Date.parse('2026-03-02T00:00:00Z');
    let now = start;
    // Three weeks of activity, across a DST change in Rome (29 March).
    for (let step = 0; step < 3000; step++) {
      now += Math.floor(random() * 20 * 60_000);
      const u = learners[Math.floor(random() * learners.length)]!;
      const amount = [1, 2, 10, 20, 40, 60, 300][Math.floor(random() * 7)]!;
      award(db, { ws: WS, userId: u, amount, reason: 'quiz', ref: `q${step}`, now, workspaceZone: ZONE });
      recordActivity(db, WS, u, zones[learners.indexOf(u) % zones.length]!, now);
    }
    expect(now - start).toBeGreaterThan(14 * DAY);
    const incremental = { standings: allStandings(db, WS), counts: allCounts(db, WS) };
    rebuildBoards(db, WS, { now, defaultZone: ZONE });
    // The rebuild sets `weekOf` for everyone; compare what the boards show rather than that bookkeeping.
    const shown = (rows: ReturnType<typeof allStandings>) =>
      rows.map((r) => ({ userId: r.userId, all: r.pointsAll, week: r.weekOf === weekStart(now, ZONE) ? r.pointsWeek : 0, streak: r.streakLive }));
    expect(shown(allStandings(db, WS))).toEqual(shown(incremental.standings));
    const currentWeek = (c: { board: string }) => !c.board.includes('|week|') || c.board.endsWith(`|${weekStart(now, ZONE)}`);
    expect(allCounts(db, WS).filter(currentWeek)).toEqual(incremental.counts.filter(currentWeek));

    for (const board of ['all', 'week'] as const) {
      const scores = shown(incremental.standings).map((r) => ({ userId: r.userId, score: board === 'all' ? r.all : r.week }));
      for (const s of scores.filter((x) => x.score > 0)) {
        const expected = 1 + scores.filter((o) => o.score > s.score).length;
        expect(rankOf(db, WS, board, s.userId, { weekOf: weekStart(now, ZONE) })).toEqual({ score: s.score, rank: expected });
      }
    }
  });

  it('gives a caller tied with others the shared rank, inside the top and outside it', () => {
    const { db } = testDb();
    const now = Date.parse('2026-02-04T12:00:00Z');
    const scores = [90, 80, 80, 70, 60, 50, 40, 30, 20, 10, 10, 10, 5];
    for (const [i, score] of scores.entries()) {
      addUser(db, `u${i}`, `learner ${String(i).padStart(2, '0')}`);
      award(db, { ws: WS, userId: `u${i}`, amount: score, reason: 'quiz', ref: 'q', now, workspaceZone: 'UTC' });
    }
    const view = leaderboard(db, WS, 'all', 'u11', { now, workspaceZone: 'UTC' });
    expect(view.top.map((s) => s.rank)).toEqual([1, 2, 2, 4, 5, 6, 7, 8, 9, 10]);
    // u11 scores 10 like u9 (in the top 10) and u10: all three share 10th place.
    expect(view.me).toMatchObject({ userId: 'u11', rank: 10, score: 10 });
    expect(leaderboard(db, WS, 'all', 'u2', { now, workspaceZone: 'UTC' }).me).toMatchObject({ rank: 2 });
    expect(leaderboard(db, WS, 'all', 'u12', { now, workspaceZone: 'UTC' }).me).toMatchObject({ rank: 13 });
  });

  it('takes a streak off the streak board once its last day and the next are over in its zone', () => {
    const { db } = testDb();
    addUser(db, 'ada');
    addUser(db, 'bob');
    setUserTimeZone(db, WS, 'ada', 'Pacific/Auckland'); // UTC+13 in January
    recordActivity(db, WS, 'ada', 'Pacific/Auckland', Date.parse('2026-01-10T09:00:00Z')); // 22:00 on the 10th there
    recordActivity(db, WS, 'bob', 'UTC', Date.parse('2026-01-10T09:00:00Z'));
    const at = (iso: string) => leaderboard(db, WS, 'streaks', 'ada', { now: Date.parse(iso), workspaceZone: 'UTC' }).top.map((s) => s.userId);
    expect(at('2026-01-11T10:00:00Z')).toEqual(['ada', 'bob']);
    // Midnight between the 11th and 12th in Auckland is 11:00Z on the 11th: ada's streak is over.
    expect(at('2026-01-11T11:00:00Z')).toEqual(['bob']);
    expect(at('2026-01-12T00:00:00Z')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  boardCard,
  type BoardCardData,
  boardSize,
  describeBoard,
  describeProfile,
  describeStreak,
  picture,
  PROFILE_SIZE,
  profileCard,
  type ProfileCardData,
  STREAK_SIZE,
  streakCard,
  type StreakCardData,
} from '../../src/pictures/index.js';
import { COLORS, MASTERY_COLORS, MEDALS } from '../../src/pictures/theme.js';
import { around, changedPixels, decodePng, distinctColors, patches, type Pixels, type Region } from '../support/png.js';

/** 84 local days ending on 1 March 2026, with the given actions per day (0 when not listed). */
function days(counts: (i: number) => number): { day: string; count: number }[] {
  const last = Date.UTC(2026, 2, 1);
  return Array.from({ length: 84 }, (_, i) => ({ day: new Date(last - (83 - i) * 86_400_000).toISOString().slice(0, 10), count: counts(i) }));
}

const profile = (over: Partial<ProfileCardData> = {}): ProfileCardData => ({
  name: 'Ada Lovelace',
  points: { total: 12_840, week: 385 },
  rank: 3,
  streak: { current: 12, longest: 30, freezes: 2 },
  heatmap: days((i) => (i % 3 === 0 ? 4 : 0)),
  tracks: [
    { title: 'Asyncio', mastery: 0.92, label: 'mastered' },
    { title: 'Typing', mastery: 0.71, label: 'solid' },
    { title: 'Testing', mastery: 0.38, label: 'shaky' },
  ],
  ...over,
});

const streak = (over: Partial<StreakCardData> = {}): StreakCardData => ({
  name: 'Ada Lovelace',
  streak: { current: 12, longest: 30, freezes: 1, frozenDays: [] },
  heatmap: days((i) => (i > 70 ? 3 : 0)),
  ...over,
});

const board = (rows: number, me?: number): BoardCardData => ({
  title: 'Leaderboard — this week',
  subtitle: 'Points earned since Monday',
  unit: 'points',
  rows: Array.from({ length: rows }, (_, i) => ({ rank: i + 1, name: `Learner ${i + 1}`, score: 1000 - i * 70, ...(me === i + 1 && { me: true }) })),
});

const draw = async (png: Promise<Buffer>): Promise<Pixels> => decodePng(await png);

/** The grid of day cells: every patch in one of the heat colours (or the frozen one), and where they lie. */
function heatCells(p: Pixels, within?: Region) {
  const opts = { minArea: 40, ...(within && { within }) };
  const levels = COLORS.heat.map((c) => patches(p, c, opts));
  return { levels, frozen: patches(p, COLORS.frozen, opts), grid: around(levels.flat()) };
}

describe('profile card', () => {
  it('is an 800×440 PNG with text and a chart on it, not a blank background', async () => {
    const p = await draw(profileCard(profile()));
    expect([p.width, p.height]).toEqual([PROFILE_SIZE.width, PROFILE_SIZE.height]);
    expect([p.width, p.height]).toEqual([800, 440]);
    // Anti-aliased text and the gradient give hundreds of shades; an empty frame would not.
    expect(distinctColors(p)).toBeGreaterThan(300);
    // The header (name and badge) and the stats row each carry drawn text.
    expect(distinctColors(p, { x: 110, y: 30, width: 400, height: 40 })).toBeGreaterThan(20);
    expect(distinctColors(p, { x: 28, y: 120, width: 744, height: 84 })).toBeGreaterThan(50);
  });

  it('shows all 84 days, each cell coloured by how much was done that day', async () => {
    // Level by share of the busiest day: 2 of 8 actions → 1, 4 → 2, 6 → 3, 8 → 4.
    const pattern = [0, 2, 4, 6, 8, 0, 0];
    const heat = days((i) => pattern[i % 7]!);
    const p = await draw(profileCard(profile({ heatmap: heat })));
    const { levels } = heatCells(p);
    const expected = [0, 2, 4, 6, 8].map((count) => heat.filter((d) => d.count === count).length);
    expect(levels.map((l) => l.length)).toEqual(expected);
    expect(levels.flat()).toHaveLength(84);
    // Twelve columns of seven: cells line up in a grid, oldest week on the left.
    const lines = (centres: number[]) => {
      const sorted = [...new Set(centres)].sort((a, b) => a - b);
      return sorted.filter((c, i) => i === 0 || c - sorted[i - 1]! > 8).length;
    };
    expect(lines(levels.flat().map((c) => c.x + c.width / 2))).toBe(12);
    expect(lines(levels.flat().map((c) => c.y + c.height / 2))).toBe(7);
  });

  it('an empty history is a grid of 84 empty cells', async () => {
    const p = await draw(profileCard(profile({ heatmap: days(() => 0) })));
    const { levels } = heatCells(p);
    expect(levels.map((l) => l.length)).toEqual([84, 0, 0, 0, 0]);
  });

  it('a different name changes the header and nothing below it', async () => {
    const a = await draw(profileCard(profile({ name: 'Ada Lovelace' })));
    const b = await draw(profileCard(profile({ name: 'Grace Hopper' })));
    expect(changedPixels(a, b, { x: 0, y: 0, width: 800, height: 110 })).toBeGreaterThan(500);
    expect(changedPixels(a, b, { x: 0, y: 118, width: 800, height: 322 })).toBe(0);
  });

  it('different points change the stats row and leave the heatmap alone', async () => {
    const a = await draw(profileCard(profile({ points: { total: 5, week: 5 } })));
    const b = await draw(profileCard(profile({ points: { total: 98_765, week: 4321 } })));
    expect(changedPixels(a, b, { x: 28, y: 118, width: 380, height: 84 })).toBeGreaterThan(300);
    expect(changedPixels(a, b, { x: 0, y: 220, width: 800, height: 220 })).toBe(0);
  });

  it('mastery bars grow with mastery, in the colour of their word', async () => {
    const bar = async (mastery: number) => {
      const p = await draw(profileCard(profile({ tracks: [{ title: 'Asyncio', mastery, label: 'solid' }] })));
      const fills = patches(p, MASTERY_COLORS.solid, { minArea: 20 }).filter((r) => r.height <= 12 && r.width > 5);
      return Math.max(0, ...fills.map((r) => r.width));
    };
    const [low, high] = [await bar(0.25), await bar(0.75)];
    expect(low).toBeGreaterThan(10);
    expect(high).toBeGreaterThan(low * 2.5);
  });

  it('a name far too long is cut, and the rank beside it stays where it was', async () => {
    const short = await draw(profileCard(profile({ name: 'Ada' })));
    const long = await draw(profileCard(profile({ name: 'Ada '.repeat(200) })));
    expect([long.width, long.height]).toEqual([800, 440]);
    // The rank sits at the right of the header: untouched by the name however long.
    expect(changedPixels(short, long, { x: 705, y: 28, width: 67, height: 72 })).toBe(0);
  });

  it('draws names in any script, emoji, direction overrides and controls without failing or fetching anything', async () => {
    const names = [
      'Ada 🔥🐍 Lovelace',
      'مرحبا بالعالم',
      'שלום עולם',
      '中文名字很长',
      'Zoë Łódź Ωμέγα Иван',
      'Ada\u202Eevil.exe',
      'x\u0000y\u200b\u200dz',
      '👩‍👩‍👧‍👦'.repeat(50),
      '',
      '   ',
    ];
    for (const name of names) {
      const p = await draw(profileCard(profile({ name })));
      expect([p.width, p.height], name).toEqual([800, 440]);
      expect(distinctColors(p, { x: 110, y: 30, width: 400, height: 40 }), name).toBeGreaterThan(5);
    }
  });

  it('odd numbers are drawn as sensible ones', async () => {
    const p = await draw(
      profileCard(
        profile({
          points: { total: Number.NaN, week: -4 },
          streak: { current: Number.POSITIVE_INFINITY, longest: 0, freezes: 0 },
          heatmap: [{ day: 'not a day', count: -3 }, ...days(() => Number.NaN).slice(1)],
          tracks: [{ title: 'x', mastery: 7, label: 'mastered' }],
        }),
      ),
    );
    expect([p.width, p.height]).toEqual([800, 440]);
  });

  it('alt text says what the card shows', () => {
    const alt = describeProfile(profile());
    expect(alt).toContain('Ada Lovelace');
    expect(alt).toContain('12,840 points');
    expect(alt).toContain('#3 this week');
    expect(alt).toContain('12-day streak (best 30), 2 freezes held');
    expect(alt).toContain(`Active on 28 of the last 84 days`);
    expect(alt).toContain('Asyncio mastered (92%)');
  });
});

describe('streak card', () => {
  it('is an 800×380 PNG with the days kept in green and the frozen ones in ice blue', async () => {
    const heat = days((i) => (i >= 70 && i !== 75 && i !== 80 ? 2 : 0));
    const frozenDays = [heat[75]!.day, heat[80]!.day];
    const p = await draw(streakCard(streak({ heatmap: heat, streak: { current: 14, longest: 14, freezes: 0, frozenDays } })));
    expect([p.width, p.height]).toEqual([STREAK_SIZE.width, STREAK_SIZE.height]);
    // The legend under the grid shows each colour once more; count inside the grid only.
    const legend = heatCells(p);
    const grid = around(legend.levels.flat().filter((c) => c.width >= 14));
    const cells = heatCells(p, grid);
    expect(cells.frozen).toHaveLength(2);
    expect(cells.levels[4]).toHaveLength(12);
    expect(cells.levels[0]).toHaveLength(84 - 12 - 2);
  });

  it('more freezes held change the freezes badge only', async () => {
    const a = await draw(streakCard(streak({ streak: { current: 12, longest: 30, freezes: 0, frozenDays: [] } })));
    const b = await draw(streakCard(streak({ streak: { current: 12, longest: 30, freezes: 2, frozenDays: [] } })));
    expect(changedPixels(a, b, { x: 600, y: 20, width: 200, height: 90 })).toBeGreaterThan(100);
    expect(changedPixels(a, b, { x: 0, y: 120, width: 800, height: 260 })).toBe(0);
  });

  it('alt text counts the days a freeze saved', () => {
    const heat = days(() => 1);
    const alt = describeStreak(streak({ heatmap: heat, streak: { current: 3, longest: 9, freezes: 1, frozenDays: [heat[80]!.day, '2001-01-01'] } }));
    expect(alt).toBe(
      'Streak card for Ada Lovelace: 3-day streak (best 9), 1 freeze held. Active on 84 of the last 84 days; 1 day saved by a freeze.',
    );
  });
});

describe('board card', () => {
  const rowAt = (i: number): Region => ({ x: 28, y: 28 + 78 + i * 50, width: 744, height: 44 });

  it('grows with its rows, up to twelve', async () => {
    for (const n of [0, 1, 5, 12, 30]) {
      const p = await draw(boardCard(board(n)));
      expect([p.width, p.height]).toEqual([800, boardSize(n).height]);
    }
    expect(boardSize(1).height).toBeLessThan(boardSize(5).height);
    expect(boardSize(30).height).toBe(boardSize(12).height);
  });

  it('gives the top three their medals', async () => {
    const p = await draw(boardCard(board(5)));
    for (const [i, m] of MEDALS.entries()) {
      const medal = patches(p, m.fill, { minArea: 60, within: rowAt(i) });
      expect(medal.length, `medal ${i + 1}`).toBeGreaterThan(0);
    }
    expect(patches(p, MEDALS[0].fill, { minArea: 60, within: rowAt(3) })).toHaveLength(0);
  });

  it('highlights the caller’s own row and only that one', async () => {
    const plain = await draw(boardCard(board(5)));
    const mine = await draw(boardCard(board(5, 4)));
    expect(changedPixels(plain, mine, rowAt(3))).toBeGreaterThan(2000);
    for (const i of [0, 1, 2, 4]) expect(changedPixels(plain, mine, rowAt(i)), `row ${i + 1}`).toBe(0);
  });

  it('names in any script and odd scores do not break it', async () => {
    const d = board(4);
    d.rows[0]!.name = '🔥'.repeat(300);
    d.rows[1]!.name = 'مرحبا';
    d.rows[2]!.score = Number.NaN;
    d.rows[3]!.score = -5;
    const p = await draw(boardCard(d));
    expect([p.width, p.height]).toEqual([800, boardSize(4).height]);
  });

  it('alt text reads the ranking out', () => {
    expect(describeBoard(board(2, 2))).toBe(
      'Leaderboard — this week (Points earned since Monday): 1. Learner 1 1,000 points; 2. Learner 2 930 points (you).',
    );
    expect(describeBoard(board(0))).toBe('Leaderboard — this week (Points earned since Monday): no one yet.');
  });
});

describe('picture', () => {
  it('names the file so every platform keeps the name, and keeps alt text within Discord’s limit', () => {
    const p = picture('Ada’s progress card!', Buffer.from('png'), 'x'.repeat(5000));
    expect(p.name).toBe('Adas_progress_card.png');
    expect(p.alt.length).toBeLessThanOrEqual(1024);
    expect(picture('🔥', Buffer.alloc(0), 'a').name).toBe('picture.png');
  });
});

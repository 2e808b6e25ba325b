import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDay, startOfLocalDay, weekStart } from '../../src/time.js';
import { seeded } from '../support/seeded.js';

// Zones with DST, half- and quarter-hour offsets, a half-hour DST shift, and one that skipped a day.
const ZONES = ['UTC', 'Europe/Rome', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/St_Johns'];

describe('local days and weeks (kept once computed)', () => {
  it('give the same day, day start and week start as a fresh computation, for any instant in any zone', () => {
    const random = seeded(7);
    const from = Date.parse('2010-06-01T00:00:00Z');
    const span = 16 * 365 * 86_400_000;
    for (let i = 0; i < 20_000; i++) {
      const zone = ZONES[Math.floor(random() * ZONES.length)]!;
      // Instants near each other too, so cached days are asked again across their edges.
      const ms = from + Math.floor(random() * (i % 3 === 0 ? 4 * 86_400_000 : span));
      const t = DateTime.fromMillis(ms, { zone });
      const day = localDay(ms, zone);
      expect(day, `${zone} ${new Date(ms).toISOString()}`).toBe(t.toISODate());
      expect(startOfLocalDay(day, zone)).toBe(t.startOf('day').toMillis());
      expect(weekStart(ms, zone)).toBe(t.startOf('week').toMillis());
    }
  });

  it('Samoa skipped 30 December 2011: the instant after the 29th ends falls on the 31st', () => {
    const end29 = DateTime.fromISO('2011-12-29T23:59:59', { zone: 'Pacific/Apia' }).toMillis();
    expect(localDay(end29, 'Pacific/Apia')).toBe('2011-12-29');
    expect(localDay(end29 + 1000, 'Pacific/Apia')).toBe('2011-12-31');
  });
});

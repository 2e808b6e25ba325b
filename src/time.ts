import { DateTime, IANAZone } from 'luxon';

/** True for IANA zone names luxon (and so Intl) knows, e.g. "Europe/Rome"; also accepts "UTC". */
export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && zone.length < 64 && IANAZone.isValidZone(zone);
}

/** The calendar day (YYYY-MM-DD) that instant `at` falls on in `zone`. */
export function localDay(at: Date | number, zone: string): string {
  return DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone }).toISODate()!;
}

/** The day before `day` (YYYY-MM-DD), calendar arithmetic with no time zone involved. */
export function previousDay(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;
}

/** Whole days from `a` to `b` (YYYY-MM-DD): 1 for consecutive days, negative when `b` is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);
}

/** `day` (YYYY-MM-DD) moved by `n` days. */
export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
}

/** The day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

/** The instant Monday 00:00 of the week containing `at` began in `zone` (ms since epoch). */
export function weekStart(at: Date | number, zone: string): number {
  const t = DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone });
  return t.startOf('week').toMillis(); // luxon weeks are ISO weeks: they start on Monday
}

/** The instant the day `day` (YYYY-MM-DD) begins in `zone`. */
export function startOfLocalDay(day: string, zone: string): number {
  return DateTime.fromISO(day, { zone }).startOf('day').toMillis();
}

/** Canonical spelling of a zone the user typed in any case ("europe/rome" → "Europe/Rome"). */
export function normalizeTimeZone(zone: string): string | undefined {
  const trimmed = zone.trim();
  if (!isValidTimeZone(trimmed)) return undefined;
  if (/^(utc|z|gmt)$/i.test(trimmed)) return 'UTC';
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  return canonical;
}

/** A source of the current time, replaceable in tests that cross midnights and DST changes. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let zones: string[] | undefined;

/** Every IANA zone the runtime knows, computed once. */
export function allTimeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

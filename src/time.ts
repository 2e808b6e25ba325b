import { DateTime, IANAZone } from 'luxon';

/** True for IANA zone names luxon (and so Intl) knows, e.g. "Europe/Rome"; also accepts "UTC". */
export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && zone.length < 64 && IANAZone.isValidZone(zone);
}

/** Days as luxon computed them, by zone and quarter hour (every UTC offset in use is whole quarter hours). */
const days = new Map<string, { day: string; start: number; end: number }>();
const QUARTER_HOUR = 900_000;

/** The calendar day (YYYY-MM-DD) that instant `at` falls on in `zone`. */
export function localDay(at: Date | number, zone: string): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  // Every event asks for its day: a day once computed answers every instant within it.
  const k = `${zone}|${Math.floor(ms / QUARTER_HOUR)}`;
  const known = days.get(k);
  if (known && ms >= known.start && ms < known.end) return known.day;
  const t = DateTime.fromMillis(ms, { zone });
  const start = t.startOf('day');
  const day = { day: t.toISODate()!, start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
  if (days.size >= 20_000) days.clear();
  days.set(k, day);
  return day.day;
}

const DAY_MS = 86_400_000;

/** Calendar days as UTC midnights: plain arithmetic, no time zone involved (and no luxon on hot paths). */
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The day before `day` (YYYY-MM-DD), calendar arithmetic with no time zone involved. */
export function previousDay(day: string): string {
  return dayOf(dayMs(day) - DAY_MS);
}

/** Whole days from `a` to `b` (YYYY-MM-DD): 1 for consecutive days, negative when `b` is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayMs(b) - dayMs(a)) / DAY_MS);
}

/** `day` (YYYY-MM-DD) moved by `n` days. */
export function addDays(day: string, n: number): string {
  return dayOf(dayMs(day) + n * DAY_MS);
}

/** The day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return dayOf(dayMs(day) + DAY_MS);
}

/** The instant Monday 00:00 of the week containing `at` began in `zone` (ms since epoch). */
export function weekStart(at: Date | number, zone: string): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  const known = weeks.get(zone);
  if (known && ms >= known.start && ms < known.end) return known.start;
  const t = DateTime.fromMillis(ms, { zone }).startOf('week'); // luxon weeks are ISO weeks: they start on Monday
  const week = { start: t.toMillis(), end: t.plus({ weeks: 1 }).toMillis() };
  // Every scored action asks for this week's start: the last week computed is kept per zone.
  if (weeks.size >= 1000) weeks.clear();
  weeks.set(zone, week);
  return week.start;
}

const weeks = new Map<string, { start: number; end: number }>();

const dayStarts = new Map<string, number>();

/** The instant the day `day` (YYYY-MM-DD) begins in `zone`. */
export function startOfLocalDay(day: string, zone: string): number {
  const k = `${zone}|${day}`;
  let start = dayStarts.get(k);
  if (start === undefined) {
    start = DateTime.fromISO(day, { zone }).startOf('day').toMillis();
    if (dayStarts.size >= 20_000) dayStarts.clear();
    dayStarts.set(k, start);
  }
  return start;
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

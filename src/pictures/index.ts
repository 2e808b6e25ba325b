/**
 * Pictures of progress: PNG cards drawn in the bot (satori lays out, resvg rasterises) in a
 * bundled font, from plain data. Nothing here knows about chats or the database; the commands
 * gather the data and attach the result to their replies (see `attachPicture`).
 */
import { formatNumber, plainText, plural } from './text.js';
import { activeDays } from './heatmap.js';
import { box, label } from './element.js';
import { FAMILY } from './fonts.js';
import { toSvg } from './render.js';
import type { BoardCardData, ProfileCardData, StreakCardData } from './types.js';

export type { BoardCardData, HeatDay, MasteryLabel, ProfileCardData, StreakCardData } from './types.js';
export { boardCard, boardSize, BOARD_ROWS, PROFILE_SIZE, profileCard, STREAK_SIZE, streakCard, WIDTH } from './cards.js';

/**
 * Lays out a few words in both weights so the first real card is as quick as the rest: the first
 * layout starts satori's layout engine and parses the fonts, a blocking second or more on a busy
 * machine, which a reply due within Discord's three seconds cannot spare. Call once at start-up.
 */
export async function warmUp(): Promise<void> {
  const size = { width: 120, height: 40 };
  await toSvg(box({ ...size, fontFamily: FAMILY }, label('Ab 1', { fontWeight: 400 }), label('Cd 2', { fontWeight: 700 })), size);
}

/** Discord's limit for an attachment's description, the tightest of the platforms' alt texts. */
export const ALT_MAX = 1024;

/**
 * A file name every platform keeps as given: Discord rewrites others (spaces to underscores,
 * other characters dropped), and an `attachment://` reference to the name as written would then
 * point at nothing.
 */
export function pictureFileName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[._]+|[._]+$/g, '');
  const stem = base.replace(/\.png$/i, '') || 'picture';
  return `${stem}.png`;
}

/**
 * A drawn card as a message carries it (the chat kernel's `Picture`): a file name every platform
 * keeps, the PNG, and alt text within every platform's limit. The alt text should say what the
 * picture shows, as the message's text does.
 */
export function picture(name: string, png: Buffer, alt: string): { name: string; data: Buffer; alt: string } {
  return { name: pictureFileName(name), data: png, alt: plainText(alt, ALT_MAX) };
}

/** Alt text for a profile card: everything it shows, in words. */
export function describeProfile(d: ProfileCardData): string {
  const tracks = d.tracks.map((t) => `${plainText(t.title, 60)} ${t.label} (${Math.round(Math.max(0, Math.min(1, t.mastery)) * 100)}%)`);
  return plainText(
    [
      `Progress card for ${plainText(d.name, 64)}: ${plural(d.points.total, 'point')} (${formatNumber(d.points.week)} this week)` +
        `${d.rank ? `, #${formatNumber(d.rank)} this week` : ''}.`,
      `${formatNumber(d.streak.current)}-day streak (best ${formatNumber(d.streak.longest)}), ${plural(d.streak.freezes, 'freeze')} held.`,
      `Active on ${activeDays(d.heatmap)} of the last 84 days.`,
      tracks.length ? `Mastery: ${tracks.join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ALT_MAX,
  );
}

/** Alt text for a streak card. */
export function describeStreak(d: StreakCardData): string {
  const days = new Set(d.heatmap.slice(-84).map((h) => h.day));
  const frozen = d.streak.frozenDays.filter((f) => days.has(f)).length;
  return plainText(
    `Streak card for ${plainText(d.name, 64)}: ${formatNumber(d.streak.current)}-day streak (best ${formatNumber(d.streak.longest)}), ` +
      `${plural(d.streak.freezes, 'freeze')} held. Active on ${activeDays(d.heatmap)} of the last 84 days; ${plural(frozen, 'day')} saved by a freeze.`,
    ALT_MAX,
  );
}

/** Alt text for a board card: the ranking in words. */
export function describeBoard(d: BoardCardData): string {
  const rows = d.rows.map((r) => `${r.rank}. ${plainText(r.name, 64)} ${formatNumber(r.score)} ${d.unit}${r.me ? ' (you)' : ''}`);
  return plainText(
    `${plainText(d.title, 80)}${d.subtitle ? ` (${plainText(d.subtitle, 120)})` : ''}: ${rows.length ? rows.join('; ') : 'no one yet'}.`,
    ALT_MAX,
  );
}

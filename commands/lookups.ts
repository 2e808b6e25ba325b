import { echo, plainName, userText } from '../src/chat/user-text.js';
import { UserError } from '../src/chat/errors.js';
import type { Challenge, Content, Lesson } from '../src/content/types.js';
import { namedTracks } from '../src/learning/decks.js';
import { searchLessons } from '../src/learning/lessons.js';
import { allTimeZones, normalizeTimeZone } from '../src/time.js';

/** Commands name things by id; each lookup here says what exists when the id does not. */

/**
 * A track's title as Markdown. A group's own deck is titled by whoever imported it, so every title
 * goes into replies as plain text: a deck called "[Free Nitro](https://…)" is not a link.
 */
export function trackName(content: Content, id: string): string {
  return userText(content.trackById.get(id)?.title ?? id, 80);
}

/** The same title where no Markdown is read (a message title, a file's deck name): cleaned and capped. */
export function trackLabel(content: Content, id: string): string {
  return plainName(content.trackById.get(id)?.title ?? id, 80);
}

/** The track id a learner typed (any case), undefined when none was given, or a UserError listing the tracks. */
export function requireTrack(content: Content, input: string | undefined): string | undefined {
  if (input === undefined || input.trim() === '') return undefined;
  const id = input.trim().toLowerCase();
  if (content.trackById.has(id)) return id;
  throw new UserError(
    `There is no track "${echo(input.trim())}".`,
    `Tracks: ${namedTracks(content)
      .map((t) => t.id)
      .join(', ')}`,
  );
}

export function requireLesson(content: Content, input: string): Lesson {
  const lesson = content.lessonById.get(input.trim().toLowerCase());
  if (lesson) return lesson;
  const close = searchLessons(content, input, 3);
  throw new UserError(
    `There is no lesson "${echo(input.trim())}".${close.length ? ` Did you mean ${close.map((l) => `\`${l.id}\``).join(', ')}?` : ''}`,
    'See `/lesson list` for every lesson.',
  );
}

export function requireChallenge(content: Content, input: string): Challenge {
  const ch = content.challengeById.get(input.trim().toLowerCase());
  if (ch) return ch;
  throw new UserError(`There is no challenge "${echo(input.trim())}".`, 'See `/challenges list` for them all.');
}

/** A valid zone, or a UserError naming the bad one and suggesting close matches. */
export function requireZone(input: string): string {
  const zone = normalizeTimeZone(input);
  if (zone) return zone;
  const q = input.trim().toLowerCase().replace(/\s+/g, '_');
  const close = allTimeZones()
    .filter((z) => q.length >= 3 && z.toLowerCase().includes(q.split('/').pop()!))
    .slice(0, 5);
  throw new UserError(
    `"${echo(input)}" is not a time zone I know.${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`,
    'Use an IANA name such as Europe/Rome, America/New_York or Asia/Kolkata (or UTC).',
  );
}

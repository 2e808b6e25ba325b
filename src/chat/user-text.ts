/**
 * Strings that come from users (display names, what they typed, titles of imported content) go
 * into Markdown replies through these, and only through these: they come out as plain text on
 * every platform. Bidi overrides and invisible characters cannot reorder or hide parts of a line,
 * Markdown cannot turn a name into a masked link, a code block or emphasis, and length is capped.
 */

/** Bidi embeddings, overrides and isolates, and the marks that steer them. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Zero-width and other invisible characters, and control characters. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF]/g;

function cap(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** A user-provided string cleaned for display as a title or label (no Markdown there). */
export function plainName(s: string, max = 64): string {
  const clean = s.replace(BIDI, '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return cap(clean, max) || '(no name)';
}

/**
 * A user-provided string as Markdown that shows exactly its characters, capped to `max`: every
 * ASCII punctuation character is backslash-escaped (which every renderer honours), so no mark, link, entity (`&colon;`) or autolink can come
 * of it. A URL in it stays text too: chat apps turn bare URLs and `www.` names into links, so a
 * zero-width space breaks "://" and "www." (Markdown's own autolinks find them even escaped).
 */
export function userText(s: string, max = 64): string {
  return plainName(s, max)
    .replace(/:\/\//g, ':/\u200B/')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 2)}\u200B${w.slice(2)}`)
    .replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Something a user typed, echoed back in a reply (an unknown id, a bad value): short and inert. */
export function echo(s: string): string {
  return userText(s, 60);
}

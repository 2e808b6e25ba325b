import type { AutocompleteSource, Choice } from '../chat/command.js';
import type { Content } from '../content/types.js';
import { namedTracks } from '../learning/decks.js';
import { searchLessons } from '../learning/lessons.js';
import { allTimeZones } from '../time.js';

const clip = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Suggestions for the value being typed; at most 25 (Discord's limit). */
export function autocomplete(source: AutocompleteSource, partial: string, content: Content): Choice[] {
  const q = partial.trim().toLowerCase();
  switch (source) {
    case 'lessons':
      return searchLessons(content, q).map((l) => ({ name: clip(`${l.title} (${l.id})`), value: l.id }));
    case 'tracks':
      return namedTracks(content)
        .filter((t) => !q || t.id.includes(q) || t.title.toLowerCase().includes(q))
        .map((t) => ({ name: clip(t.title), value: t.id }));
    case 'challenges':
      return [...content.challengeById.values()]
        .filter((c) => !q || c.id.includes(q) || c.title.toLowerCase().includes(q))
        .slice(0, 25)
        .map((c) => ({ name: clip(`${c.title} (${c.id}, ${c.difficulty})`), value: c.id }));
    case 'timezones':
      return allTimeZones()
        .filter((z) => !q || z.toLowerCase().includes(q))
        .slice(0, 25)
        .map((z) => ({ name: z, value: z }));
  }
}

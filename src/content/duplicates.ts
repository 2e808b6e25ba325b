/**
 * Near-duplicate detection for quiz questions and flashcards: two items whose wording shares most
 * of its meaningful words are one item written twice, which wastes a learner's review time.
 */

const STOP = new Set(
  'a an the of to in on for and or is are was be by with as at it its this that what which how why when does do you your from into than then there their can'.split(
    ' ',
  ),
);

export function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/[`*_>#()[\]{}"'“”‘’.,;:!?]/g, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 1 && !STOP.has(w)),
  );
}

/** Shared words over all words (Jaccard): 1 for the same wording, 0 for nothing in common. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

export const NEAR_DUPLICATE = 0.6;

/** Pairs of items whose texts are near-duplicates (short texts need at least 4 words to compare). */
export function nearDuplicates<T>(items: T[], text: (item: T) => string): [T, T, number][] {
  const sets = items.map((i) => words(text(i)));
  const out: [T, T, number][] = [];
  for (let i = 0; i < items.length; i++) {
    if (sets[i]!.size < 4) continue;
    for (let j = i + 1; j < items.length; j++) {
      if (sets[j]!.size < 4) continue;
      const s = similarity(sets[i]!, sets[j]!);
      if (s >= NEAR_DUPLICATE) out.push([items[i]!, items[j]!, s]);
    }
  }
  return out;
}

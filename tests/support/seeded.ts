/** A random source that gives the same sequence for the same seed (mulberry32), for reproducible shuffles. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The options of a posted question as the chat shows them ("**B.** text" or Slack's "*B.* text"), by letter. */
export function shownOptions(text: string): { letter: string; text: string }[] {
  return [...text.matchAll(/^\u200B?\*{0,2}([A-E])\.\*{0,2}\u200B? (.+)$/gm)].map((m) => ({ letter: m[1]!, text: m[2]! }));
}

import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/text/markdown.js';

describe('splitting a paragraph longer than a piece', () => {
  it('cuts between words, so no word is torn in two', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`);
    const paragraph = words.join(' ');
    const pieces = splitMarkdown(paragraph, { max: 500 });
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(500);
      for (const w of p.split(/\s+/).filter(Boolean)) expect(words).toContain(w);
    }
    expect(pieces.join(' ').split(/\s+/)).toEqual(words);
  });
});

import { describe, expect, it } from 'vitest';
import { FenceTracker, markdownBlocks, splitMarkdown } from '../../src/text/markdown.js';

describe('fence-aware Markdown splitting', () => {
  it('packs blocks up to the maximum and keeps them whole when they fit', () => {
    const pieces = splitMarkdown(['a'.repeat(50), 'b'.repeat(50), 'c'.repeat(50)], { max: 110 });
    expect(pieces).toEqual([`${'a'.repeat(50)}\n\n${'b'.repeat(50)}`, 'c'.repeat(50)]);
  });

  it('never splits at a blank line inside a code block', () => {
    const md = 'intro\n\n```python\nx = 1\n\ny = 2\n```\n\nafter';
    expect(markdownBlocks(md)).toEqual(['intro', '```python\nx = 1\n\ny = 2\n```', 'after']);
  });

  it('closes a code block cut in two and reopens it, with its language, in the next piece', () => {
    const code = Array.from({ length: 40 }, (_, i) => `print(${i})`).join('\n');
    const pieces = splitMarkdown(`\`\`\`python\n${code}\n\`\`\``, { max: 200 });
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(200);
      const fences = new FenceTracker();
      for (const line of p.split('\n')) fences.feed(line);
      expect(fences.inside).toBe(false);
      expect(p.startsWith('```python\n')).toBe(true);
    }
    // Nothing lost, nothing repeated: the lines come back in order.
    const lines = pieces.flatMap((p) => p.split('\n').filter((l) => !l.startsWith('```')));
    expect(lines.join('\n')).toBe(code);
  });

  it('starts a new piece at a heading once the current one is well filled, when asked to', () => {
    const md = `${'x'.repeat(70)}\n\n## Next section\n\nbody`;
    expect(splitMarkdown(md, { max: 110, headingBreakAt: 0.6 })).toEqual(['x'.repeat(70), '## Next section\n\nbody']);
    expect(splitMarkdown(md, { max: 110 })).toHaveLength(1);
    expect(splitMarkdown(md, { max: 200, headingBreakAt: 0.6 })).toHaveLength(1);
  });

  it('cuts a line longer than a piece where the policy allows, never inside a surrogate pair', () => {
    const line = `${'a'.repeat(99)}😀${'b'.repeat(150)}`;
    const pieces = splitMarkdown(line, { max: 100 });
    // A cut line continues on the next line of the next piece: only line breaks are added.
    expect(pieces.join('').replace(/\n/g, '')).toBe(line);
    for (const p of pieces) expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false);
    const entities = splitMarkdown('&amp;'.repeat(60), { max: 100, cut: (l, at) => l.lastIndexOf('&', at) });
    for (const p of entities) expect(p).toMatch(/^(&amp;|\n)+$/);
    expect(entities.join('').replace(/\n/g, '')).toBe('&amp;'.repeat(60));
  });
});

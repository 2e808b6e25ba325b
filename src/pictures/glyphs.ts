/**
 * Small pictures drawn in place of characters (satori's graphemeImages): the bundled font has no
 * emoji, and emoji images are never fetched. Text may use these characters freely; every other
 * character the font lacks becomes REPLACEMENT (text.ts).
 */

/** What a character the font cannot draw is shown as. */
export const REPLACEMENT = '\uFFFD';
export const SNOWFLAKE = '❄';
export const FLAME = '🔥';

const svg = (body: string) =>
  `data:image/svg+xml;base64,${Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">${body}</svg>`).toString('base64')}`;

function snowflake(color: string): string {
  const parts: string[] = [];
  for (let k = 0; k < 6; k++) {
    const a = (k * Math.PI) / 3 - Math.PI / 2;
    const at = (r: number, turn = 0) => [12 + r * Math.cos(a + turn), 12 + r * Math.sin(a + turn)].map((v) => v.toFixed(2)).join(' ');
    parts.push(`M12 12L${at(10)}`);
    // A pair of small branches two thirds of the way out.
    const stem = at(6.5);
    for (const side of [-1, 1]) {
      const [sx, sy] = stem.split(' ').map(Number) as [number, number];
      const b = a + (side * Math.PI) / 4;
      parts.push(`M${stem}L${(sx + 3 * Math.cos(b)).toFixed(2)} ${(sy + 3 * Math.sin(b)).toFixed(2)}`);
    }
  }
  return svg(`<path d="${parts.join('')}" fill="none" stroke="${color}" stroke-width="2" stroke-linecap="round"/>`);
}

const flame = svg(
  '<path d="M12 1.5C13.6 5.2 18.5 7.6 18.5 13.8a6.5 6.5 0 0 1-13 0c0-3 1.5-5.1 3.2-6.6-.1 2.4.9 4 2.4 4.6-.5-3.6.1-7 .9-10.3z" fill="#f97316"/>' +
    '<path d="M12 12.2c1.2 1.5 3.3 2.7 3.3 5.3a3.3 3.3 0 0 1-6.6 0c0-2.2 1.7-3.8 3.3-5.3z" fill="#fde047"/>',
);

const replacement = svg(
  '<rect x="3" y="3" width="18" height="18" rx="4" fill="none" stroke="#94a3b8" stroke-width="2"/>' +
    '<path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5v.7" fill="none" stroke="#94a3b8" stroke-width="2" stroke-linecap="round"/>' +
    '<circle cx="12" cy="17" r="1.2" fill="#94a3b8"/>',
);

export const GLYPHS: Readonly<Record<string, string>> = {
  [REPLACEMENT]: replacement,
  [SNOWFLAKE]: snowflake('#7dd3fc'),
  [FLAME]: flame,
};

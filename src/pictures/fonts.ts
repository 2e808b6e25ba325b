import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

/**
 * The typeface the pictures are drawn in: Inter (SIL Open Font License), from the
 * @fontsource/inter package, so nothing is fetched at run time. Satori reads TTF, OTF and WOFF but
 * not WOFF2, hence the .woff files. Each subset is its own file; together they cover Latin (with
 * its extended range), Greek and Cyrillic.
 */
const SUBSETS = ['latin', 'latin-ext', 'cyrillic', 'greek'] as const;
/**
 * Satori looks for a missing glyph in the next family of the list, not in another font of the
 * same name, so each subset is a family of its own and text names them all.
 */
export const FAMILY = SUBSETS.map((s) => `Inter ${s}`).join(', ');
export const WEIGHTS = [400, 700] as const;
export type Weight = (typeof WEIGHTS)[number];

export interface LoadedFont {
  name: string;
  data: Buffer;
  weight: Weight;
  style: 'normal';
}

export interface Fonts {
  /** One array for every render: satori caches what it parsed per array. */
  list: LoadedFont[];
  /** Code points some loaded font draws. */
  covers: (codePoint: number) => boolean;
}

let cached: Fonts | undefined;

/** The fonts, read and indexed on first use and kept for the life of the process. */
export function fonts(): Fonts {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const list: LoadedFont[] = [];
  const points = new Set<number>();
  for (const weight of WEIGHTS) {
    for (const subset of SUBSETS) {
      const file = require.resolve(`@fontsource/inter/files/inter-${subset}-${weight}-normal.woff`);
      // Inflated here by zlib: satori's own font reader inflates WOFF tables in JavaScript, a
      // quarter of a second of start-up for these eight files.
      const data = sfntOf(readFileSync(file));
      list.push({ name: `Inter ${subset}`, data, weight, style: 'normal' });
      for (const cp of fontCodePoints(data)) points.add(cp);
    }
  }
  cached = { list, covers: (cp) => points.has(cp) };
  return cached;
}

// ─── Reading a font's character map ───────────────────────────────────────────────────────────────
// Satori draws a character no font has as a "no glyph" box; knowing the map lets the text be
// cleaned first (text.ts), so a name in a script the font lacks shows a deliberate replacement.

const tag = (b: Buffer, at: number) => b.toString('latin1', at, at + 4);

/** The raw bytes of one table of a TTF, OTF or WOFF file, or undefined. */
function table(font: Buffer, name: string): Buffer | undefined {
  const signature = tag(font, 0);
  if (signature === 'wOFF') {
    const count = font.readUInt16BE(12);
    for (let i = 0; i < count; i++) {
      const at = 44 + i * 20;
      if (tag(font, at) !== name) continue;
      const offset = font.readUInt32BE(at + 4);
      const compressed = font.readUInt32BE(at + 8);
      const original = font.readUInt32BE(at + 12);
      const raw = font.subarray(offset, offset + compressed);
      return compressed < original ? inflateSync(raw) : raw;
    }
    return undefined;
  }
  if (signature === 'wOF2') throw new Error('WOFF2 fonts cannot be read here (satori cannot either): use the .woff or .ttf file');
  const count = font.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    if (tag(font, at) !== name) continue;
    const offset = font.readUInt32BE(at + 8);
    return font.subarray(offset, offset + font.readUInt32BE(at + 12));
  }
  return undefined;
}

/**
 * A WOFF font as the plain TTF/OTF (sfnt) it wraps: each table inflated and laid out again with
 * the 4-byte alignment and directory sfnt readers expect. Other fonts are returned as they are.
 */
export function sfntOf(font: Buffer): Buffer {
  if (tag(font, 0) !== 'wOFF') return font;
  const count = font.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const offset = font.readUInt32BE(at + 4);
    const compressed = font.readUInt32BE(at + 8);
    const original = font.readUInt32BE(at + 12);
    const raw = font.subarray(offset, offset + compressed);
    return { tag: tag(font, at), checksum: font.readUInt32BE(at + 16), data: compressed < original ? inflateSync(raw) : raw };
  });
  const pad = (n: number) => (n + 3) & ~3;
  const head = 12 + count * 16;
  const out = Buffer.alloc(head + tables.reduce((sum, t) => sum + pad(t.data.length), 0));
  const pow = 2 ** Math.floor(Math.log2(count));
  out.writeUInt32BE(font.readUInt32BE(4), 0); // the flavour: TrueType or CFF outlines
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(pow * 16, 6);
  out.writeUInt16BE(Math.log2(pow), 8);
  out.writeUInt16BE(count * 16 - pow * 16, 10);
  let offset = head;
  for (const [i, t] of tables.entries()) {
    const at = 12 + i * 16;
    out.write(t.tag, at, 'latin1');
    out.writeUInt32BE(t.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    t.data.copy(out, offset);
    offset += pad(t.data.length);
  }
  return out;
}

/** Every code point a font maps to a real glyph (cmap formats 4 and 12, Unicode encodings). */
export function fontCodePoints(font: Buffer): Set<number> {
  const cmap = table(font, 'cmap');
  const out = new Set<number>();
  if (!cmap) return out;
  const records = cmap.readUInt16BE(2);
  const subtables: { format: number; offset: number }[] = [];
  for (let i = 0; i < records; i++) {
    const at = 4 + i * 8;
    const platform = cmap.readUInt16BE(at);
    const encoding = cmap.readUInt16BE(at + 2);
    const offset = cmap.readUInt32BE(at + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode) subtables.push({ format: cmap.readUInt16BE(offset), offset });
  }
  const full = subtables.find((s) => s.format === 12);
  if (full) {
    const groups = cmap.readUInt32BE(full.offset + 12);
    for (let g = 0; g < groups; g++) {
      const at = full.offset + 16 + g * 12;
      const start = cmap.readUInt32BE(at);
      const end = cmap.readUInt32BE(at + 4);
      for (let cp = start; cp <= end && cp <= 0x10ffff; cp++) out.add(cp);
    }
    return out;
  }
  const basic = subtables.find((s) => s.format === 4);
  if (!basic) return out;
  const o = basic.offset;
  const segments = cmap.readUInt16BE(o + 6) / 2;
  const ends = o + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = cmap.readUInt16BE(ends + s * 2);
    const start = cmap.readUInt16BE(starts + s * 2);
    const delta = cmap.readInt16BE(deltas + s * 2);
    const rangeAt = rangeOffsets + s * 2;
    const rangeOffset = cmap.readUInt16BE(rangeAt);
    for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (cp + delta) & 0xffff;
      else {
        const raw = cmap.readUInt16BE(rangeAt + rangeOffset + (cp - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) out.add(cp);
    }
  }
  return out;
}

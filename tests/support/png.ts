import { PNG } from 'pngjs';

/** A decoded PNG: what a viewer would show, pixel by pixel. */
export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Buffer;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Decodes PNG bytes; throws when they are not a valid PNG (bad signature, CRC or data). */
export function decodePng(bytes: Buffer): Pixels {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

/** The PNG inside an upload body: raw bytes as they are, or the file part of a multipart form. */
export function pngIn(body: Buffer): Buffer {
  const start = body.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (start < 0) throw new Error('no PNG in the body');
  // A PNG ends with its IEND chunk: the type, then a 4-byte CRC.
  const end = body.indexOf(Buffer.from('IEND'), start);
  if (end < 0) throw new Error('the PNG in the body is cut short');
  return body.subarray(start, end + 8);
}

export const hex = (color: string): [number, number, number] => {
  const n = Number.parseInt(color.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

function pixel(p: Pixels, x: number, y: number): [number, number, number, number] {
  const i = (y * p.width + x) * 4;
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!, p.data[i + 3]!];
}

const whole = (p: Pixels): Region => ({ x: 0, y: 0, width: p.width, height: p.height });

/** How many distinct colours a region holds: a flat background has a handful, text and charts many. */
export function distinctColors(p: Pixels, r: Region = whole(p)): number {
  const seen = new Set<number>();
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const [red, green, blue] = pixel(p, x, y);
      seen.add((red << 16) | (green << 8) | blue);
    }
  }
  return seen.size;
}

/** Pixels that differ between two pictures of the same size, within a region. */
export function changedPixels(a: Pixels, b: Pixels, r: Region = whole(a)): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('pictures of different sizes');
  let n = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * a.width + x) * 4;
      if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
    }
  }
  return n;
}

/**
 * Separate patches of exactly one colour (4-connected), each with its bounding box, ignoring
 * patches smaller than `minArea` (stray anti-aliased pixels of text that happen to match).
 */
export function patches(p: Pixels, color: string, opts: { minArea?: number; within?: Region } = {}): Region[] {
  const [cr, cg, cb] = hex(color);
  const r = opts.within ?? whole(p);
  const seen = new Uint8Array(p.width * p.height);
  const out: Region[] = [];
  const matches = (x: number, y: number) => {
    const [red, green, blue] = pixel(p, x, y);
    return red === cr && green === cg && blue === cb;
  };
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      if (seen[y * p.width + x] || !matches(x, y)) continue;
      let area = 0;
      let [x0, y0, x1, y1] = [x, y, x, y];
      const stack = [[x, y] as const];
      seen[y * p.width + x] = 1;
      while (stack.length) {
        const [cx, cy] = stack.pop()!;
        area++;
        x0 = Math.min(x0, cx);
        y0 = Math.min(y0, cy);
        x1 = Math.max(x1, cx);
        y1 = Math.max(y1, cy);
        for (const [nx, ny] of [
          [cx + 1, cy],
          [cx - 1, cy],
          [cx, cy + 1],
          [cx, cy - 1],
        ] as const) {
          if (nx < r.x || ny < r.y || nx >= r.x + r.width || ny >= r.y + r.height) continue;
          if (seen[ny * p.width + nx] || !matches(nx, ny)) continue;
          seen[ny * p.width + nx] = 1;
          stack.push([nx, ny]);
        }
      }
      if (area >= (opts.minArea ?? 1)) out.push({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
    }
  }
  return out;
}

/** The smallest region holding every given region. */
export function around(regions: Region[]): Region {
  const x = Math.min(...regions.map((r) => r.x));
  const y = Math.min(...regions.map((r) => r.y));
  const right = Math.max(...regions.map((r) => r.x + r.width));
  const bottom = Math.max(...regions.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

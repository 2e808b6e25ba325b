import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../src/pictures/png.js';
import { toPng } from '../../src/pictures/render.js';
import { decodePng } from '../support/png.js';

describe('PNG encoding of a drawn card', () => {
  it('decodes back to the same pixels, every row and column in place', async () => {
    const width = 7;
    const height = 5;
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([(i * 37) % 256, (i * 11) % 256, i % 2 ? 255 : 0, 255], i * 4);
    const png = await encodePng(rgba, width, height);
    const back = decodePng(png!);
    expect([back.width, back.height]).toEqual([width, height]);
    expect(back.data.equals(rgba)).toBe(true);
  });

  it('hands a picture with any see-through pixel back to the full encoder, which keeps its alpha', async () => {
    const rgba = Buffer.alloc(2 * 2 * 4, 255);
    rgba[7] = 128;
    expect(await encodePng(rgba, 2, 2)).toBeUndefined();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect width="2" height="2" fill="#ff0000"/></svg>';
    const p = decodePng(await toPng(svg));
    expect([...p.data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect(p.data[2 * 4 + 3]).toBe(0);
  });

  it('refuses pixels that do not match the size given', async () => {
    await expect(encodePng(Buffer.alloc(10), 2, 2)).rejects.toThrow(/10 bytes is not 2×2 RGBA/);
  });

  it('checksums chunks as PNG readers expect (CRC-32 of "IEND")', () => {
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });
});

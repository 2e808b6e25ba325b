import { promisify } from 'node:util';
import { deflate } from 'node:zlib';

/**
 * PNG encoding of an opaque RGBA raster. resvg's own encoder (`asPng`) spends more time than the
 * rasterising itself: it tries every row filter at full compression. Cards are flat colours and
 * text, so rows without a filter and a fast zlib level give a file about as small in a fraction of
 * the time, and zlib runs on libuv's thread pool, off the event loop.
 */
const deflateAsync = promisify(deflate);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG of `rgba` (width × height pixels, 4 bytes each) as 8-bit RGB, or undefined when a pixel is
 * not fully opaque: the alpha channel of an opaque picture carries nothing, and leaving it out
 * makes a quarter less to compress. (Premultiplied and straight alpha are the same bytes only
 * where every pixel is opaque, so the caller can hand over resvg's premultiplied pixels as they are.)
 */
export async function encodePng(rgba: Uint8Array, width: number, height: number): Promise<Buffer | undefined> {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: ${rgba.length} bytes is not ${width}×${height} RGBA`);
  const stride = width * 3 + 1;
  const raw = Buffer.allocUnsafe(stride * height);
  let o = 0;
  let i = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      if (rgba[i + 3] !== 255) return undefined;
      raw[o++] = rgba[i]!;
      raw[o++] = rgba[i + 1]!;
      raw[o++] = rgba[i + 2]!;
      i += 4;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const idat = await deflateAsync(raw, { level: 3 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

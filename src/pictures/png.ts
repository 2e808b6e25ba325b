import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { endianness } from 'node:os';

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

const LITTLE_ENDIAN = endianness() === 'LE';

/** True when every pixel of `rgba` is fully opaque. */
export function opaque(rgba: Uint8Array): boolean {
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    // Four bytes at a time: the alpha byte is the top one of each little-endian word.
    const words = new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.length >> 2);
    for (let i = 0; i < words.length; i++) if (words[i]! < 0xff000000) return false;
    return true;
  }
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/**
 * A PNG of `rgba` (width × height pixels, 4 bytes each), or undefined when a pixel is not fully
 * opaque: premultiplied and straight alpha are the same bytes only where every pixel is opaque, so
 * the caller can hand over resvg's premultiplied pixels as they are. Rows are copied whole, with
 * no filter; copying is what costs, not the quarter more bytes zlib reads.
 */
export async function encodePng(rgba: Uint8Array, width: number, height: number): Promise<Buffer | undefined> {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: ${rgba.length} bytes is not ${width}×${height} RGBA`);
  if (!opaque(rgba)) return undefined;
  const row = width * 4;
  const raw = Buffer.allocUnsafe((row + 1) * height);
  const pixels = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length);
  for (let y = 0; y < height; y++) {
    raw[y * (row + 1)] = 0; // filter: none
    pixels.copy(raw, y * (row + 1) + 1, y * row, (y + 1) * row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const idat = await deflateAsync(raw, { level: 3 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

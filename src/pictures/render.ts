import { type Element, PAINT } from './element.js';
import { fonts } from './fonts.js';
import { GLYPHS } from './glyphs.js';
import { encodePng } from './png.js';

export interface Size {
  width: number;
  height: number;
}

// Loaded on first use (the warm-up, or a first card): a quarter of a second of start-up otherwise.
const engines = () => Promise.all([import('satori'), import('@resvg/resvg-js')]);
let loaded: ReturnType<typeof engines> | undefined;

/**
 * Lays an element tree out as SVG, text drawn as outlines in the bundled font. Anything satori
 * would want to load on top (an emoji image, a font for another script) is refused, so rendering
 * never touches the network; text is cleaned of such characters beforehand (text.ts).
 */
export async function toSvg(tree: Element, size: Size): Promise<string> {
  loaded ??= engines();
  const [{ default: satori }] = await loaded;
  // Painted boxes (element.ts) are laid out empty; their shapes go on top where the layout put them.
  const paints: string[] = [];
  const svg = await satori(tree as unknown as Parameters<typeof satori>[0], {
    width: size.width,
    height: size.height,
    fonts: fonts().list,
    graphemeImages: GLYPHS as Record<string, string>,
    loadAdditionalAsset: async () => [],
    onNodeDetected: (node) => {
      const paint = node.props[PAINT];
      if (typeof paint === 'string') paints.push(`<g transform="translate(${node.left} ${node.top})">${paint}</g>`);
    },
  });
  if (!paints.length) return svg;
  const end = svg.lastIndexOf('</svg>');
  return `${svg.slice(0, end)}${paints.join('')}${svg.slice(end)}`;
}

/**
 * The SVG as a PNG of exactly its size. Text is outlines already, so no system font is looked up.
 * Rasterising runs on libuv's thread pool, so the bot keeps answering other chats meanwhile.
 */
export async function toPng(svg: string): Promise<Buffer> {
  loaded ??= engines();
  const [, { renderAsync }] = await loaded;
  const image = await renderAsync(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
  return (await encodePng(image.pixels, image.width, image.height)) ?? image.asPng();
}

/** Lets due timers run: satori's layout is one long synchronous stretch, and a reply's acknowledgement may be waiting on a timer. */
const yieldToTimers = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function draw(tree: Element, size: Size): Promise<Buffer> {
  await yieldToTimers();
  const svg = await toSvg(tree, size);
  await yieldToTimers();
  return toPng(svg);
}

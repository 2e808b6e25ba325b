/**
 * Discord Markdown helpers: code fences nothing can break out of, and splitting long Markdown
 * without leaving a code block open at a cut.
 */

const ZWSP = '\u200b';

/** Backtick fences only: Discord renders no ~~~ blocks. */
const FENCE = /^\s*(`{3,})(.*)$/;

/**
 * Makes text safe inside a ``` fence: no two backticks stay adjacent, so the text can never
 * contain the closing ``` (Discord closes a block at any ```, not only at a line start).
 */
export function escapeFenced(code: string): string {
  return code.replace(/`(?=`)/g, `\`${ZWSP}`);
}

/** A fenced code block with a harmless language tag and escaped contents. */
export function fence(code: string, language?: string): string {
  const lang = language && /^[\w+#.-]{1,20}$/.test(language) ? language : '';
  const body = escapeFenced(code.replace(/\n+$/, ''));
  return `\`\`\`${lang}\n${body || ' '}\n\`\`\``;
}

/** Small print: Discord's `-# ` subtext on every non-empty line. */
export function subtext(markdown: string): string {
  return markdown
    .split('\n')
    .map((l) => (l.trim() ? `-# ${l}` : l))
    .join('\n');
}

/** Escapes the characters that would turn plain text (a label) into formatting. */
export function escapeInline(s: string): string {
  return s.replace(/([\\*_`~|>[\]])/g, '\\$1');
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(s: string, max: number): number {
  const c = s.charCodeAt(max);
  return c >= 0xdc00 && c <= 0xdfff ? max - 1 : max;
}

/** Lines longer than `max` broken into pieces (a long line of program output, say). */
function hardSplit(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const at = cutAt(rest, max);
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}

/**
 * Splits at line breaks into chunks of at most `max` characters. A chunk that ends inside a code
 * block closes it, and the next chunk reopens it with the same language, so every chunk renders
 * on its own.
 */
function splitLines(markdown: string, max: number): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  let opener: string | undefined;
  let marker = '```';
  // Room for a reopened fence line at the start of a chunk and the closing fence at its end.
  const lineMax = Math.max(20, max - 60);
  for (const raw of markdown.split('\n')) {
    for (const line of hardSplit(raw, lineMax)) {
      const m = FENCE.exec(line);
      let nextOpener = opener;
      let nextMarker = marker;
      if (m && opener === undefined) {
        nextOpener = line.trim();
        nextMarker = m[1]!;
      } else if (m && opener !== undefined && line.trim().startsWith(marker) && line.trim().replace(/`/g, '') === '') {
        nextOpener = undefined;
      }
      const candidate = cur === undefined ? line : `${cur}\n${line}`;
      const reserve = nextOpener === undefined ? 0 : nextMarker.length + 1;
      if (cur !== undefined && candidate.length + reserve > max) {
        out.push(opener === undefined ? cur : `${cur}\n${marker}`);
        cur = opener === undefined ? line : `${opener}\n${line}`;
      } else cur = candidate;
      opener = nextOpener;
      marker = nextMarker;
    }
  }
  if (cur !== undefined) out.push(opener === undefined ? cur : `${cur}\n${marker}`);
  return out;
}

/** Paragraphs: split at blank lines outside code blocks. */
function paragraphs(markdown: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let open = false;
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) open = !open;
    if (!open && line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

/**
 * Packs Markdown pieces (paragraphs, code blocks) into chunks of at most `max` characters, joined
 * by blank lines. Pieces break between paragraphs first, then between lines, then inside a line.
 */
export function packMarkdown(pieces: string[], max: number): string[] {
  const units: string[] = [];
  for (const p of pieces) {
    if (p.length <= max) units.push(p);
    else for (const para of paragraphs(p)) units.push(...(para.length <= max ? [para] : splitLines(para, max)));
  }
  const chunks: string[] = [];
  let cur = '';
  for (const u of units) {
    if (!cur) cur = u;
    else if (cur.length + 2 + u.length <= max) cur = `${cur}\n\n${u}`;
    else {
      chunks.push(cur);
      cur = u;
    }
  }
  if (cur) chunks.push(cur);
  return chunks;
}

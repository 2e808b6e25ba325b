/**
 * Fence-aware Markdown splitting, written once for every place that cuts Markdown into pieces:
 * lesson pages, Discord embeds, Slack text objects, terminal styling. A cut never leaves a code
 * block open: a block too long for one piece is closed at the cut and reopened, with its language,
 * in the next piece, so every piece renders on its own.
 */

const FENCE_LINE = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)/;

/** Tracks whether a line-by-line walk is inside a fenced code block. */
export class FenceTracker {
  private marker: string | undefined;
  private openLine: string | undefined;

  /** Feeds one line; returns what it was: an opening or closing fence, code, or prose. */
  feed(line: string): 'open' | 'close' | 'code' | 'prose' {
    const m = FENCE_LINE.exec(line);
    if (this.marker === undefined) {
      if (!m) return 'prose';
      this.marker = m[1]!;
      this.openLine = line.trim();
      return 'open';
    }
    const t = line.trim();
    if (m && t.startsWith(this.marker) && t.replace(/[`~]/g, '') === '' && m[1]![0] === this.marker[0] && m[1]!.length >= this.marker.length) {
      this.marker = undefined;
      this.openLine = undefined;
      return 'close';
    }
    return 'code';
  }

  get inside(): boolean {
    return this.marker !== undefined;
  }

  /** The fence line that opened the current block (to reopen it after a cut). */
  get opener(): string | undefined {
    return this.openLine;
  }

  /** The marker that closes the current block. */
  get closer(): string | undefined {
    return this.marker;
  }
}

/** The language tag of a fence line such as "```python run" → "python". */
export function fenceLanguage(line: string): string {
  return FENCE_LINE.exec(line)?.[2]?.toLowerCase() ?? '';
}

/** Blocks separated by blank lines outside code fences; a code block stays whole within its block. */
export function markdownBlocks(markdown: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const fences = new FenceTracker();
  for (const line of markdown.split('\n')) {
    const kind = fences.feed(line);
    if (kind === 'prose' && line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

export interface SplitPolicy {
  /** Largest piece, in UTF-16 units. */
  max: number;
  /**
   * Start a new piece before a heading once the current piece holds at least this share of `max`
   * (lesson pages read better when a section starts a page). Off when undefined.
   */
  headingBreakAt?: number;
  /**
   * Where a line too long for a piece may be cut, at or before `at` (e.g. never inside a Slack
   * entity such as &amp;). Surrogate pairs are never split whatever this says.
   */
  cut?: (line: string, at: number) => number;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(s: string, max: number): number {
  const c = s.charCodeAt(max);
  return c >= 0xdc00 && c <= 0xdfff ? max - 1 : max;
}

/**
 * Where to cut a line too long for a piece: after the last space in its final quarter when there is
 * one (a paragraph is a single line, and a cut between words reads better), else at `max`.
 */
function wordCut(line: string, max: number): number {
  const space = line.lastIndexOf(' ', max - 1);
  return space >= max * 0.75 ? space + 1 : max;
}

function hardSplit(line: string, max: number, cut?: SplitPolicy['cut']): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const at = cutAt(rest, Math.max(1, cut ? cut(rest, wordCut(rest, max)) : wordCut(rest, max)));
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}

/** One block too long for a piece, cut between lines (inside a line only when a line alone is too long). */
function splitBlock(block: string, max: number, cut?: SplitPolicy['cut']): string[] {
  const out: string[] = [];
  const fences = new FenceTracker();
  let cur: string | undefined;
  // Room for a reopened fence line at the start of a piece and the closing fence at its end.
  const lineMax = Math.max(20, max - 60);
  for (const raw of block.split('\n')) {
    for (const line of hardSplit(raw, lineMax, cut)) {
      const opener = fences.opener;
      const closer = fences.closer;
      fences.feed(line);
      const candidate = cur === undefined ? line : `${cur}\n${line}`;
      const reserve = fences.inside ? (fences.closer?.length ?? 3) + 1 : 0;
      if (cur !== undefined && candidate.length + reserve > max) {
        // The cut falls where the block was before this line: close it there, reopen it after.
        out.push(opener === undefined ? cur : `${cur}\n${closer}`);
        cur = opener === undefined ? line : `${opener}\n${line}`;
      } else cur = candidate;
    }
  }
  if (cur !== undefined) out.push(fences.inside ? `${cur}\n${fences.closer}` : cur);
  return out;
}

/**
 * Splits Markdown into pieces of at most `policy.max` characters, joined back by blank lines:
 * between blocks first, then between lines, then inside a line; never leaving a fence open.
 */
export function splitMarkdown(markdown: string | readonly string[], policy: SplitPolicy): string[] {
  const units: string[] = [];
  for (const part of typeof markdown === 'string' ? [markdown] : markdown) {
    for (const block of markdownBlocks(part)) units.push(...(block.length <= policy.max ? [block] : splitBlock(block, policy.max, policy.cut)));
  }
  const pieces: string[] = [];
  let cur = '';
  for (const u of units) {
    const heading = /^#{1,6}\s/.test(u);
    const early = heading && policy.headingBreakAt !== undefined && cur.length > policy.max * policy.headingBreakAt;
    if (!cur) cur = u;
    else if (!early && cur.length + 2 + u.length <= policy.max) cur = `${cur}\n\n${u}`;
    else {
      pieces.push(cur);
      cur = u;
    }
  }
  if (cur) pieces.push(cur);
  return pieces;
}

/**
 * Fenced code blocks in chat text, found one way for every platform: the text parser (terminal,
 * Slack), code extraction for runs, and Discord's "Run Python" menu.
 */
export interface FencedBlock {
  /** The info string's first word, lowercased ("python", "stdin", "" when untagged). */
  tag: string;
  body: string;
  /** Where the opening fence starts in the text. */
  index: number;
}

/** Tags that mean the program's input rather than its code. */
export const STDIN_TAGS = new Set(['stdin', 'input']);

const FENCE = /(`{3,}|~{3,})[ \t]*([\w+#.-]*)[ \t]*\n?([\s\S]*?)\n?\1/g;

export function fencedBlocks(text: string): FencedBlock[] {
  return [...text.matchAll(FENCE)].map((m) => ({ tag: m[2]!.toLowerCase(), body: m[3]!, index: m.index }));
}

/** True when the text opens a fenced block it does not close (a chat entry still being typed). */
export function hasOpenFence(text: string): boolean {
  return /`{3,}|~{3,}/.test(text.replace(FENCE, ''));
}

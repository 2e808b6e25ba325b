import { fencedBlocks, STDIN_TAGS } from '../../text/fences.js';

/** Code block tags that mean Python, and an untagged block (most people don't tag). */
const PYTHON = new Set(['', 'py', 'python', 'python3', 'py3', 'pycon']);

export interface MessageCode {
  code: string;
  stdin?: string;
  /** Whether the code came from code blocks or is the whole message text. */
  from: 'blocks' | 'text';
}

function fromBlocks(markdown: string): MessageCode | undefined {
  const blocks = fencedBlocks(markdown);
  const python = blocks.filter((b) => PYTHON.has(b.tag) && b.body.trim());
  const stdin = blocks.find((b) => STDIN_TAGS.has(b.tag));
  if (!python.length) return undefined;
  return { code: python.map((b) => b.body).join('\n\n'), ...(stdin && { stdin: stdin.body }), from: 'blocks' };
}

/**
 * The code to run from a chat message (the "Run Python" menu): its Python code blocks joined in
 * order, with a block marked `stdin` as input; then the code blocks of its embeds (the bot's own
 * messages, such as a challenge's starter code); without any, the message text itself. Undefined
 * when there is nothing to run.
 */
export function codeFromMessage(content: string, embedTexts: string[] = []): MessageCode | undefined {
  const own = fromBlocks(content);
  if (own) return own;
  // The bot breaks up backtick runs inside its code blocks with zero-width spaces; undo that.
  const embedded = fromBlocks(embedTexts.join('\n\n'));
  if (embedded) return { ...embedded, code: embedded.code.replace(/`\u200b/g, '`') };
  const text = content.trim();
  return text ? { code: text, from: 'text' } : undefined;
}

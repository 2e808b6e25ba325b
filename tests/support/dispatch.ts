import type { App } from '../../src/app.js';
import type { ChatContext } from '../../src/chat/context.js';
import { parseCommandLine } from '../../src/chat/parse.js';
import { type Message, plainText, type Reply } from '../../src/chat/reply.js';

/** Runs a typed command through the parser and router, as the terminal does; returns the replies. */
export async function dispatchReplies(app: App, ctx: ChatContext, line: string): Promise<Reply[]> {
  try {
    return await app.router.dispatch(parseCommandLine(line, app.router.commands), ctx);
  } catch (err) {
    return [app.router.errors.reply(err)];
  }
}

/**
 * A message's text as a person reads it on any platform: Markdown's backslash escapes (a name or a
 * typed value put into a reply as plain text) show as the characters they stand for; code stays as written.
 */
export function readable(m: Message): string {
  const shownAsTyped = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  return plainText({
    ...m,
    blocks: m.blocks.map((b) => (b.kind === 'text' || b.kind === 'note' ? { ...b, markdown: shownAsTyped(b.markdown) } : b)),
  });
}

/** The same, flattened to the text a user would read. */
export async function dispatchText(app: App, ctx: ChatContext, line: string): Promise<string> {
  const replies = await dispatchReplies(app, ctx, line);
  return replies.map((r) => (r.kind === 'message' ? readable(r.message) : `[form ${r.form.title}]`)).join('\n');
}

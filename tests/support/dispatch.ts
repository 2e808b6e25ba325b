import type { App } from '../../src/app.js';
import type { ChatContext } from '../../src/chat/context.js';
import { parseCommandLine } from '../../src/chat/parse.js';
import { plainText, type Reply } from '../../src/chat/reply.js';

/** Runs a typed command through the parser and router, as the terminal does; returns the replies. */
export async function dispatchReplies(app: App, ctx: ChatContext, line: string): Promise<Reply[]> {
  try {
    return await app.router.dispatch(parseCommandLine(line, app.router.commands), ctx);
  } catch (err) {
    return [app.router.errors.reply(err)];
  }
}

/** The same, flattened to the text a user would read. */
export async function dispatchText(app: App, ctx: ChatContext, line: string): Promise<string> {
  const replies = await dispatchReplies(app, ctx, line);
  return replies.map((r) => (r.kind === 'message' ? plainText(r.message) : `[form ${r.form.title}]`)).join('\n');
}

import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Adapter } from '../../chat/adapter.js';
import type { ChatContext, Conversation } from '../../chat/context.js';
import type { PostedMessage, Sender } from '../../chat/outbox.js';
import type { ChatEvent, PendingFile } from '../../chat/command.js';
import { UserError } from '../../chat/errors.js';
import { hasOpenFence } from '../../text/fences.js';
import { parseCommandLine } from '../../chat/parse.js';
import type { Form, Message, Reply } from '../../chat/reply.js';
import type { Router } from '../../router/router.js';
import { ansiStyle, plainStyle, renderMessage, type Style, type TerminalChoice } from './render.js';

export const TERMINAL_WORKSPACE = 'local';
export const TERMINAL_CHANNEL = 'terminal';

export interface TerminalOptions {
  router: Router;
  /** Where attached files (full program output) are saved. */
  dataDir: string;
  /** Code runs still waiting for a result: a scripted session waits for them before moving on. */
  pendingRuns: () => number;
  user: string;
  input: Readable;
  output: Writable;
  /** Prompts, colours and line editing (a TTY); otherwise one line at a time, exit at end of input. */
  interactive: boolean;
  /** Called when the user quits or the input ends (after pending code results were printed). */
  onEnd: () => void;
  /** How long to wait at end of input for code results still running. */
  drainTimeoutMs?: number;
}

/**
 * The terminal chat: commands typed as `/quiz`, buttons shown as numbered choices picked by typing
 * the number, forms asked field by field. With piped input it reads a line at a time and exits at
 * the end, so a whole study session can be scripted.
 */
export class TerminalAdapter implements Adapter {
  readonly platform = 'terminal' as const;
  readonly sender: Sender;
  private readonly style: Style;
  private choices: TerminalChoice[] = [];
  private rl: Interface | undefined;
  private lines: AsyncIterator<string> | undefined;
  private closed = false;
  /** Messages printed so far: their numbers name them for later updates. */
  private printed = 0;
  /** The last messages as printed (by number), to print only what an update changes. */
  private readonly shown = new Map<number, { text: string; choices: string }>();

  constructor(private readonly opts: TerminalOptions) {
    this.style = opts.interactive && !process.env.NO_COLOR ? ansiStyle : plainStyle;
    this.sender = {
      deliver: async (to: Conversation, message: Message) => {
        const where = to.channelId === TERMINAL_CHANNEL ? '' : this.style.dim(`[#${to.channelId}] `);
        const id = ++this.printed;
        this.print(message, where, id);
        return { platform: 'terminal', channelId: to.channelId, messageId: String(id) };
      },
      // A terminal cannot change what it printed: an update prints the lines that changed (a quiz's
      // count of answers) or, when more changed, the new version, marked as an update.
      edit: async (posted: PostedMessage, message: Message) => {
        const where = posted.channelId === TERMINAL_CHANNEL ? '' : this.style.dim(`[#${posted.channelId}] `);
        this.print(message, `${where}${this.style.dim('↻ ')}`, Number(posted.messageId));
      },
    };
  }

  private get ctx(): ChatContext {
    const userId = this.opts.user;
    const conversation: Conversation = { platform: 'terminal', workspaceId: TERMINAL_WORKSPACE, channelId: TERMINAL_CHANNEL, userId };
    return {
      platform: 'terminal',
      workspaceId: TERMINAL_WORKSPACE,
      channelId: TERMINAL_CHANNEL,
      userId,
      userName: userId,
      locale: Intl.DateTimeFormat().resolvedOptions().locale,
      // Whoever runs the bot in their own terminal owns it.
      isAdmin: true,
      conversation,
    };
  }

  private write(s: string): void {
    this.opts.output.write(`${s}\n`);
  }

  /**
   * Prints message number `id`. The numbers typed pick from the last row of choices printed, so an
   * update that changes a line or two (the count of answers under a quiz, arriving while the learner
   * is already reviewing cards) prints just those lines and leaves the current choices alone.
   */
  private print(m: Message, prefix: string, id: number): void {
    // Paragraphs arrive as single lines: in a terminal they are word-wrapped to its width.
    const out = this.opts.output;
    const columns =
      this.opts.interactive && 'columns' in out && typeof out.columns === 'number' && out.columns >= 40 ? Math.min(out.columns, 100) : undefined;
    const { text, choices } = renderMessage(m, this.style, 1, columns);
    const now = { text, choices: choices.map((c) => (c.kind === 'button' ? c.id : `${c.id}=${c.value}`)).join('\n') };
    // Set only for an update: a new message has a new number.
    const before = this.shown.get(id);
    this.shown.delete(id);
    this.shown.set(id, now);
    if (this.shown.size > SHOWN_KEPT) this.shown.delete(this.shown.keys().next().value!);
    const changed = before && before.choices === now.choices ? changedLines(before.text, text) : undefined;
    if (changed && !m.files?.length && !m.image) {
      if (!changed.length) return;
      this.write(`${prefix}${this.style.dim(`${m.title ?? 'the message above'}:`)} ${changed.join('\n')}\n`);
      if (this.opts.interactive) this.rl?.prompt(true);
      return;
    }
    if (choices.length) this.choices = choices;
    this.write(`${prefix}${text}`);
    if (m.files?.length) {
      const dir = path.join(this.opts.dataDir, 'files');
      mkdirSync(dir, { recursive: true });
      for (const f of m.files) {
        const file = path.join(dir, `${Date.now()}-${f.name}`);
        writeFileSync(file, f.data);
        this.write(this.style.dim(`📎 ${f.name} (${f.data.length} bytes) saved to ${path.relative(process.cwd(), file)}`));
      }
    }
    if (m.image) {
      // One file per picture name: the latest card replaces the one before, so the folder does not grow with every /progress.
      const dir = path.join(this.opts.dataDir, 'pictures');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, path.basename(m.image.name));
      writeFileSync(file, m.image.data);
      this.write(this.style.dim(`🖼  Picture saved to ${file}`));
    }
    this.write('');
    if (this.opts.interactive) this.rl?.prompt(true);
  }

  async start(): Promise<void> {
    this.rl = createInterface({
      input: this.opts.input,
      output: this.opts.interactive ? this.opts.output : undefined,
      terminal: this.opts.interactive,
      completer: (line: string) => {
        const names = this.opts.router.commands.map((c) => `/${c.name}`);
        const hits = names.filter((n) => n.startsWith(line));
        return [hits.length ? hits : names, line];
      },
    });
    this.rl.setPrompt(this.style.bold('you> '));
    this.lines = this.rl[Symbol.asyncIterator]();
    this.write(
      `${this.style.bold(`studybot — terminal chat as ${this.opts.user}.`)} Type /help to see what I can do, /lesson to start, /quit to leave.\n`,
    );
    void this.readLoop();
  }

  /** A line read ahead that belongs to the next entry. */
  private pending: string | undefined;

  private async nextLine(prompt?: string): Promise<string | undefined> {
    if (this.pending !== undefined) {
      const line = this.pending;
      this.pending = undefined;
      return line;
    }
    if (this.opts.interactive && prompt !== undefined) {
      this.rl?.setPrompt(prompt);
      this.rl?.prompt();
    }
    const r = await this.lines!.next();
    return r.done ? undefined : r.value;
  }

  /** Adds lines to `entry` while one of its ``` blocks is still open. */
  private async closeFences(entry: string): Promise<string> {
    while (hasOpenFence(entry)) {
      const more = await this.nextLine('...> ');
      if (more === undefined) break;
      entry += `\n${more}`;
    }
    return entry;
  }

  /** Whether the entry is a command that takes a `stdin` option and ends with a code block. */
  private mayTakeInput(entry: string): boolean {
    const name = /^\/([\w-]+)/.exec(entry)?.[1];
    const command = this.opts.router.commands.find((c) => c.name === name);
    return Boolean(command?.leaf?.options.some((o) => o.name === 'stdin')) && /```\s*$/.test(entry);
  }

  /**
   * Reads a whole entry: a line, plus following lines while a ``` block is still open. A code block
   * for /run may be followed by a ```stdin block, so the next line is looked at first (in a
   * terminal, an empty line runs the code as it is).
   */
  private async nextEntry(): Promise<string | undefined> {
    const first = await this.nextLine(this.style.bold('you> '));
    if (first === undefined) return undefined;
    let entry = await this.closeFences(first);
    if (this.mayTakeInput(entry)) {
      if (this.opts.interactive) this.write(this.style.dim('(add a ```stdin block for input(), or press Enter to run)'));
      const next = await this.nextLine('...> ');
      if (next !== undefined && /^\s*```\s*(stdin|input)\s*$/i.test(next)) entry = await this.closeFences(`${entry}\n${next}`);
      else if (next !== undefined && next.trim() !== '') this.pending = next;
    }
    return entry;
  }

  private async readLoop(): Promise<void> {
    for (;;) {
      const entry = await this.nextEntry();
      if (entry === undefined || this.closed) break;
      const trimmed = entry.trim();
      if (!trimmed) continue;
      if (/^\/(quit|exit)$/i.test(trimmed)) break;
      await this.handle(trimmed);
      // A scripted session reads like a conversation: each code result is printed before the next line.
      if (!this.opts.interactive) await this.drain();
    }
    await this.drain();
    if (!this.closed) this.opts.onEnd();
  }

  /** At the end of input, code results still running are worth waiting for. */
  private async drain(): Promise<void> {
    const deadline = Date.now() + (this.opts.drainTimeoutMs ?? 60_000);
    while (this.opts.pendingRuns() > 0 && Date.now() < deadline && !this.closed) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async handle(entry: string): Promise<void> {
    let event: ChatEvent;
    if (/^\d+$/.test(entry)) {
      const choice = this.choices[Number(entry) - 1];
      if (!choice) {
        this.write(this.choices.length ? `There is no choice ${entry}: pick 1 to ${this.choices.length}.` : 'There is nothing to choose right now.');
        return;
      }
      this.write(this.style.dim(`→ ${choice.label}`));
      event = choice.kind === 'button' ? { type: 'component', id: choice.id } : { type: 'component', id: choice.id, values: [choice.value] };
    } else if (entry.startsWith('/')) {
      try {
        event = parseCommandLine(entry, this.opts.router.commands, { localFile });
      } catch (err) {
        await this.showReplies([this.opts.router.errors.reply(err, { platform: 'terminal' })]);
        return;
      }
    } else {
      this.write('Commands start with a slash: try /help, /lesson or /quiz. To pick a numbered choice, type just the number.');
      return;
    }
    await this.showReplies(await this.opts.router.dispatch(event, this.ctx));
  }

  private async fillForm(form: Form): Promise<void> {
    this.write(this.style.bold(`── ${form.title} ──`));
    const fields: Record<string, string> = {};
    for (const f of form.fields) {
      if (f.style === 'short') {
        const v = await this.nextLine(`${f.label}: `);
        if (v === undefined) return;
        fields[f.id] = v;
        continue;
      }
      this.write(`${f.label}${f.required ? '' : ' (optional)'} — type it below and end with a line holding just a dot (.), or paste a \`\`\` block`);
      if (f.value) this.write(this.style.dim(`(starting point:)\n${f.value}`));
      const lines: string[] = [];
      for (;;) {
        const v = await this.nextLine('...> ');
        if (v === undefined || v.trim() === '.') break;
        lines.push(v);
        // A pasted ``` block is whole at its closing fence: the lines after it are commands again,
        // as they are after `/run ```python … ````.
        if (lines.length > 1 && lines[0]!.trim().startsWith('```') && v.trim() === '```') break;
      }
      fields[f.id] = lines.join('\n');
    }
    await this.showReplies(await this.opts.router.dispatch({ type: 'form', id: form.id, fields }, this.ctx));
  }

  private async showReplies(replies: Reply[]): Promise<void> {
    for (const r of replies) {
      if (r.kind === 'message') {
        const n = ++this.printed;
        this.print(r.message, '', n);
        if (r.message.live) this.opts.router.noteLive(r.message.live, { platform: 'terminal', channelId: TERMINAL_CHANNEL, messageId: String(n) });
      } else await this.fillForm(r.form);
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.rl?.close();
  }
}

/** How many printed messages are remembered for their updates. */
const SHOWN_KEPT = 50;

/**
 * The lines of `after` that differ from `before`, when only a few did (same number of lines, at
 * most two of them and at most a third changed); otherwise undefined: the update is printed whole.
 */
function changedLines(before: string, after: string): string[] | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return undefined;
  const changed = b.filter((line, i) => line !== a[i]);
  return changed.length <= 2 && changed.length * 3 <= b.length ? changed : undefined;
}

/**
 * The terminal runs on the machine it chats from, so a file option names a local file (relative to
 * the current folder): `/config import ./deck.yaml`. It is read only once the router has allowed the call.
 */
export function localFile(file: string): PendingFile {
  const full = path.resolve(file);
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) throw new UserError(`"${file}" is not a file.`);
    size = st.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `There is no file "${file}" (looked in ${path.dirname(full)}).`,
      'Give the path of the file, relative to the folder the bot was started in, or absolute.',
    );
  }
  return {
    pending: true,
    name: path.basename(full),
    size,
    fetch: async (maxBytes) => {
      const data = readFileSync(full);
      if (data.length > maxBytes) throw new UserError(`"${path.basename(full)}" is larger than ${maxBytes} bytes.`);
      return { name: path.basename(full), data };
    },
  };
}

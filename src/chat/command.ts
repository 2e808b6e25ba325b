import type { ChatContext } from './context.js';
import type { Reply } from './reply.js';
import type { Services } from '../services.js';

export type AutocompleteSource = 'lessons' | 'tracks' | 'challenges' | 'timezones';

export interface Choice {
  name: string;
  value: string;
}

interface OptionBase {
  /** Lowercase letters, digits, dashes and underscores; at most 32 characters (Discord's rule). */
  name: string;
  description: string;
  required?: boolean;
}

export type OptionDef =
  | (OptionBase & {
      type: 'string';
      choices?: Choice[];
      autocomplete?: AutocompleteSource;
      maxLength?: number;
      /**
       * Long free text such as code. Text chats give it the rest of the message, fenced block
       * included; forms show it as a paragraph field.
       */
      long?: boolean;
    })
  | (OptionBase & { type: 'integer'; min?: number; max?: number })
  | (OptionBase & { type: 'boolean' })
  /** A channel of the workspace; the value is its id. */
  | (OptionBase & { type: 'channel' })
  /** An uploaded file; the value is a FileInput. */
  | (OptionBase & { type: 'attachment' });

export interface FileInput {
  name: string;
  data: Buffer;
}

export type OptionValue = string | number | boolean | FileInput;

export interface CommandCall {
  /** e.g. ['daily', 'off'] for `/config daily off`. */
  path: string[];
  options: Record<string, OptionValue | undefined>;
}

/** A button click, a select choice or a form submission routed back to its command. */
export interface ComponentCall {
  /** The full id, e.g. "quiz:answer:3fa9:2". */
  id: string;
  /** The id's parts after `<command>:<action>:`. */
  args: string[];
  /** Chosen values of a select menu. */
  values?: string[];
  /** Field values of a submitted form, by field id. */
  fields?: Record<string, string>;
}

export type Handler = (call: CommandCall, ctx: ChatContext, services: Services) => Promise<Reply | Reply[]>;
export type ComponentHandler = (call: ComponentCall, ctx: ChatContext, services: Services) => Promise<Reply | Reply[]>;

export interface Subcommand {
  name: string;
  description: string;
  options?: OptionDef[];
  adminOnly?: boolean;
  handle: Handler;
}

export interface SubcommandGroup {
  name: string;
  description: string;
  subcommands: Subcommand[];
  /** Used by text chats when the group is named without a subcommand. */
  defaultSubcommand?: string;
}

export interface Command {
  name: string;
  description: string;
  /** One-line usage examples for /help, in text-chat syntax. */
  examples?: string[];
  /** Only workspace admins may run any part of it. */
  adminOnly?: boolean;
  /** A leaf command: options and a handler... */
  options?: OptionDef[];
  handle?: Handler;
  /** ...or subcommands and groups. */
  subcommands?: (Subcommand | SubcommandGroup)[];
  /** Used by text chats when the command is typed without a subcommand. */
  defaultSubcommand?: string;
  /** Handlers for buttons, selects and forms whose ids start with `<name>:<action>:`. */
  components?: Record<string, ComponentHandler>;
  /** Components whose clicks should not count against the user's rate limit. */
  /** Replies can take a while (queueing, Docker): platforms with a short ack window defer first. */
  slow?: boolean;
  /** Replies are private by default (flashcards, settings). */
  private?: boolean;
}

export function isGroup(s: Subcommand | SubcommandGroup): s is SubcommandGroup {
  return 'subcommands' in s;
}

/** The leaf a path names, with its options and handler, or undefined. */
export function resolveLeaf(
  command: Command,
  path: string[],
): { options: OptionDef[]; handle: Handler; adminOnly: boolean } | undefined {
  if (!command.subcommands) {
    return path.length === 0 && command.handle
      ? { options: command.options ?? [], handle: command.handle, adminOnly: Boolean(command.adminOnly) }
      : undefined;
  }
  const first = command.subcommands.find((s) => s.name === path[0]);
  if (!first) return undefined;
  if (isGroup(first)) {
    const leaf = first.subcommands.find((s) => s.name === path[1]);
    return leaf && path.length === 2
      ? { options: leaf.options ?? [], handle: leaf.handle, adminOnly: Boolean(command.adminOnly || leaf.adminOnly) }
      : undefined;
  }
  return path.length === 1
    ? { options: first.options ?? [], handle: first.handle, adminOnly: Boolean(command.adminOnly || first.adminOnly) }
    : undefined;
}

const NAME = /^[a-z0-9_-]{1,32}$/;

/**
 * Checks a command definition against the rules every platform shares (Discord's are the
 * strictest): names, description lengths, option order, choice counts. Returns the problems.
 */
export function validateCommand(c: Command): string[] {
  const problems: string[] = [];
  const where = (p: string) => `/${c.name}${p}`;
  const checkDescription = (d: string, at: string) => {
    if (d.length < 1 || d.length > 100) problems.push(`${at}: description must be 1-100 characters`);
  };
  const checkOptions = (opts: OptionDef[], at: string) => {
    if (opts.length > 25) problems.push(`${at}: at most 25 options`);
    let sawOptional = false;
    const names = new Set<string>();
    for (const o of opts) {
      if (!NAME.test(o.name)) problems.push(`${at} ${o.name}: option names are 1-32 lowercase letters, digits, - or _`);
      if (names.has(o.name)) problems.push(`${at} ${o.name}: duplicate option`);
      names.add(o.name);
      checkDescription(o.description, `${at} ${o.name}`);
      if (o.required && sawOptional) problems.push(`${at} ${o.name}: required options must come before optional ones`);
      if (!o.required) sawOptional = true;
      if (o.type === 'string' && o.choices && o.choices.length > 25) problems.push(`${at} ${o.name}: at most 25 choices`);
      if (o.type === 'string' && o.choices && o.autocomplete) problems.push(`${at} ${o.name}: choices and autocomplete exclude each other`);
    }
  };
  if (!NAME.test(c.name)) problems.push(`${where('')}: command names are 1-32 lowercase letters, digits, - or _`);
  checkDescription(c.description, where(''));
  if (c.subcommands && (c.options || c.handle)) problems.push(`${where('')}: a command has either subcommands or options and a handler`);
  if (!c.subcommands && !c.handle) problems.push(`${where('')}: a command without subcommands needs a handler`);
  checkOptions(c.options ?? [], where(''));
  for (const s of c.subcommands ?? []) {
    if (!NAME.test(s.name)) problems.push(`${where(` ${s.name}`)}: invalid name`);
    checkDescription(s.description, where(` ${s.name}`));
    if (isGroup(s)) {
      for (const leaf of s.subcommands) {
        checkDescription(leaf.description, where(` ${s.name} ${leaf.name}`));
        checkOptions(leaf.options ?? [], where(` ${s.name} ${leaf.name}`));
      }
      if (s.defaultSubcommand && !s.subcommands.some((x) => x.name === s.defaultSubcommand)) {
        problems.push(`${where(` ${s.name}`)}: default subcommand "${s.defaultSubcommand}" does not exist`);
      }
    } else checkOptions(s.options ?? [], where(` ${s.name}`));
  }
  if (c.defaultSubcommand && !c.subcommands?.some((x) => x.name === c.defaultSubcommand)) {
    problems.push(`${where('')}: default subcommand "${c.defaultSubcommand}" does not exist`);
  }
  return problems;
}

import type { ComponentIdCodec } from './component-id.js';
import type { ChatContext, Scope } from './context.js';
import type { Message, Reply } from './reply.js';

/**
 * Commands, defined once for every platform. A command is a plain object made with the kit below
 * (`commandKit<Services>()`), which infers each handler's option types from the option definitions,
 * so handlers never cast. `S` is whatever the application hands every handler (its services); the
 * kernel does not know it.
 */

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

export interface StringOption extends OptionBase {
  type: 'string';
  choices?: readonly Choice[];
  autocomplete?: AutocompleteSource;
  maxLength?: number;
  /**
   * Long free text such as code. Text chats give it the rest of the message, fenced block
   * included; forms show it as a paragraph field.
   */
  long?: boolean;
}
export interface IntegerOption extends OptionBase {
  type: 'integer';
  min?: number;
  max?: number;
}
export interface BooleanOption extends OptionBase {
  type: 'boolean';
}
/** A channel of the workspace; the value is its id. */
export interface ChannelOption extends OptionBase {
  type: 'channel';
}
/** An uploaded file; the handler gets a FileInput. */
export interface AttachmentOption extends OptionBase {
  type: 'attachment';
  /** File name endings accepted (checked before anything is downloaded), e.g. ['.py']. */
  extensions?: readonly string[];
  /** The largest file accepted (default: the code size limit). */
  maxBytes?: number;
}

export type OptionDef = StringOption | IntegerOption | BooleanOption | ChannelOption | AttachmentOption;

export interface FileInput {
  name: string;
  data: Buffer;
}

/**
 * An uploaded file not fetched yet: platforms hand these to the router, which checks the name and
 * declared size and fetches it only once the call passed the rate limit and permission checks.
 */
export interface PendingFile {
  pending: true;
  name: string;
  size: number;
  fetch(maxBytes: number): Promise<FileInput>;
}

export type OptionValue = string | number | boolean | FileInput | PendingFile;
export type OptionValues = Record<string, OptionValue | undefined>;

type ValueOf<D> = D extends { type: 'string'; choices: readonly (infer C)[] }
  ? C extends { value: infer V }
    ? V
    : string
  : D extends { type: 'string' | 'channel' }
    ? string
    : D extends { type: 'integer' }
      ? number
      : D extends { type: 'boolean' }
        ? boolean
        : D extends { type: 'attachment' }
          ? FileInput
          : never;

/** The options a handler receives, typed from its definitions: required ones are always present. */
export type OptionsOf<Defs extends readonly OptionDef[]> = {
  [D in Defs[number] as D['name']]: D extends { required: true } ? ValueOf<D> : ValueOf<D> | undefined;
};

/**
 * The message a click came from, as the platform (not the clicker) reports it. A modified client
 * can send any component id, so the router checks the id is really on the message, and applies a
 * reply that edits the message only when the message is the clicker's own.
 */
export interface ClickedMessage {
  /** Only the clicker sees it (ephemeral). */
  private: boolean;
  /** The learner the message was made for (the one whose command or click produced it), if any. */
  owner: string | undefined;
  /** The clicked id is one of the message's controls. */
  hasControl: boolean;
}

/** What reaches the router from any platform. */
export type ChatEvent =
  | { type: 'command'; name: string; path: string[]; options: OptionValues }
  | { type: 'component'; id: string; values?: string[]; on?: ClickedMessage }
  | { type: 'form'; id: string; fields: Record<string, string>; files?: Record<string, PendingFile>; on?: ClickedMessage }
  /** A screen a platform shows outside a conversation (Slack's App Home), by name. */
  | { type: 'view'; name: string };

export interface Call<S, O = OptionValues> {
  options: O;
  ctx: ChatContext;
  scope: Scope;
  services: S;
}

export interface ComponentCall<S, V> {
  /** What the id carries, decoded. */
  id: V;
  /** Chosen values of a select menu. */
  selected: string[];
  /** Field values of a submitted form, by field id. */
  fields: Record<string, string>;
  /**
   * Files uploaded in a form's file fields, by field id, not fetched yet: the handler checks the
   * caller may send one and fetches it with its own size limit.
   */
  files: Record<string, PendingFile>;
  ctx: ChatContext;
  scope: Scope;
  services: S;
}

export type Answer = Promise<Reply | Reply[]>;

export interface Leaf<S> {
  options: readonly OptionDef[];
  adminOnly?: boolean;
  /** Answers with a form (a modal) when none of these options is given. */
  formUnless?: readonly string[];
  // Method syntax: a handler typed for its own options is accepted where any options may arrive.
  handle(call: Call<S>): Answer;
}

export interface Subcommand<S> extends Leaf<S> {
  name: string;
  description: string;
}

export interface SubcommandGroup<S> {
  name: string;
  description: string;
  subcommands: Subcommand<S>[];
  /** Used by text chats when the group is named without a subcommand. */
  defaultSubcommand?: string;
}

export interface ComponentHandler<S> {
  codec: ComponentIdCodec<unknown>;
  handle(call: ComponentCall<S, unknown>): Answer;
}

export interface ViewHandler<S> {
  name: string;
  render(call: Omit<Call<S, Record<string, never>>, 'options'>): Promise<Message>;
}

export interface Command<S> {
  name: string;
  description: string;
  /** Usage examples for /help, in text-chat syntax (may span lines). */
  examples?: string[];
  /** How it works, for /help <command> (Markdown): scoring, limits, what happens next. */
  about?: string;
  /** Only workspace admins may run any part of it. */
  adminOnly?: boolean;
  /** A leaf command: options and a handler... */
  leaf?: Leaf<S>;
  /** ...or subcommands and groups. */
  subcommands?: (Subcommand<S> | SubcommandGroup<S>)[];
  /** Used by text chats when the command is typed without a subcommand. */
  defaultSubcommand?: string;
  /** Handlers for the buttons, selects and forms this command's replies carry. */
  components?: ComponentHandler<S>[];
  views?: ViewHandler<S>[];
  /** Replies can take a while (queueing, Docker): platforms with a short ack window defer first. */
  slow?: boolean;
  /** Replies are private by default (flashcards, settings). */
  private?: boolean;
}

type LeafDef<S, O extends readonly OptionDef[]> = {
  options?: O;
  adminOnly?: boolean;
  formUnless?: readonly O[number]['name'][];
  handle(call: Call<S, OptionsOf<O>>): Answer;
};

type CommandDef<S, O extends readonly OptionDef[]> = Omit<Command<S>, 'leaf'> & Partial<LeafDef<S, O>>;

/** Builders bound to the application's services type; see commands/kit.ts. */
export function commandKit<S>() {
  return {
    /** A command: either `options` + `handle`, or `subcommands`. */
    command<const O extends readonly OptionDef[] = []>(def: CommandDef<S, O>): Command<S> {
      const { options, formUnless, handle, ...rest } = def;
      if (!handle) return rest;
      const leaf: Leaf<S> = {
        options: options ?? [],
        handle: handle as Leaf<S>['handle'],
        ...(def.adminOnly && { adminOnly: true }),
        ...(formUnless && { formUnless }),
      };
      return { ...rest, leaf };
    },
    sub<const O extends readonly OptionDef[] = []>(def: { name: string; description: string } & LeafDef<S, O>): Subcommand<S> {
      return { ...def, options: def.options ?? [], handle: def.handle as Leaf<S>['handle'] };
    },
    group(def: SubcommandGroup<S>): SubcommandGroup<S> {
      return def;
    },
    /** A handler for the components whose ids `codec` makes. */
    on<V>(codec: ComponentIdCodec<V>, handle: (call: ComponentCall<S, V>) => Answer): ComponentHandler<S> {
      return { codec, handle: handle as ComponentHandler<S>['handle'] };
    },
    view(name: string, render: ViewHandler<S>['render']): ViewHandler<S> {
      return { name, render };
    },
  };
}

export function isGroup<S>(s: Subcommand<S> | SubcommandGroup<S>): s is SubcommandGroup<S> {
  return 'subcommands' in s;
}

export interface ResolvedLeaf<S> extends Leaf<S> {
  adminOnly: boolean;
}

/** The leaf a path names, with its options and handler, or undefined. */
export function resolveLeaf<S>(command: Command<S>, path: readonly string[]): ResolvedLeaf<S> | undefined {
  if (!command.subcommands) {
    return path.length === 0 && command.leaf ? { ...command.leaf, adminOnly: Boolean(command.adminOnly || command.leaf.adminOnly) } : undefined;
  }
  const first = command.subcommands.find((s) => s.name === path[0]);
  if (!first) return undefined;
  const leaf = isGroup(first)
    ? path.length === 2
      ? first.subcommands.find((s) => s.name === path[1])
      : undefined
    : path.length === 1
      ? first
      : undefined;
  return leaf && { ...leaf, adminOnly: Boolean(command.adminOnly || leaf.adminOnly) };
}

/** Every leaf of a command with its path, in definition order (for help and registration). */
export function leaves<S>(command: Command<S>): { path: string[]; leaf: Subcommand<S> | Leaf<S>; description: string }[] {
  if (!command.subcommands) return command.leaf ? [{ path: [], leaf: command.leaf, description: command.description }] : [];
  return command.subcommands.flatMap((s) =>
    isGroup(s)
      ? s.subcommands.map((leaf) => ({ path: [s.name, leaf.name], leaf, description: leaf.description }))
      : [{ path: [s.name], leaf: s, description: s.description }],
  );
}

/** True when the leaf answers with a form because none of the options that would spare it were given. */
export function answersWithForm(leaf: Leaf<unknown> | undefined, given: ReadonlySet<string>): boolean {
  return Boolean(leaf?.formUnless?.length && !leaf.formUnless.some((name) => given.has(name)));
}

const NAME = /^[a-z0-9_-]{1,32}$/;

/**
 * Checks a command definition against the rules every platform shares (Discord's are the
 * strictest): names, description lengths, option order, choice counts. Returns the problems.
 */
export function validateCommand<S>(c: Command<S>): string[] {
  const problems: string[] = [];
  const where = (p: string) => `/${c.name}${p}`;
  const checkDescription = (d: string, at: string) => {
    if (d.length < 1 || d.length > 100) problems.push(`${at}: description must be 1-100 characters`);
  };
  const checkOptions = (leaf: Leaf<S>, at: string) => {
    const opts = leaf.options;
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
    for (const f of leaf.formUnless ?? []) if (!names.has(f)) problems.push(`${at}: formUnless names an unknown option "${f}"`);
  };
  if (!NAME.test(c.name)) problems.push(`${where('')}: command names are 1-32 lowercase letters, digits, - or _`);
  checkDescription(c.description, where(''));
  if (c.subcommands && c.leaf) problems.push(`${where('')}: a command has either subcommands or options and a handler`);
  if (!c.subcommands && !c.leaf) problems.push(`${where('')}: a command without subcommands needs a handler`);
  if (c.leaf) checkOptions(c.leaf, where(''));
  for (const s of c.subcommands ?? []) {
    if (!NAME.test(s.name)) problems.push(`${where(` ${s.name}`)}: invalid name`);
    checkDescription(s.description, where(` ${s.name}`));
    if (isGroup(s)) {
      for (const leaf of s.subcommands) {
        checkDescription(leaf.description, where(` ${s.name} ${leaf.name}`));
        checkOptions(leaf, where(` ${s.name} ${leaf.name}`));
      }
      if (s.defaultSubcommand && !s.subcommands.some((x) => x.name === s.defaultSubcommand)) {
        problems.push(`${where(` ${s.name}`)}: default subcommand "${s.defaultSubcommand}" does not exist`);
      }
    } else checkOptions(s, where(` ${s.name}`));
  }
  if (c.defaultSubcommand && !c.subcommands?.some((x) => x.name === c.defaultSubcommand)) {
    problems.push(`${where('')}: default subcommand "${c.defaultSubcommand}" does not exist`);
  }
  for (const h of c.components ?? []) {
    if (h.codec.command !== c.name) problems.push(`${where('')}: component id ${h.codec.command}:${h.codec.action} belongs to another command`);
  }
  const actions = (c.components ?? []).map((h) => h.codec.action);
  for (const a of new Set(actions)) if (actions.filter((x) => x === a).length > 1) problems.push(`${where('')}: two handlers for component "${a}"`);
  return problems;
}

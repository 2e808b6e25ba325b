import { echo } from './user-text.js';
import type { ChatEvent, Command, OptionDef, OptionValue, PendingFile, Subcommand, SubcommandGroup } from './command.js';
import { isGroup } from './command.js';
import { UserError } from './errors.js';
import { fencedBlocks, STDIN_TAGS } from '../text/fences.js';

/**
 * Parses a typed command, as text chats receive it (the terminal, Slack's `/study ...`), into the
 * same event a Discord slash command produces:
 *
 *   /lesson show asyncio-tasks          positional options, in definition order
 *   /quiz track:asyncio                 named options (name:value or name=value, "quoted values")
 *   /run ```python\nprint(1)\n```       a long option (code) takes a fenced block or the rest
 *   /run ```stdin\n5\n```               a block marked stdin or input fills the stdin option
 */
export interface ParseOptions {
  /**
   * Where the person typing shares the machine the bot runs on (the terminal), a file option may
   * name a local file: this opens it. Without it a file option cannot be typed.
   */
  localFile?: (path: string) => PendingFile;
}

export function parseCommandLine<S>(line: string, commands: readonly Command<S>[], opts: ParseOptions = {}): Extract<ChatEvent, { type: 'command' }> {
  const input = line.replace(/^\s*\//, '');
  const nameMatch = /^([\w-]+)/.exec(input);
  if (!nameMatch) throw new UserError('Commands start with a slash, like /help.');
  const name = nameMatch[1]!.toLowerCase();
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const guess = closest(
      name,
      commands.map((c) => c.name),
    );
    throw new UserError(`There is no /${echo(name)} command.${guess ? ` Did you mean /${guess}?` : ''}`, 'Type /help to see them all.');
  }
  let rest = input.slice(nameMatch[0].length);

  // Subcommands: the next word, or the default.
  const path: string[] = [];
  let options: readonly OptionDef[] = command.leaf?.options ?? [];
  if (command.subcommands) {
    const pick = (list: (Subcommand<S> | SubcommandGroup<S>)[], fallback: string | undefined, where: string) => {
      const m = /^\s+([\w-]+)/.exec(rest);
      const word = m?.[1]?.toLowerCase();
      const found = word !== undefined ? list.find((s) => s.name === word) : undefined;
      if (found) {
        rest = rest.slice(m![0].length);
        return found;
      }
      const dflt = fallback !== undefined ? list.find((s) => s.name === fallback) : undefined;
      // The default takes the word only if it has options to put it in (`/flashcards asyncio`);
      // otherwise the word was meant as a subcommand (`/lesson read`).
      const takesWords = dflt && (isGroup(dflt) || dflt.options.length > 0);
      if (dflt && (word === undefined || takesWords || /[:=]/.test(m?.[1] ?? ''))) return dflt;
      const names = list.map((s) => s.name).join(', ');
      throw new UserError(
        word ? `/${where} has no "${echo(word)}" subcommand.` : `/${where} needs a subcommand.`,
        `Choose one of: ${names}. Example: /${where} ${list[0]!.name}`,
      );
    };
    const first = pick(command.subcommands, command.defaultSubcommand, name);
    path.push(first.name);
    if (isGroup(first)) {
      const leaf = pick(first.subcommands, first.defaultSubcommand, `${name} ${first.name}`) as Subcommand<S>;
      path.push(leaf.name);
      options = leaf.options;
    } else options = first.options;
  }
  const where = `/${[name, ...path].join(' ')}`;
  return { type: 'command', name, path, options: parseOptions(rest, options, where, opts) };
}

interface Token {
  value: string;
  start: number;
}

/** Splits on whitespace outside quotes, remembering where each token starts in `s`. */
function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let value = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      const ch = s[i]!;
      if (ch === '"' || ch === "'" || ch === '“') {
        const close = ch === '“' ? '”' : ch;
        const end = s.indexOf(close, i + 1);
        if (end < 0) throw new UserError(`A quote (${ch}) is never closed.`);
        value += s.slice(i + 1, end);
        i = end + 1;
      } else {
        value += ch;
        i++;
      }
    }
    out.push({ value, start });
  }
  return out;
}

function parseOptions(raw: string, defs: readonly OptionDef[], where: string, opts: ParseOptions): Record<string, OptionValue | undefined> {
  const values: Record<string, OptionValue | undefined> = {};
  const longDef = defs.find((d) => d.type === 'string' && d.long);
  const stdinDef = defs.find((d) => d.name === 'stdin');

  // Fenced blocks: the first unlabelled/python one is the long option, a stdin/input one is stdin.
  let head = raw;
  const fences = fencedBlocks(raw);
  if (fences.length) {
    head = raw.slice(0, fences[0]!.index);
    for (const f of fences) {
      if (STDIN_TAGS.has(f.tag) && stdinDef) values[stdinDef.name] = f.body;
      else if (longDef && values[longDef.name] === undefined) values[longDef.name] = f.body;
    }
  }

  const positional = defs.filter((d) => !(d.type === 'string' && d.long && values[d.name] !== undefined));
  for (const tok of tokenize(head)) {
    const named = /^([a-z][\w-]*)[:=]([\s\S]*)$/i.exec(tok.value);
    const def = named ? defs.find((d) => d.name === named[1]!.toLowerCase()) : undefined;
    if (named && def) {
      if (def.type === 'string' && def.long && values[def.name] === undefined && tok.value === head.slice(tok.start, tok.start + tok.value.length)) {
        // A long option given by name takes everything after `name:` raw.
        values[def.name] = head.slice(tok.start + named[1]!.length + 1).trim();
        break;
      }
      values[def.name] = coerce(named[2]!, def, where, opts);
      continue;
    }
    // A yes/no option can be given by its bare name: `/leaderboard week pin`.
    const flag = defs.find((d) => d.type === 'boolean' && d.name === tok.value.toLowerCase());
    if (flag && values[flag.name] === undefined) {
      values[flag.name] = true;
      continue;
    }
    const next = positional.find((d) => values[d.name] === undefined && (d.type !== 'attachment' || opts.localFile) && d.type !== 'boolean');
    if (!next) {
      throw new UserError(`${where} does not take "${echo(tok.value)}".`, usageHint(where, defs));
    }
    if (next.type === 'string' && next.long) {
      values[next.name] = head.slice(tok.start).trim();
      break;
    }
    values[next.name] = coerce(tok.value, next, where, opts);
  }
  for (const d of defs) {
    if (d.required && values[d.name] === undefined) {
      throw new UserError(`${where} needs ${d.name} (${d.description.replace(/\.$/, '').toLowerCase()}).`, usageHint(where, defs));
    }
  }
  return values;
}

function coerce(value: string, def: OptionDef, where: string, opts: ParseOptions): OptionValue {
  switch (def.type) {
    case 'integer': {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new UserError(`${def.name} must be a whole number, not "${echo(value)}".`);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
        throw new UserError(`${def.name} must be between ${def.min ?? '-∞'} and ${def.max ?? '∞'}.`);
      }
      return n;
    }
    case 'boolean': {
      const v = value.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      throw new UserError(`${def.name} must be yes or no, not "${echo(value)}".`);
    }
    case 'channel':
      // Discord-style <#123>, Slack-style <#C123|name>, or #name / a bare id.
      return /^<#([^>|]+)(?:\|[^>]*)?>$/.exec(value)?.[1] ?? value.replace(/^#/, '');
    case 'attachment':
      if (opts.localFile) return opts.localFile(value);
      throw new UserError(`${def.name} must be an attached file.`);
    case 'string': {
      if (def.choices) {
        const hit = def.choices.find((c) => c.value.toLowerCase() === value.toLowerCase() || c.name.toLowerCase() === value.toLowerCase());
        if (!hit)
          throw new UserError(
            `${def.name} must be one of: ${def.choices.map((c) => c.value).join(', ')} (not "${echo(value)}").`,
            `Example: ${where} ${def.choices[0]!.value}`,
          );
        return hit.value;
      }
      if (def.maxLength !== undefined && value.length > def.maxLength) {
        throw new UserError(`${def.name} is at most ${def.maxLength} characters.`);
      }
      return value;
    }
  }
}

/** `/run [code…] [stdin] [file]`: required options in <>, optional in [], long text marked with …. */
export function usage(where: string, defs: readonly OptionDef[]): string {
  const parts = defs.map((d) => {
    const label = d.type === 'string' && d.long ? `${d.name}…` : d.name;
    return d.required ? `<${label}>` : `[${label}]`;
  });
  return `${where}${parts.length ? ` ${parts.join(' ')}` : ''}`;
}

export function usageHint(where: string, defs: readonly OptionDef[]): string {
  return `Usage: ${usage(where, defs)}`;
}

/** The candidate within edit distance 2 of `word`, if any. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d <= 2 && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length]![b.length]!;
}

import type { RootContent } from 'mdast';
import { ChatWriter, markEachLine } from '../../text/chat-writer.js';
import { splitMarkdown } from '../../text/markdown.js';
import { safeLinkUrl } from '../../text/markdown-tree.js';

/**
 * Markdown → Slack mrkdwn. The Markdown is parsed into a syntax tree (mdast, the parser remark
 * uses; text/chat-writer.ts walks it for every platform) and written back in Slack's dialect, so escaping happens in exactly one place, on the
 * literal text of the tree: nothing the lesson author, a learner or a program wrote can become a
 * broadcast (<!everyone>, <!here>, <!channel>), a user or group mention, or a link Slack did not
 * see as one. The only `<…>` tokens in the output are links this module builds from http(s) and
 * mailto URLs.
 */

const ZWSP = '\u200B';

/** Slack's three markup characters; escaping them is the only way to show them literally. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Plain words Slack (or a `link_names` client) could still turn into a broadcast: a zero-width
 * space after the @ keeps them readable but inert.
 */
function defuseBroadcasts(s: string): string {
  return s.replace(/@(here|channel|everyone)\b/gi, `@${ZWSP}$1`);
}

/** Three backticks start a code block anywhere in Slack; zero-width spaces keep them literal. */
function breakFences(s: string): string {
  return s.replace(/``/g, `\`${ZWSP}\``);
}

/**
 * Channel links (<#C123> or <#C123|name>) are the one Slack token let through: commands write
 * them to name a channel, and they notify nobody.
 */
function restoreChannelLinks(s: string): string {
  return s.replace(/&lt;#([CG][A-Z0-9]{2,})(\|[\w.-]{1,80})?&gt;/g, '<#$1$2>');
}

/** Prose text: escaped, defused, and unable to open a code block. */
export function escapeText(s: string): string {
  return restoreChannelLinks(breakFences(defuseBroadcasts(escapeMrkdwn(s))));
}

/**
 * A literal code block. Inside ``` Slack shows everything as typed except its three markup
 * characters (escaped here) and a closing fence: runs of backticks are broken up with zero-width
 * spaces so program output can never close the block early and continue as formatted text.
 */
export function codeBlock(code: string): string {
  const body = breakFences(escapeMrkdwn(code.replace(/\n+$/, '')));
  return `\`\`\`\n${body || ' '}\n\`\`\``;
}

function inlineCode(value: string): string {
  // Slack's inline code cannot hold a backtick; a look-alike keeps the snippet readable.
  return `\`${escapeMrkdwn(value.replace(/`/g, 'ˋ')) || ' '}\``;
}

/** The URL of a link, or undefined when it is not one Slack should render as a link. */
function safeUrl(url: string): string | undefined {
  const parsed = safeLinkUrl(url);
  if (!parsed) return undefined;
  // `|` and `>` would end the <url|label> token; `&` must be written as an entity.
  return parsed.href.replace(/[|<> "]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/&/g, '&amp;');
}

function link(url: string, label: string): string {
  const href = safeUrl(url);
  if (!href) return label || escapeText(url);
  // A | inside the label would end it early.
  const text = label.replace(/\|/g, '∣');
  return text && text !== escapeText(url) ? `<${href}|${text}>` : `<${href}>`;
}

export interface MrkdwnOptions {
  /**
   * Rewrites `/name` command references in prose and inline code, e.g. `/quiz` → `/study quiz`
   * where every command lives under one Slack slash command.
   */
  commandNames?: readonly string[];
  commandPrefix?: string;
}

/** `/quiz` → `/study quiz` for the command names given; URLs and paths (a/quiz, x.com/quiz) are left alone. */
export function rewriteCommands(s: string, opts: MrkdwnOptions): string {
  const names = opts.commandNames?.filter((n) => /^[\w-]+$/.test(n));
  if (!names?.length || !opts.commandPrefix) return s;
  const ref = new RegExp(`(^|[\\s(\\[“"'\`])/(${names.join('|')})(?![\\w/-])`, 'g');
  return s.replace(ref, `$1/${opts.commandPrefix} $2`);
}

/**
 * Slack's markup characters. Slack has no escape for them, so a literal run of them that could act
 * as a marker (touching text on the inside and a space, punctuation or a line end on the outside)
 * is replaced by look-alikes. Inside a word (snake_case, 2*3) or between spaces (2 ** 4) Slack
 * leaves them alone, and so do we. A backtick is always replaced: Slack's code spans are looser.
 */
const LOOKALIKE: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

function inertMarkers(s: string): string {
  const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);
  return s.replace(/([*_~`])\1*/g, (run: string, c: string, i: number) => {
    const before = s[i - 1];
    const after = s[i + run.length];
    const opens = !isSpace(after) && !isWord(before);
    const closes = i > 0 && !isSpace(before) && !isWord(after);
    return c === '`' || opens || closes ? LOOKALIKE[c]!.repeat(run.length) : run;
  });
}

class SlackWriter extends ChatWriter {
  protected readonly bullet = '• ';

  constructor(private readonly opts: MrkdwnOptions) {
    super();
  }

  /** Slack shows leading spaces as typed: four keep a nested item clearly under its parent. */
  protected override itemIndent(): number {
    return 4;
  }

  protected text(value: string): string {
    return rewriteCommands(escapeText(inertMarkers(value)), this.opts);
  }

  // Zero-width spaces let Slack see the markers even in the middle of a word.
  protected strong(inner: string): string {
    return markEachLine(inner, `${ZWSP}*`, `*${ZWSP}`);
  }

  protected emphasis(inner: string): string {
    return markEachLine(inner, `${ZWSP}_`, `_${ZWSP}`);
  }

  protected strike(inner: string): string {
    return markEachLine(inner, `${ZWSP}~`, `~${ZWSP}`);
  }

  protected inlineCode(value: string): string {
    return rewriteCommands(inlineCode(value), this.opts);
  }

  protected link(url: string, label: string): string {
    return link(url, label);
  }

  protected image(url: string, alt: string): string {
    return link(url, escapeText(alt));
  }

  /** Slack has no headings: a bold line stands for one. */
  protected heading(_depth: number, inner: string): string {
    return markEachLine(inner.replace(/\n+/g, ' ').trim(), '*');
  }

  protected override block(n: RootContent): string {
    // Marks inside a heading would nest in its bold, which Slack cannot show.
    if (n.type === 'heading') return this.heading(n.depth, this.within('strong', n.children));
    return super.block(n);
  }

  protected codeBlock(code: string, language: string): string {
    // Slack shows no highlighting, so a language tag would only show as a first line of code.
    return language === 'output' ? `*Output*\n${codeBlock(code)}` : codeBlock(code);
  }

  protected quote(body: string): string {
    return body
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
  }

  protected rule(): string {
    return '──────────';
  }
}

/** Converts chat Markdown (CommonMark + GFM, newlines as line breaks) to Slack mrkdwn, escaping everything literal. */
export function markdownToMrkdwn(markdown: string, opts: MrkdwnOptions = {}): string {
  return new SlackWriter(opts).write(markdown);
}

/** Never cut inside an entity such as &amp;: the cut moves to its start. */
function entityCut(line: string, at: number): number {
  const amp = line.lastIndexOf('&', at);
  return amp > 0 && amp > at - 6 && line.indexOf(';', amp) >= at ? amp : at;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters (a section's limit), preferring
 * paragraph breaks, then line breaks. A code block cut in two is closed and reopened, so each
 * piece renders on its own; an entity such as &amp; is never cut.
 */
export function splitMrkdwn(s: string, max = 3000): string[] {
  if (s.length <= max) return s.trim() ? [s] : [];
  return splitMarkdown(s, { max, cut: entityCut }).filter((p) => p.trim());
}

import type { Nodes, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { splitMarkdown } from '../../text/markdown.js';

/**
 * Markdown → Slack mrkdwn. The Markdown is parsed into a syntax tree (mdast, the parser remark
 * uses) and written back in Slack's dialect, so escaping happens in exactly one place, on the
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
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) return undefined;
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

class Writer {
  private readonly definitions = new Map<string, string>();

  constructor(
    root: Root,
    private readonly opts: MrkdwnOptions,
  ) {
    const collect = (n: Nodes) => {
      if (n.type === 'definition') this.definitions.set(n.identifier, n.url);
      if ('children' in n) for (const c of n.children) collect(c);
    };
    collect(root);
  }

  private commands(s: string): string {
    return rewriteCommands(s, this.opts);
  }

  blocks(nodes: readonly RootContent[], sep = '\n\n'): string {
    return nodes
      .map((n) => this.block(n))
      .filter((s) => s !== '')
      .join(sep);
  }

  block(n: RootContent): string {
    switch (n.type) {
      case 'paragraph':
        return this.inline(n.children);
      case 'heading':
        return `*${this.inline(n.children).trim()}*`;
      case 'thematicBreak':
        return '──────────';
      case 'blockquote':
        return this.blocks(n.children)
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n');
      case 'list': {
        const start = n.start ?? 1;
        return n.children
          .map((item, i) => {
            const marker = n.ordered ? `${start + i}. ` : item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '• ';
            // Loose items keep their paragraphs apart; nested content is indented under the marker.
            const body = this.blocks(item.children, item.spread ? '\n\n' : '\n');
            return marker + body.split('\n').join(`\n${' '.repeat(4)}`);
          })
          .join('\n');
      }
      case 'code':
        return codeBlock(n.value);
      case 'html':
        return escapeText(n.value);
      case 'table':
        return this.table(n);
      case 'definition':
        return '';
      case 'footnoteDefinition':
        return `[^${escapeText(n.identifier)}]: ${this.blocks(n.children, ' ')}`;
      default:
        return 'children' in n ? this.blocks(n.children as RootContent[]) : 'value' in n ? escapeText(String(n.value)) : '';
    }
  }

  /** Slack has no tables: a monospaced grid keeps the columns aligned. */
  private table(t: Table): string {
    const rows = t.children.map((row) => row.children.map((cell) => plain(cell)));
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    const line = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join(' │ ')
        .trimEnd();
    const out = rows.map(line);
    if (out.length > 1) out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('─┼─'));
    return codeBlock(out.join('\n'));
  }

  inline(nodes: readonly PhrasingContent[]): string {
    return nodes.map((n) => this.phrase(n)).join('');
  }

  private phrase(n: PhrasingContent): string {
    switch (n.type) {
      case 'text':
        return this.commands(escapeText(n.value));
      case 'strong':
        // Zero-width spaces let Slack see the markers even in the middle of a word.
        return `${ZWSP}*${this.inline(n.children)}*${ZWSP}`;
      case 'emphasis':
        return `${ZWSP}_${this.inline(n.children)}_${ZWSP}`;
      case 'delete':
        return `${ZWSP}~${this.inline(n.children)}~${ZWSP}`;
      case 'inlineCode':
        return this.commands(inlineCode(n.value));
      case 'break':
        return '\n';
      case 'link':
        return link(n.url, this.inline(n.children));
      case 'linkReference': {
        const url = this.definitions.get(n.identifier);
        const label = this.inline(n.children);
        return url ? link(url, label) : label;
      }
      case 'image':
        return link(n.url, escapeText(n.alt ?? n.title ?? ''));
      case 'imageReference': {
        const url = this.definitions.get(n.identifier);
        return url ? link(url, escapeText(n.alt ?? '')) : escapeText(n.alt ?? '');
      }
      case 'html':
        return escapeText(n.value);
      case 'footnoteReference':
        return `[^${escapeText(n.identifier)}]`;
      default:
        return '';
    }
  }
}

/** The literal text of a node, escaped: for table cells, where formatting would misalign columns. */
function plain(n: Nodes): string {
  if ('value' in n && typeof n.value === 'string') return n.value;
  if ('children' in n) return n.children.map((c) => plain(c)).join('');
  return '';
}

/** Converts Markdown (CommonMark + GFM) to Slack mrkdwn, escaping everything literal. */
export function markdownToMrkdwn(markdown: string, opts: MrkdwnOptions = {}): string {
  const root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return new Writer(root, opts).blocks(root.children).trim();
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

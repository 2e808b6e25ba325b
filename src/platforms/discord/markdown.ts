import { ChatWriter, markEachLine } from '../../text/chat-writer.js';
import { safeLinkUrl } from '../../text/markdown-tree.js';

/**
 * Markdown → Discord's Markdown, written from the same syntax tree as Slack's mrkdwn. Discord reads
 * most of CommonMark, so the work is in what it reads differently: every newline is a line break
 * (paragraphs arrive unwrapped, see text/paragraphs.ts), headings need a blank line before them
 * and stop at ###, there are no tables, `__` underlines, `||` hides a spoiler, `-# ` is small
 * print, and `<@…>`, `<#…>`, `<t:…>` are mentions and timestamps. Literal text is backslash-escaped
 * (Discord honours `\*` like CommonMark), so nothing a lesson, a learner or a program wrote can
 * turn into formatting or a mention pill, channel links aside; `allowed_mentions` (payload.ts)
 * keeps anything from pinging.
 */

const ZWSP = '\u200b';

/**
 * Makes text safe inside a ``` fence: no two backticks stay adjacent, so the text can never
 * contain the closing ``` (Discord closes a block at any ```, not only at a line start).
 */
export function escapeFenced(code: string): string {
  return code.replace(/`(?=`)/g, `\`${ZWSP}`);
}

/** A fenced code block with a harmless language tag and escaped contents. */
export function fence(code: string, language?: string): string {
  const lang = language && /^[\w+#.-]{1,20}$/.test(language) ? language : '';
  const body = escapeFenced(code.replace(/\n+$/, ''));
  return `\`\`\`${lang}\n${body || ' '}\n\`\`\``;
}

/** Small print: Discord's `-# ` subtext on every non-empty line. */
export function subtext(markdown: string): string {
  return markdown
    .split('\n')
    .map((l) => (l.trim() ? `-# ${l}` : l))
    .join('\n');
}

/** Escapes the characters that would turn plain text (a label) into formatting. */
export function escapeInline(s: string): string {
  return s.replace(/([\\*_`~|<>[\]])/g, '\\$1');
}

/** What starts a block when it begins a line: a list item, heading, quote or `-# ` small print. */
const LINE_START = /^([ \t]*)(?:([-+#>])|(\d+)([.)]))/;

function escapeLineStart(line: string): string {
  return line.replace(LINE_START, (_, ws: string, mark: string | undefined, digits: string | undefined, dot: string | undefined) =>
    mark ? `${ws}\\${mark}` : `${ws}${digits}\\${dot}`,
  );
}

/** Discord's inline code cannot hold a run of two backticks; a look-alike keeps the snippet readable. */
function codeSpan(value: string): string {
  const v = value.replace(/``+/g, (m) => 'ˋ'.repeat(m.length));
  if (!v.trim()) return '` `';
  return v.includes('`') ? `\`\` ${v} \`\`` : `\`${v}\``;
}

const encodeEnds = (url: string) => url.replace(/[()<> "]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** A web link as Discord needs it in a masked link: no bracket, parenthesis or space to end it early. */
function href(url: string): string | undefined {
  const parsed = safeLinkUrl(url, ['http:', 'https:']);
  return parsed && encodeEnds(parsed.href);
}

/** Discord refuses to mask a link behind text that itself looks like a link. */
const LOOKS_LIKE_URL = /^\s*(?:[a-z][\w+.-]*:\/\/|www\.)|[\w-]+\.[a-z]{2,}\//i;

class DiscordWriter extends ChatWriter {
  protected readonly bullet = '- ';

  protected text(value: string, lineStart: boolean): string {
    // A channel link (<#123…>) is the one token let through: commands write them, and they notify nobody.
    const escaped = value.replace(/([\\*_`~|<>[\]])/g, '\\$1').replace(/\\<#(\d{5,25})\\>/g, '<#$1>');
    const lines = escaped.split('\n');
    return lines.map((l, i) => (i > 0 || lineStart ? escapeLineStart(l) : l)).join('\n');
  }

  protected strong(inner: string): string {
    return markEachLine(inner, '**');
  }

  protected emphasis(inner: string): string {
    return markEachLine(inner, '*');
  }

  protected strike(inner: string): string {
    return markEachLine(inner, '~~');
  }

  protected inlineCode(value: string): string {
    return codeSpan(value);
  }

  protected link(url: string, label: string, plainLabel: string): string {
    const target = href(url);
    if (!target) {
      const mail = safeLinkUrl(url, ['mailto:']);
      if (mail && plainLabel.trim() && plainLabel !== mail.pathname) return `${label} (${this.text(mail.pathname, false)})`;
      return label.trim() ? label : this.text(url, false);
    }
    // A bare link is shown as written (Discord links it by itself).
    if (plainLabel === url) return encodeEnds(url);
    if (!plainLabel.trim() || LOOKS_LIKE_URL.test(plainLabel)) return target;
    return `[${label}](${target})`;
  }

  protected image(url: string, alt: string): string {
    const target = href(url);
    const label = this.text(alt.trim() || 'image', false);
    return target ? `[🖼 ${label}](${target})` : label;
  }

  protected heading(depth: number, inner: string): string {
    const one = inner.replace(/\n+/g, ' ').trim();
    return depth <= 3 ? `${'#'.repeat(depth)} ${one}` : markEachLine(one, '**');
  }

  protected codeBlock(code: string, language: string): string {
    // Runnable examples print into an ```output block: shown as labelled output, not as a language.
    if (language === 'output') return `**Output**\n${fence(code)}`;
    return fence(code, language);
  }

  protected quote(body: string): string {
    return body
      .split('\n')
      .map((l) => (l ? `> ${l}` : '> '))
      .join('\n');
  }

  protected rule(): string {
    return DIVIDER;
  }
}

export const DIVIDER = '─'.repeat(24);

/** Converts chat Markdown (CommonMark + GFM, newlines as line breaks) to Discord's Markdown. */
export function markdownToDiscord(markdown: string): string {
  return new DiscordWriter().write(markdown);
}

/** Discord Markdown helpers: code fences nothing can break out of, small print, escaped labels. */

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
  return s.replace(/([\\*_`~|>[\]])/g, '\\$1');
}

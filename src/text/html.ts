import type { Nodes } from 'mdast';
import { parseMarkdown, safeLinkUrl, tableCells } from './markdown-tree.js';

/**
 * Markdown as the small HTML a flashcard app shows (Anki's fields are HTML): paragraphs, code,
 * emphasis, lists, links and tables. Everything is escaped; only http(s) links become links.
 */
export function markdownToHtml(markdown: string): string {
  return parseMarkdown(markdown)
    .children.map((n) => node(n))
    .join('');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function children(n: Nodes): string {
  return 'children' in n ? (n.children as Nodes[]).map((c) => node(c)).join('') : '';
}

function node(n: Nodes): string {
  switch (n.type) {
    case 'paragraph':
      return `<p>${children(n)}</p>`;
    case 'text':
      return escapeHtml(n.value);
    case 'inlineCode':
      return `<code>${escapeHtml(n.value)}</code>`;
    case 'code':
      return `<pre><code>${escapeHtml(n.value)}</code></pre>`;
    case 'strong':
      return `<b>${children(n)}</b>`;
    case 'emphasis':
      return `<i>${children(n)}</i>`;
    case 'delete':
      return `<s>${children(n)}</s>`;
    case 'break':
      return '<br>';
    case 'heading':
      return `<p><b>${children(n)}</b></p>`;
    case 'blockquote':
      return `<blockquote>${children(n)}</blockquote>`;
    case 'list':
      return n.ordered ? `<ol>${children(n)}</ol>` : `<ul>${children(n)}</ul>`;
    case 'listItem':
      return `<li>${children(n)}</li>`;
    case 'link': {
      const url = safeLinkUrl(n.url);
      return url ? `<a href="${escapeHtml(url.href)}">${children(n)}</a>` : children(n);
    }
    case 'table':
      return `<table>${tableCells(n)
        .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
        .join('')}</table>`;
    case 'thematicBreak':
      return '<hr>';
    case 'html':
      return escapeHtml(n.value);
    default:
      return children(n);
  }
}

/**
 * What a reader would notice in a rendered message, checked the same way for every platform: a raw
 * Markdown table row, a paragraph broken in mid-sentence, a formatting marker shown literally
 * because its partner is missing, a code block left open. Each check returns readable problems.
 */

export type Dialect = 'discord' | 'slack' | 'terminal';

export interface RenderedLine {
  text: string;
  /** Inside a code block (or its fences, or the terminal's code frame): not prose. */
  code: boolean;
}

const PREFIX: Record<Dialect, RegExp> = {
  discord: /^(?:> |-# |\s)*/,
  slack: /^(?:> |\s)*/,
  terminal: /^(?:│ |\s)*/,
};

/** The line without the quote bars, small-print marks and indentation it starts with. */
export function stripPrefix(line: string, dialect: Dialect): string {
  return line.replace(PREFIX[dialect], '');
}

/** The lines of a rendered text, each marked as code or prose. */
export function renderedLines(text: string, dialect: Dialect): RenderedLine[] {
  if (dialect === 'terminal') return text.split('\n').map((l) => ({ text: l, code: /^ {2}[│┌]/.test(l) }));
  let inside = false;
  return text.split('\n').map((l) => {
    const fence = stripPrefix(l, dialect).startsWith('```');
    const code = inside || fence;
    if (fence) inside = !inside;
    return { text: l, code };
  });
}

export function fenceProblems(text: string, dialect: Dialect): string[] {
  if (dialect === 'terminal') {
    // A fence line left as it was (``` quoted inside a sentence is just text there).
    const raw = renderedLines(text, dialect).find((l) => !l.code && /^(```|~~~)/.test(stripPrefix(l.text, dialect)));
    return raw ? [`a raw code fence: «${raw.text}»`] : [];
  }
  const lines = renderedLines(text, dialect);
  const problems: string[] = [];
  const fences = lines.filter((l) => stripPrefix(l.text, dialect).startsWith('```')).length;
  if (fences % 2) problems.push(`an unbalanced code fence (${fences} fence lines)`);
  const stray = lines.find((l) => !l.code && l.text.includes('```'));
  if (stray) problems.push(`three backticks in prose, able to open a code block: «${stray.text}»`);
  return problems;
}

const TABLE_ROW = /^\|.*\|\s*$/;
const TABLE_RULE = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/;

export function tableRowProblems(text: string, dialect: Dialect): string[] {
  return renderedLines(text, dialect)
    .filter((l) => !l.code)
    .map((l) => stripPrefix(l.text, dialect))
    .filter((l) => TABLE_ROW.test(l) || TABLE_RULE.test(l))
    .map((l) => `a raw table row: «${l}»`);
}

/** Formatting marks and zero-width spaces at either end of a line, which say nothing about the sentence. */
const EDGE_MARKS = /^[\u200b*_~⟪⟫⟨⟩⟦⟧]+|[\u200b*_~⟪⟫⟨⟩⟦⟧]+$/g;
const LIST_ITEM = /^(?:[-•☐☑]\s|\d+[.)]\s)/;
/** A line that is bold as a whole is a label or a heading ("**Answer**"), not part of a sentence. */
const LABEL = /^(?:\*\*[^*]+\*\*|\u200b?\*[^*]+\*\u200b?|⟪[^⟫]+⟫)$/;
/** The terminal's row of numbered choices; the small print under it is a block of its own. */
const BUTTONS = /^(?:⟪)?\[\d+\] /;

/**
 * A line break inside a sentence: the line ends on a word or a comma, and the next line of the
 * same block carries on in lower case. (Sources hard-wrapped at 100 columns break exactly there.)
 */
export function midSentenceProblems(text: string, dialect: Dialect): string[] {
  const lines = renderedLines(text, dialect);
  const problems: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    if (a.code || b.code) continue;
    const end = stripPrefix(a.text, dialect).replace(EDGE_MARKS, '').trimEnd();
    const next = stripPrefix(b.text, dialect);
    const start = next.replace(EDGE_MARKS, '');
    if (!end || !start || LIST_ITEM.test(next) || LABEL.test(stripPrefix(a.text, dialect)) || BUTTONS.test(a.text)) continue;
    if (/[\p{L}\p{N},;)\]`]$/u.test(end) && /^[\p{Ll}(]/u.test(start)) {
      problems.push(`a line break in mid-sentence: «…${end.slice(-40)}» ⏎ «${start.slice(0, 40)}…»`);
    }
  }
  return problems;
}

const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);

/**
 * Runs of `marker` that can open or close formatting: touching text on the inside and a space,
 * punctuation or a line end on the outside. Inside a word (snake_case, 2*3) or between spaces
 * (2 ** 4) a marker is only a character.
 */
function activeMarkers(line: string, marker: string): number {
  let n = 0;
  for (let i = line.indexOf(marker); i >= 0; ) {
    let end = i;
    while (line[end] === marker) end++;
    const before = line[i - 1];
    const after = line[end];
    const opens = !isSpace(after) && !isWord(before);
    const closes = !isSpace(before) && i > 0 && !isWord(after);
    if (opens || closes) n++;
    i = line.indexOf(marker, end);
  }
  return n;
}

/**
 * Formatting markers a reader would see literally because they are not paired on their line
 * (Slack's never cross a line; the renderers close and reopen every mark at a line break).
 */
export function markerProblems(text: string, dialect: Dialect): string[] {
  const problems: string[] = [];
  for (const { text: raw, code } of renderedLines(text, dialect)) {
    if (code) continue;
    const found: string[] = [];
    if (dialect === 'discord') {
      let l = raw
        .replace(/\\[^\p{L}\p{N}\s]/gu, '')
        .replace(/``\s[^\n]*?\s``|`[^`\n]+`/g, 'x')
        .replace(/\]\([^)\s]*\)/g, ']')
        .replace(/https?:\/\/\S+/g, '');
      if (l.includes('`')) found.push('`');
      for (const m of ['**', '~~', '__', '||']) {
        if (l.split(m).length % 2 === 0) found.push(m);
        l = l.split(m).join('');
      }
      if (activeMarkers(l, '*') % 2) found.push('*');
      if (activeMarkers(l, '_') % 2) found.push('_');
    } else if (dialect === 'slack') {
      // Code spans and links stand for a word: the marks around them still pair.
      const l = raw.replace(/`[^`\n]*`/g, 'x').replace(/<[^>\n]*>/g, 'x');
      if (l.includes('`')) found.push('`');
      for (const m of ['*', '_', '~']) if (activeMarkers(l, m) % 2) found.push(m);
    } else {
      // The terminal shows no Markdown: every character left is literal. Its own styles (the test
      // style marks code ⟦…⟧, bold ⟪…⟫, italics ⟨…⟩) must open and close on the same line.
      for (const [open, close] of [
        ['⟪', '⟫'],
        ['⟨', '⟩'],
        ['⟦', '⟧'],
      ] as const) {
        if (raw.split(open).length !== raw.split(close).length) found.push(`${open}${close}`);
      }
    }
    if (found.length) problems.push(`an unpaired ${found.join(' ')} marker: «${raw.slice(0, 120)}»`);
  }
  return problems;
}

/** Every check at once, each problem prefixed with where it was found. */
export function readingProblems(where: string, text: string, dialect: Dialect): string[] {
  return [
    ...fenceProblems(text, dialect),
    ...tableRowProblems(text, dialect),
    ...midSentenceProblems(text, dialect),
    ...markerProblems(text, dialect),
  ].map((p) => `${where}: ${p}`);
}

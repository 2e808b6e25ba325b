import { markdownToHtml } from './html.js';

/** One note for Anki's "Basic" note type. */
export interface AnkiNote {
  /** Stable across exports: importing a newer file updates these notes instead of adding copies. */
  guid: string;
  front: string;
  back: string;
  tags: string[];
  deck: string;
}

/** A field as Anki's text importer reads it: quoted, quotes doubled, so tabs and line breaks are safe. */
const field = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Notes in Anki's text import format (File → Import in Anki 2.1.55 and later): the header lines say
 * the separator, that fields are HTML, the note type, and which columns hold the guid, the deck and
 * the tags, so the file imports with no questions asked.
 */
export function ankiText(notes: readonly AnkiNote[]): string {
  const header = ['#separator:tab', '#html:true', '#notetype:Basic', '#guid column:1', '#deck column:4', '#tags column:5'];
  const lines = notes.map((n) =>
    [
      field(n.guid),
      field(markdownToHtml(n.front)),
      field(markdownToHtml(n.back)),
      field(n.deck),
      field(n.tags.map((t) => t.replace(/\s+/g, '_')).join(' ')),
    ].join('\t'),
  );
  return `${[...header, ...lines].join('\n')}\n`;
}

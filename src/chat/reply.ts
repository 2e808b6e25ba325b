/**
 * The neutral reply model. Commands answer with these; each platform adapter renders them its own
 * way (Discord components and embeds, Slack Block Kit, numbered choices in the terminal). Nothing
 * here knows about a platform.
 */

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

export interface Button {
  /** Stable id routed back to the command that made it: `<command>:<action>:<args...>`. */
  id: string;
  label: string;
  style?: ButtonStyle;
  disabled?: boolean;
}

export interface SelectOption {
  label: string;
  value: string;
  description?: string;
}

export type Block =
  /** Markdown: **bold**, *italics*, `code`, [links](url), lists, headings, fenced code. */
  | { kind: 'text'; markdown: string }
  /** Literal text shown as a code block; never interpreted, never able to break out of its fence. */
  | { kind: 'code'; code: string; language?: string; label?: string }
  /** Small print under the main content. */
  | { kind: 'note'; markdown: string }
  | { kind: 'buttons'; buttons: Button[] }
  | { kind: 'select'; id: string; placeholder: string; options: SelectOption[] }
  | { kind: 'image'; url: string; alt: string }
  | { kind: 'divider' };

export interface FileAttachment {
  name: string;
  data: Buffer;
  contentType?: string;
  description?: string;
}

/**
 * A picture drawn by the bot (a progress card) shown with a message: Discord shows it in the
 * embed, Slack uploads it beside the message, the terminal saves it and prints where. It only
 * illustrates: the message's text carries the same facts, and `alt` says what it shows.
 */
export interface Picture {
  /** A file name every platform keeps as given (letters, digits, `-`, `_`, `.`), ending in .png. */
  name: string;
  data: Buffer;
  alt: string;
}

export interface Message {
  /** Shown as a heading (embed title on Discord, header block on Slack). */
  title?: string;
  blocks: Block[];
  files?: FileAttachment[];
  image?: Picture;
  /** Only the user who acted sees it, where the platform allows (ephemeral). */
  private?: boolean;
  /**
   * The learner it was made for; set by the router on replies. Only they may have a click on it
   * edit it in place: anyone else gets their answer privately.
   */
  owner?: string;
  /**
   * A key under which the bot keeps the message editable (a quiz question's count of answers, a
   * round's countdown, a pinned board): platforms post it where they can edit it later and record
   * where it went.
   */
  live?: string;
}

export interface FormField {
  id: string;
  label: string;
  /**
   * `file` asks for an upload (Slack's file_input); only platforms whose forms take files are
   * given such a form: Discord takes files as a command's attachment option, the terminal as a path.
   */
  style: 'short' | 'paragraph' | 'file';
  /** For a file field: the file name endings accepted, e.g. ['.yaml', '.csv']. */
  extensions?: readonly string[];
  required?: boolean;
  placeholder?: string;
  value?: string;
  minLength?: number;
  maxLength?: number;
}

export interface Form {
  /** Routed back like a button id when submitted: `<command>:<action>:<args...>`. */
  id: string;
  title: string;
  fields: FormField[];
}

export type Reply =
  | {
      kind: 'message';
      message: Message;
      /** For button and select clicks: replace the message the control was on instead of adding one. */
      update?: boolean;
    }
  | { kind: 'form'; form: Form };

// Small builders keep command code readable.

export const text = (markdown: string): Block => ({ kind: 'text', markdown });
export const note = (markdown: string): Block => ({ kind: 'note', markdown });
export const code = (source: string, language = 'python', label?: string): Block => ({
  kind: 'code',
  code: source,
  language,
  ...(label !== undefined && { label }),
});
export const buttons = (...list: Button[]): Block => ({ kind: 'buttons', buttons: list });

export function message(blocks: Block[], extra: Omit<Message, 'blocks'> = {}): Reply {
  return { kind: 'message', message: { ...extra, blocks } };
}

export function privateMessage(blocks: Block[], extra: Omit<Message, 'blocks' | 'private'> = {}): Reply {
  return { kind: 'message', message: { ...extra, blocks, private: true } };
}

/** A reply that replaces the message a clicked control sits on. */
export function updateMessage(blocks: Block[], extra: Omit<Message, 'blocks'> = {}): Reply {
  return { kind: 'message', message: { ...extra, blocks }, update: true };
}

export function form(f: Form): Reply {
  return { kind: 'form', form: f };
}

/** Plain text of a message, for logs, tests and the terminal. */
export function plainText(m: Message): string {
  const parts: string[] = [];
  if (m.title) parts.push(m.title);
  for (const b of m.blocks) {
    if (b.kind === 'text' || b.kind === 'note') parts.push(b.markdown);
    else if (b.kind === 'code') parts.push(b.code);
    else if (b.kind === 'buttons') parts.push(b.buttons.map((x) => `[${x.label}]`).join(' '));
    else if (b.kind === 'select') parts.push(`${b.placeholder}: ${b.options.map((o) => o.label).join(', ')}`);
    else if (b.kind === 'image') parts.push(b.alt);
  }
  return parts.join('\n');
}

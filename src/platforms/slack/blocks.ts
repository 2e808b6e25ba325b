import { createHash } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { Block, Button, Form, Message } from '../../chat/reply.js';
import { plainText } from '../../chat/reply.js';
import { literalText, parseMarkdown } from '../../text/markdown-tree.js';
import { codeBlock, escapeText, markdownToMrkdwn, rewriteCommands, splitMrkdwn, type MrkdwnOptions } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/** Block Kit's limits (Slack refuses a message that breaks any of them with invalid_blocks). */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  contextElements: 10,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  elementsPerActions: 25,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  placeholder: 150,
  altText: 2000,
  imageUrl: 3000,
  viewTitle: 24,
  viewButton: 24,
  inputLabel: 2000,
  inputHint: 2000,
  inputMaxLength: 3000,
  callbackId: 255,
  privateMetadata: 3000,
  /** Notification text: Slack allows far more, but a preview is all it is used for. */
  fallbackText: 300,
} as const;

/** Cuts `s` to `n` characters with an ellipsis, never splitting a surrogate pair. */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  let cut = s.slice(0, n - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Plain text objects show text as written: no markup, no mentions. Empty is not allowed. */
const plain = (s: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: clip(s.trim() || '…', max), emoji: true });

/**
 * The action_id a control is sent back with. Neutral ids normally fit; a longer one is replaced by
 * its hash, and routing uses the button's value (or the select's option values) instead.
 */
export function actionIdFor(id: string): string {
  return id.length <= LIMITS.actionId ? id : `h:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

const STYLE: Record<NonNullable<Button['style']>, 'primary' | 'danger' | undefined> = {
  primary: 'primary',
  success: 'primary',
  danger: 'danger',
  secondary: undefined,
};

export type RenderOptions = MrkdwnOptions;

function sections(markdown: string, opts: RenderOptions, prefix = ''): KnownBlock[] {
  const mrkdwn = prefix + markdownToMrkdwn(markdown, opts);
  return splitMrkdwn(mrkdwn, LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function buttonRows(list: Button[]): KnownBlock[] {
  // Slack has no disabled buttons: a control that cannot be used is left out, as in the terminal.
  const usable = list.filter((b) => !b.disabled && b.id.length <= LIMITS.buttonValue);
  const rows: KnownBlock[] = [];
  for (let i = 0; i < usable.length; i += LIMITS.elementsPerActions) {
    const seen = new Set<string>();
    const elements = usable.slice(i, i + LIMITS.elementsPerActions).map((b): types.Button => {
      let actionId = actionIdFor(b.id);
      // action_ids must be unique within a block.
      for (let n = 2; seen.has(actionId); n++) actionId = `${actionIdFor(b.id).slice(0, LIMITS.actionId - 4)}#${n}`;
      seen.add(actionId);
      const style = b.style && STYLE[b.style];
      return { type: 'button', action_id: actionId, value: b.id, text: plain(b.label, LIMITS.buttonText), ...(style && { style }) };
    });
    if (elements.length) rows.push({ type: 'actions', elements });
  }
  return rows;
}

function blockToSlack(b: Block, opts: RenderOptions): KnownBlock[] {
  switch (b.kind) {
    case 'text':
      return sections(b.markdown, opts);
    case 'code': {
      const label = b.label ? `*${escapeText(b.label)}*\n` : '';
      return splitMrkdwn(label + codeBlock(b.code), LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
    }
    case 'note': {
      const pieces = splitMrkdwn(markdownToMrkdwn(b.markdown, opts), LIMITS.sectionText);
      return pieces.length ? [{ type: 'context', elements: pieces.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text })) }] : [];
    }
    case 'buttons':
      return buttonRows(b.buttons);
    case 'select': {
      const options = b.options
        .filter((o) => o.value.length <= LIMITS.optionValue)
        .slice(0, LIMITS.selectOptions)
        .map(
          (o): types.PlainTextOption => ({
            text: plain(o.label, LIMITS.optionText),
            value: o.value,
            ...(o.description && { description: plain(o.description, LIMITS.optionDescription) }),
          }),
        );
      if (!options.length) return [];
      return [
        {
          type: 'actions',
          elements: [{ type: 'static_select', action_id: actionIdFor(b.id), placeholder: plain(b.placeholder, LIMITS.placeholder), options }],
        },
      ];
    }
    case 'image':
      if (b.url.length > LIMITS.imageUrl || !/^https?:\/\//.test(b.url)) return [];
      return [{ type: 'image', image_url: b.url, alt_text: clip(b.alt || 'image', LIMITS.altText) }];
    case 'divider':
      return [{ type: 'divider' }];
  }
}

/** Everything Slack needs to show a message: blocks plus the text notifications show. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * A short, escaped text for notifications and clients that cannot show blocks: the title, or the
 * first line of the message read as a person reads it (no marks, no backslash escapes).
 */
export function fallbackText(m: Message, opts: RenderOptions = {}): string {
  const line =
    plainText(m)
      .split('\n')
      .find((l) => l.trim()) ?? 'studybot';
  const first = m.title ? line : literalText(parseMarkdown(line)).trim() || 'studybot';
  return rewriteCommands(escapeText(clip(first, LIMITS.fallbackText)), opts);
}

/**
 * Renders a neutral message as Block Kit: title → header, Markdown → mrkdwn sections (split
 * under 3,000 characters), code → a preformatted section, notes → context, buttons and selects →
 * actions. Over `maxBlocks` blocks the end is cut with a note.
 */
export function renderMessage(m: Message, opts: RenderOptions = {}, maxBlocks: number = LIMITS.blocksPerMessage): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (m.title) blocks.push({ type: 'header', text: plain(m.title, LIMITS.headerText) });
  for (const b of m.blocks) blocks.push(...blockToSlack(b, opts));
  if (blocks.length > maxBlocks) {
    // Keep the controls (they are what the reader acts on) and cut the text before them.
    const controls = blocks.filter((b) => b.type === 'actions').slice(-3);
    const keep = blocks.filter((b) => b.type !== 'actions').slice(0, maxBlocks - controls.length - 1);
    blocks.length = 0;
    blocks.push(...keep, { type: 'context', elements: [{ type: 'mrkdwn', text: '_…cut: this message was too long for Slack._' }] }, ...controls);
  }
  if (!blocks.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: ' ' } });
  return { text: fallbackText(m, opts), blocks };
}

/** What a modal remembers between opening and submission (Slack hands it back untouched). */
export interface FormOrigin {
  /** The neutral form id, routed back like a button id. */
  id: string;
  channelId?: string;
  threadTs?: string;
  /** The response_url of the command or click that opened the form, to answer in place. */
  responseUrl?: string;
  responseUrlExpiresAt?: number;
}

export function encodeOrigin(o: FormOrigin): string {
  const full = JSON.stringify(o);
  if (full.length <= LIMITS.privateMetadata) return full;
  // Without the response_url the reply is posted to the channel instead: still correct.
  const { responseUrl: _dropped, responseUrlExpiresAt: _alsoDropped, ...rest } = o;
  return JSON.stringify(rest);
}

export function decodeOrigin(metadata: string | undefined, callbackId: string): FormOrigin {
  try {
    const o = JSON.parse(metadata ?? '') as Partial<FormOrigin>;
    if (typeof o.id === 'string') return { ...o, id: o.id };
  } catch {
    // A modal opened by an older version: fall back to the callback id.
  }
  return { id: callbackId };
}

/** A neutral form as a modal: one plain-text input per field, block and action ids = field ids. */
export function renderForm(form: Form, origin: FormOrigin): types.ModalView {
  const submit = /^run:/.test(form.id) ? 'Run' : 'Submit';
  return {
    type: 'modal',
    callback_id: clip(form.id, LIMITS.callbackId),
    title: plain(form.title, LIMITS.viewTitle),
    submit: plain(submit, LIMITS.viewButton),
    close: plain('Cancel', LIMITS.viewButton),
    private_metadata: encodeOrigin(origin),
    blocks: form.fields.map((f): KnownBlock => {
      if (f.style === 'file') {
        return {
          type: 'input',
          block_id: f.id,
          optional: !f.required,
          label: plain(f.label, LIMITS.inputLabel),
          element: {
            type: 'file_input',
            action_id: f.id,
            max_files: 1,
            ...(f.extensions?.length && { filetypes: f.extensions.map((e) => e.replace(/^\./, '')) }),
          },
        };
      }
      const maxLength = Math.min(f.maxLength ?? LIMITS.inputMaxLength, LIMITS.inputMaxLength);
      return {
        type: 'input',
        block_id: f.id,
        optional: !f.required,
        label: plain(f.label, LIMITS.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: f.id,
          multiline: f.style === 'paragraph',
          max_length: maxLength,
          ...(f.minLength !== undefined && { min_length: Math.min(f.minLength, maxLength) }),
          ...(f.placeholder && { placeholder: plain(f.placeholder, LIMITS.placeholder) }),
          ...(f.value && { initial_value: f.value.slice(0, maxLength) }),
        },
        ...(f.maxLength !== undefined &&
          f.maxLength > LIMITS.inputMaxLength && {
            hint: plain(
              `Slack takes up to ${LIMITS.inputMaxLength} characters here; for longer code, put it in a code block after the command.`,
              LIMITS.inputHint,
            ),
          }),
      };
    }),
  };
}

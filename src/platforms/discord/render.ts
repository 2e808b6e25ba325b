import {
  ButtonStyle as DiscordButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Choice } from '../../chat/command.js';
import type { ButtonStyle, FileAttachment, Form, Message } from '../../chat/reply.js';
import type { ComponentIds } from './component-ids.js';
import { clip, LIMITS } from './limits.js';
import { splitMarkdown } from '../../text/markdown.js';
import { DIVIDER, escapeInline, fence, markdownToDiscord, subtext } from './markdown.js';

/** Python blue: every embed the bot sends carries it. */
export const EMBED_COLOR = 0x3776ab;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One Discord message, ready to send: the neutral message may need several. */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: ActionRow[];
  files: FileAttachment[];
  ephemeral: boolean;
}

const STYLES: Record<
  ButtonStyle,
  DiscordButtonStyle.Primary | DiscordButtonStyle.Secondary | DiscordButtonStyle.Success | DiscordButtonStyle.Danger
> = {
  primary: DiscordButtonStyle.Primary,
  secondary: DiscordButtonStyle.Secondary,
  success: DiscordButtonStyle.Success,
  danger: DiscordButtonStyle.Danger,
};

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0);
}

/**
 * Renders a neutral message as one or more Discord messages within every limit: text and notes
 * are written in Discord's Markdown (markdown.ts), code stays literal in fences nothing can close
 * early; all of it goes to embed descriptions (split across embeds, then messages, when long), buttons and
 * selects to action rows, images to embed images, files to attachments. Components and files sit
 * on the last message so they follow the content they belong to.
 */
export function renderMessage(m: Message, ids: ComponentIds): DiscordMessage[] {
  const pieces: string[] = [];
  const images: string[] = [];
  const rows: ActionRow[] = [];
  for (const b of m.blocks) {
    switch (b.kind) {
      case 'text': {
        const md = markdownToDiscord(b.markdown);
        if (md) pieces.push(md);
        break;
      }
      case 'note': {
        const md = markdownToDiscord(b.markdown);
        if (md) pieces.push(subtext(md));
        break;
      }
      case 'code':
        pieces.push(`${b.label ? `**${escapeInline(b.label)}**\n` : ''}${fence(b.code, b.language)}`);
        break;
      case 'divider':
        pieces.push(DIVIDER);
        break;
      case 'image':
        images.push(b.url);
        break;
      case 'buttons':
        for (const group of chunk(b.buttons, LIMITS.buttonsPerRow)) {
          rows.push({
            type: ComponentType.ActionRow,
            components: group.map((x) => ({
              type: ComponentType.Button,
              style: STYLES[x.style ?? 'secondary'],
              label: clip(x.label, LIMITS.buttonLabel) || '…',
              custom_id: ids.encode(x.id),
              ...(x.disabled && { disabled: true }),
            })),
          });
        }
        break;
      case 'select':
        if (!b.options.length) break;
        rows.push({
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.StringSelect,
              custom_id: ids.encode(b.id),
              placeholder: clip(b.placeholder, LIMITS.selectPlaceholder),
              options: b.options.slice(0, LIMITS.selectOptions).map((o) => ({
                label: clip(o.label, LIMITS.selectOptionText) || '…',
                value: o.value.slice(0, LIMITS.selectOptionText),
                ...(o.description && { description: clip(o.description, LIMITS.selectOptionText) }),
              })),
            },
          ],
        });
        break;
    }
  }

  const title = m.title ? clip(m.title, LIMITS.embedTitle) : undefined;
  const descriptions = splitMarkdown(pieces, { max: LIMITS.embedDescription });
  const embeds: APIEmbed[] = descriptions.map((description, i) => ({
    ...(i === 0 && title && { title }),
    description,
    color: EMBED_COLOR,
  }));
  if (!embeds.length && title) embeds.push({ title, color: EMBED_COLOR });
  images.forEach((url, i) => {
    const last = embeds[embeds.length - 1];
    if (i === 0 && last && !last.image) last.image = { url };
    else embeds.push({ image: { url }, color: EMBED_COLOR });
  });
  const files = m.files ?? [];
  // Discord refuses a message with nothing in it (50006).
  if (!embeds.length && !rows.length && !files.length) embeds.push({ description: '*(empty)*', color: EMBED_COLOR });

  // Embeds into messages: at most 10 each and 6,000 characters of text between them.
  const messages: DiscordMessage[] = [];
  const ephemeral = Boolean(m.private);
  let current: DiscordMessage | undefined;
  let total = 0;
  for (const e of embeds) {
    const len = embedLength(e);
    if (!current || current.embeds.length >= LIMITS.embedsPerMessage || total + len > LIMITS.embedsTotal) {
      current = { embeds: [], components: [], files: [], ephemeral };
      messages.push(current);
      total = 0;
    }
    current.embeds.push(e);
    total += len;
  }
  const rowGroups = chunk(rows, LIMITS.actionRows);
  const fileGroups = chunk(files, LIMITS.filesPerMessage);
  for (let i = 0; i < Math.max(rowGroups.length, fileGroups.length); i++) {
    let target = i === 0 ? messages[messages.length - 1] : undefined;
    if (!target) {
      target = { embeds: [], components: [], files: [], ephemeral };
      messages.push(target);
    }
    target.components = rowGroups[i] ?? [];
    target.files = fileGroups[i] ?? [];
  }
  return messages;
}

/** A neutral form as a modal: each field a labelled text input (Discord allows five). */
export function renderModal(form: Form, customId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId,
    title: clip(form.title, LIMITS.modalTitle) || 'Form',
    components: form.fields.slice(0, LIMITS.modalComponents).map((f) => {
      const max = Math.min(f.maxLength ?? LIMITS.textInputValue, LIMITS.textInputValue);
      return {
        type: ComponentType.Label,
        label: clip(f.label, LIMITS.labelText),
        component: {
          type: ComponentType.TextInput,
          custom_id: f.id,
          style: f.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: f.required ?? false,
          max_length: max,
          ...(f.minLength !== undefined && { min_length: Math.min(f.minLength, max) }),
          ...(f.placeholder && { placeholder: clip(f.placeholder, LIMITS.textInputPlaceholder) }),
          ...(f.value && { value: f.value.slice(0, max) }),
        },
      };
    }),
  };
}

/** Autocomplete suggestions within Discord's limits (25 choices, 100 characters each). */
export function renderChoices(choices: Choice[]): Choice[] {
  return choices.slice(0, LIMITS.autocompleteChoices).map((c) => ({
    name: clip(c.name, LIMITS.choiceText) || c.value.slice(0, LIMITS.choiceText),
    value: c.value.slice(0, LIMITS.choiceText),
  }));
}

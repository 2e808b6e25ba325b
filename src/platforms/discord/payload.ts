import {
  MessageFlags,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageMentionOptions,
  type RawFile,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { DiscordMessage } from './render.js';

/**
 * Mentions the bot may trigger: none. Lesson text, program output and learners' code pass through
 * the bot, and none of it may ping @everyone, @here, a role or a member.
 */
export const NO_MENTIONS: MessageMentionOptions = { parse: [] };

function base(m: DiscordMessage) {
  return {
    embeds: m.embeds,
    components: m.components,
    files: m.files.map((f) => ({ attachment: f.data, name: f.name, ...(f.description && { description: f.description }) })),
    allowedMentions: NO_MENTIONS,
  };
}

/** For interaction.reply and followUp. */
export function replyOptions(m: DiscordMessage): InteractionReplyOptions {
  return { ...base(m), ...(m.ephemeral && { flags: MessageFlags.Ephemeral }) };
}

/**
 * For editReply and update: replaces the whole message. An explicit empty attachment list drops
 * files of the previous version (new ones are appended to it by discord.js).
 */
export function editOptions(m: DiscordMessage): InteractionEditReplyOptions & InteractionUpdateOptions {
  return { ...base(m), attachments: [] };
}

/** A raw REST body with multipart files, for the sender (channel posts and webhook edits). */
export function restMessage(m: DiscordMessage, opts: { ephemeral?: boolean } = {}): { body: RESTPostAPIChannelMessageJSONBody; files: RawFile[] } {
  return {
    body: {
      embeds: m.embeds,
      components: m.components,
      allowed_mentions: { parse: [] },
      attachments: m.files.map((f, i) => ({ id: i, filename: f.name, ...(f.description && { description: f.description }) })),
      ...(opts.ephemeral && { flags: MessageFlags.Ephemeral }),
    },
    files: m.files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType && { contentType: f.contentType }) })),
  };
}

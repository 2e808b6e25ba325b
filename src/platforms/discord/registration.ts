import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, OptionDef, Subcommand } from '../../chat/command.js';
import { isGroup } from '../../chat/command.js';

/** The message context-menu command; its clicks run the target message's code through /run. */
export const RUN_PYTHON = 'Run Python';

/** Discord's longest string option value. */
const STRING_MAX = 6000;

/** Channels a daily lesson (or anything else the bot posts unprompted) can go to. */
const POSTABLE_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** The bot's data lives per server, so every command is offered in servers only. */
const GUILD_ONLY = { contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] };

function option(o: OptionDef): APIApplicationCommandBasicOption {
  const base = { name: o.name, description: o.description, required: Boolean(o.required) };
  switch (o.type) {
    case 'string': {
      const string = {
        ...base,
        type: ApplicationCommandOptionType.String as const,
        ...(o.maxLength !== undefined && { max_length: Math.min(o.maxLength, STRING_MAX) }),
      };
      // Discord takes either fixed choices or autocomplete, never both (the core checks it too).
      if (o.autocomplete) return { ...string, autocomplete: true };
      return { ...string, ...(o.choices && { choices: o.choices.map((c) => ({ name: c.name, value: c.value })) }) };
    }
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(o.min !== undefined && { min_value: o.min }),
        ...(o.max !== undefined && { max_value: o.max }),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'channel':
      return { ...base, type: ApplicationCommandOptionType.Channel, channel_types: [...POSTABLE_CHANNELS] };
    case 'attachment':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
  }
}

function subcommand(s: Subcommand<unknown>): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: s.name,
    description: s.description,
    options: s.options.map(option),
  };
}

/**
 * A neutral command as a slash command. Admin-only commands are hidden from members without
 * Manage Server by default (server admins can change that in Integrations); the real check runs
 * on every call, since subcommands cannot carry permissions of their own.
 */
export function slashCommand(c: Command<unknown>): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const options: APIApplicationCommandOption[] = c.subcommands
    ? c.subcommands.map((s) =>
        isGroup(s)
          ? {
              type: ApplicationCommandOptionType.SubcommandGroup,
              name: s.name,
              description: s.description,
              options: s.subcommands.map(subcommand),
            }
          : subcommand(s),
      )
    : (c.leaf?.options ?? []).map(option);
  return {
    type: ApplicationCommandType.ChatInput,
    name: c.name,
    description: c.description,
    options,
    default_member_permissions: c.adminOnly ? String(PermissionFlagsBits.ManageGuild) : null,
    ...GUILD_ONLY,
  };
}

export function runPythonMenu(): RESTPostAPIContextMenuApplicationCommandsJSONBody {
  return { type: ApplicationCommandType.Message, name: RUN_PYTHON, default_member_permissions: null, ...GUILD_ONLY };
}

/**
 * Everything the bot registers, in one list: a bulk overwrite replaces all of an application's
 * commands, context menus included, so the menu must be part of it.
 */
export function applicationCommands(commands: readonly Command<unknown>[]): RESTPostAPIApplicationCommandsJSONBody[] {
  return [...commands.map(slashCommand), runPythonMenu()];
}

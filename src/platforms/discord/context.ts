import { GuildMember, PermissionFlagsBits, type BaseInteraction } from 'discord.js';
import type { ChatContext, Conversation } from '../../chat/context.js';
import { HANDLE_LIFETIME_MS } from './limits.js';

/** What the sender needs to edit an interaction's original reply or follow it up, later. */
export interface InteractionHandle {
  appId: string;
  token: string;
}

/** The handle stored with a conversation, while its token is still usable. */
export function validHandle(to: Conversation, now: number): InteractionHandle | undefined {
  if (!to.handle || to.handleExpiresAt === undefined || to.handleExpiresAt <= now) return undefined;
  try {
    const h = JSON.parse(to.handle) as Partial<InteractionHandle>;
    return typeof h.appId === 'string' && typeof h.token === 'string' ? { appId: h.appId, token: h.token } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Manage Server (or Administrator) in the channel the interaction came from. Discord computes
 * member.permissions for us, overwrites included.
 */
export function isAdmin(interaction: BaseInteraction): boolean {
  const p = interaction.memberPermissions;
  return Boolean(p && (p.has(PermissionFlagsBits.ManageGuild, false) || p.has(PermissionFlagsBits.Administrator, false)));
}

/** Who is asking and where, with a handle that lets a later result edit this interaction's reply. */
export function interactionContext(interaction: BaseInteraction, now: number): ChatContext {
  const user = interaction.user;
  // Commands are registered for guilds only; a DM (should one arrive) is a workspace of its own.
  const workspaceId = interaction.guildId ?? `dm-${user.id}`;
  const channelId = interaction.channelId ?? user.id;
  const member = interaction.member;
  const userName = member instanceof GuildMember ? member.displayName : (member?.nick ?? user.displayName);
  const handle: InteractionHandle = { appId: interaction.applicationId, token: interaction.token };
  const conversation: Conversation = {
    platform: 'discord',
    workspaceId,
    channelId,
    userId: user.id,
    handle: JSON.stringify(handle),
    handleExpiresAt: now + HANDLE_LIFETIME_MS,
  };
  return {
    platform: 'discord',
    workspaceId,
    channelId,
    userId: user.id,
    userName,
    locale: interaction.locale,
    isAdmin: isAdmin(interaction),
    conversation,
  };
}

import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { Conversation } from '../../chat/context.js';
import type { PostedMessage, Sender } from '../../chat/outbox.js';
import type { Message } from '../../chat/reply.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../time.js';
import type { ComponentIds } from './component-ids.js';
import { validHandle, type InteractionHandle } from './context.js';
import { restMessage } from './payload.js';
import { renderMessage, type DiscordMessage } from './render.js';

/** Discord's answers when an interaction token or its message is gone: post to the channel instead. */
const GONE = new Set([10008, 10015, 50027]);

function isGone(err: unknown): boolean {
  return err instanceof DiscordAPIError && (GONE.has(Number(err.code)) || err.status === 404 || err.status === 401);
}

/**
 * Posts outside a direct interaction response: code results (edits of the deferred "queued"
 * reply, through the interaction's webhook while its token lives) and daily lessons (channel
 * messages with the bot token).
 */
export class DiscordSender implements Sender {
  constructor(
    private readonly deps: {
      rest: REST;
      ids: ComponentIds;
      clock: Clock;
      logger: Logger;
      /** Waits until the interaction's own response went out, so a fast result never lands first. */
      settled: (token: string) => Promise<void>;
    },
  ) {}

  async deliver(to: Conversation, message: Message, opts: { replaceOriginal?: boolean } = {}): Promise<PostedMessage | undefined> {
    const parts = renderMessage(message, this.deps.ids);
    let sent = 0;
    let first: PostedMessage | undefined;
    const note = (m: unknown, via?: Conversation) => {
      const posted = m as { id?: string; channel_id?: string } | undefined;
      if (first || !posted?.id || !posted.channel_id) return;
      first = {
        platform: 'discord',
        channelId: posted.channel_id,
        messageId: posted.id,
        ...(via?.handle && { handle: via.handle, handleExpiresAt: via.handleExpiresAt }),
      };
    };
    const handle = validHandle(to, this.deps.clock.now());
    if (handle) {
      await this.deps.settled(handle.token);
      try {
        for (const part of parts) {
          note(sent === 0 && opts.replaceOriginal ? await this.editOriginal(handle, part) : await this.followUp(handle, part), to);
          sent++;
        }
        return first;
      } catch (err) {
        if (!isGone(err)) throw err;
        this.deps.logger.info(
          { channel: to.channelId, code: (err as DiscordAPIError).code },
          'interaction token no longer usable; posting to the channel',
        );
      }
    }
    const rest = parts.slice(sent);
    if (message.private) {
      await this.directMessage(to, rest);
      return first;
    }
    const channelId = to.threadId ?? to.channelId;
    for (const part of rest) {
      const { body, files } = restMessage(part);
      note(await this.deps.rest.post(Routes.channelMessages(channelId), { body, files }));
    }
    return first;
  }

  /**
   * Edits a message the bot posted: through the interaction's webhook while its token lives, with
   * the bot token after that (the bot is the message's author either way). A live message is one
   * part: only its first part is used.
   */
  async edit(posted: PostedMessage, message: Message): Promise<void> {
    const [part] = renderMessage(message, this.deps.ids);
    if (!part) return;
    const { body, files } = restMessage(part);
    const handle = posted.handle
      ? validHandle(
          {
            platform: 'discord',
            workspaceId: '',
            channelId: posted.channelId,
            handle: posted.handle,
            ...(posted.handleExpiresAt !== undefined && { handleExpiresAt: posted.handleExpiresAt }),
          },
          this.deps.clock.now(),
        )
      : undefined;
    if (handle) {
      try {
        await this.deps.rest.patch(Routes.webhookMessage(handle.appId, handle.token, posted.messageId), { body, files, auth: false });
        return;
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
    await this.deps.rest.patch(Routes.channelMessage(posted.channelId, posted.messageId), { body, files });
  }

  private async editOriginal(h: InteractionHandle, part: DiscordMessage): Promise<unknown> {
    const { body, files } = restMessage(part);
    return this.deps.rest.patch(Routes.webhookMessage(h.appId, h.token, '@original'), { body, files, auth: false });
  }

  private async followUp(h: InteractionHandle, part: DiscordMessage): Promise<unknown> {
    const { body, files } = restMessage(part, { ephemeral: part.ephemeral });
    return this.deps.rest.post(Routes.webhook(h.appId, h.token), { body, files, auth: false, query: new URLSearchParams({ wait: 'true' }) });
  }

  /**
   * Private messages whose interaction expired go to the user's DMs, never to the channel. A user
   * who refuses DMs does not get it; retrying would not change that, so it is only logged.
   */
  private async directMessage(to: Conversation, parts: DiscordMessage[]): Promise<void> {
    if (!to.userId) {
      this.deps.logger.warn({ channel: to.channelId }, 'a private message without a user or a live interaction was dropped');
      return;
    }
    try {
      const dm = (await this.deps.rest.post(Routes.userChannels(), { body: { recipient_id: to.userId } })) as { id: string };
      for (const part of parts) {
        const { body, files } = restMessage(part);
        await this.deps.rest.post(Routes.channelMessages(dm.id), { body, files });
      }
    } catch (err) {
      this.deps.logger.warn({ err, user: to.userId }, 'could not send a private message by DM');
    }
  }
}

import type { webApi } from '@slack/bolt';
import type { Conversation } from '../../chat/context.js';
import type { PostedMessage, Sender } from '../../chat/outbox.js';
import type { FileAttachment, Message } from '../../chat/reply.js';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from './blocks.js';
import type { SlackPeople } from './people.js';
import type { ResponseUrls } from './response-url.js';

/** Where a message goes when there is no response_url to answer on. */
export interface ChannelTarget {
  teamId: string;
  channelId: string;
  threadTs?: string | undefined;
  /** The user a private message is shown to. */
  userId?: string | undefined;
}

const isDm = (channelId: string) => channelId.startsWith('D');

/**
 * Posting through the Web API: messages to channels and threads (ephemeral when private),
 * files through the external upload flow (files.getUploadURLExternal → upload →
 * files.completeUploadExternal, which files.uploadV2 wraps).
 */
export class SlackPoster {
  constructor(
    private readonly deps: {
      client: webApi.WebClient;
      people: SlackPeople;
      render: (m: Message) => SlackMessage;
      logger: Logger;
    },
  ) {}

  render(m: Message): SlackMessage {
    return this.deps.render(m);
  }

  /** Posts to a channel (ephemeral when private); returns the message when it can be edited later (not ephemeral). */
  async toChannel(to: ChannelTarget, m: Message): Promise<PostedMessage | undefined> {
    const { client } = this.deps;
    const { text, blocks } = this.render(m);
    const thread = to.threadTs ? { thread_ts: to.threadTs } : {};
    let posted: PostedMessage | undefined;
    // In a DM only the user sees the message anyway, and ephemeral DMs vanish on reload.
    if (m.private && to.userId && !isDm(to.channelId)) {
      await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, text, blocks, ...thread });
    } else {
      const res = await client.chat.postMessage({ channel: to.channelId, text, blocks, unfurl_links: false, unfurl_media: false, ...thread });
      if (res.ts) posted = { platform: 'slack', channelId: res.channel ?? to.channelId, messageId: res.ts };
    }
    await this.files(to, m);
    return posted;
  }

  async update(posted: PostedMessage, m: Message): Promise<void> {
    const { text, blocks } = this.render(m);
    await this.deps.client.chat.update({ channel: posted.channelId, ts: posted.messageId, text, blocks });
  }

  /**
   * Uploads a message's files next to it. Files cannot be ephemeral, so a private message's files
   * go to the user's DM with the app; a channel the app may not upload to falls back to the DM too.
   */
  async files(to: ChannelTarget, m: Message): Promise<void> {
    const files = m.files ?? [];
    if (!files.length) return;
    const dm = to.userId ? () => this.deps.people.dmChannel(to.teamId, to.userId!) : undefined;
    const first = m.private && dm ? await dm() : to.channelId;
    try {
      await this.upload(first, first === to.channelId ? to.threadTs : undefined, files);
    } catch (err) {
      if (!dm || isDm(first)) {
        this.deps.logger.warn({ err, channel: first }, 'file upload failed');
        return;
      }
      this.deps.logger.warn({ err, channel: first }, 'file upload to the channel failed; sending to the DM');
      try {
        await this.upload(await dm(), undefined, files);
      } catch (err2) {
        this.deps.logger.warn({ err: err2 }, 'file upload to the DM failed');
      }
    }
  }

  private async upload(channelId: string, threadTs: string | undefined, files: FileAttachment[]): Promise<void> {
    await this.deps.client.filesUploadV2({
      channel_id: channelId,
      ...(threadTs && { thread_ts: threadTs }),
      file_uploads: files.map((f) => ({ file: f.data, filename: f.name, title: f.name, ...(f.description && { alt_text: f.description }) })),
    });
  }
}

/**
 * The Outbox's way into Slack, for posts that are not a direct answer: daily lessons go to their
 * channel; a code result replaces its "queued…" reply through the response_url while that is
 * still valid (30 minutes), and is posted to the channel (in the thread) otherwise.
 */
export class SlackSender implements Sender {
  constructor(
    private readonly deps: {
      poster: SlackPoster;
      responseUrls: ResponseUrls;
      logger: Logger;
      /** Called after a delivery to a user, e.g. to refresh their App Home. */
      onDelivered?: (teamId: string, userId: string) => void;
    },
  ) {}

  async deliver(to: Conversation, message: Message, opts?: { replaceOriginal?: boolean }): Promise<PostedMessage | undefined> {
    const { poster, responseUrls, logger } = this.deps;
    const target: ChannelTarget = { teamId: to.workspaceId, channelId: to.channelId, threadTs: to.threadId, userId: to.userId };
    let done = false;
    if (opts?.replaceOriginal && to.handle && (to.handleExpiresAt ?? 0) > Date.now()) {
      try {
        await responseUrls.post(to.handle, { replace_original: true, ...poster.render(message) });
        await poster.files(target, message);
        done = true;
      } catch (err) {
        logger.warn({ err, channel: to.channelId }, 'response_url refused the result; posting to the channel instead');
      }
    }
    // Errors from here on reach the caller, which retries (a code result stays undelivered until then).
    const posted = done ? undefined : await poster.toChannel(target, message);
    if (to.userId) this.deps.onDelivered?.(to.workspaceId, to.userId);
    return posted;
  }

  edit(posted: PostedMessage, message: Message): Promise<void> {
    return this.deps.poster.update(posted, message);
  }
}

import type { Conversation, Platform } from './context.js';
import type { Message } from './reply.js';

/** A message the bot posted, as its platform names it: enough to edit it later. */
export interface PostedMessage {
  platform: Platform;
  channelId: string;
  messageId: string;
  /**
   * Adapter-specific way in while it lasts (a Discord interaction webhook), and until when; after
   * that the adapter edits the message its own way (the bot token).
   */
  handle?: string;
  handleExpiresAt?: number;
}

/** How a platform adapter posts outside a direct reply (daily lessons, code results) and edits what it posted. */
export interface Sender {
  /**
   * Posts `message` to the conversation. With `replaceOriginal`, edits the reply the conversation's
   * handle points at (e.g. a deferred "queued…" reply) while the handle is still valid, and posts
   * to the channel otherwise. Returns the message posted (its first part), when the platform says.
   */
  deliver(to: Conversation, message: Message, opts?: { replaceOriginal?: boolean }): Promise<PostedMessage | undefined>;
  /** Replaces a message posted before (a countdown, a reveal, a board kept up to date). */
  edit(posted: PostedMessage, message: Message): Promise<void>;
}

/** Where the platform references of live messages are kept (by their `live` key), across restarts. */
export interface LiveMessages {
  remember(key: string, posted: PostedMessage): void;
  find(key: string): PostedMessage | undefined;
}

export class Outbox {
  private readonly senders = new Map<Platform, Sender>();

  constructor(private readonly live?: LiveMessages) {}

  register(platform: Platform, sender: Sender): void {
    this.senders.set(platform, sender);
  }

  has(platform: Platform): boolean {
    return this.senders.has(platform);
  }

  private sender(platform: Platform): Sender {
    const sender = this.senders.get(platform);
    if (!sender) throw new Error(`no ${platform} connection is running`);
    return sender;
  }

  async deliver(to: Conversation, message: Message, opts?: { replaceOriginal?: boolean }): Promise<PostedMessage | undefined> {
    const posted = await this.sender(to.platform).deliver(to, message, opts);
    if (posted && message.live) this.live?.remember(message.live, posted);
    return posted;
  }

  /** Records where a live message went when an adapter posted it as a direct reply. */
  noteLive(key: string, posted: PostedMessage): void {
    this.live?.remember(key, posted);
  }

  /** Whether a live message of that key has been posted (and where is known). */
  hasLive(key: string): boolean {
    return this.live?.find(key) !== undefined;
  }

  /** Replaces a live message by its key; false when it is not known (never posted, or posted by a platform not running). */
  async editLive(key: string, message: Message): Promise<boolean> {
    const posted = this.live?.find(key);
    if (!posted || !this.senders.has(posted.platform)) return false;
    await this.sender(posted.platform).edit(posted, { ...message, live: key });
    return true;
  }
}

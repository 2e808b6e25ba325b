import type { Conversation, Platform } from './context.js';
import type { Message } from './reply.js';

/** How a platform adapter posts outside a direct reply: daily lessons, code results. */
export interface Sender {
  /**
   * Posts `message` to the conversation. With `replaceOriginal`, edits the reply the conversation's
   * handle points at (e.g. a deferred "queued…" reply) while the handle is still valid, and posts
   * to the channel otherwise.
   */
  deliver(to: Conversation, message: Message, opts?: { replaceOriginal?: boolean }): Promise<void>;
}

export class Outbox {
  private readonly senders = new Map<Platform, Sender>();

  register(platform: Platform, sender: Sender): void {
    this.senders.set(platform, sender);
  }

  has(platform: Platform): boolean {
    return this.senders.has(platform);
  }

  async deliver(to: Conversation, message: Message, opts?: { replaceOriginal?: boolean }): Promise<void> {
    const sender = this.senders.get(to.platform);
    if (!sender) throw new Error(`no ${to.platform} connection is running to deliver to ${to.channelId}`);
    await sender.deliver(to, message, opts);
  }
}

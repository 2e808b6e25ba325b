import type { Conversation } from '../../src/chat/context.js';
import type { PostedMessage, Sender } from '../../src/chat/outbox.js';
import { plainText, type Message } from '../../src/chat/reply.js';

/** A platform sender that keeps what it was asked to post (used where no chat platform is under test). */
export class RecordingSender implements Sender {
  readonly posts: { to: Conversation; message: Message; text: string; replaceOriginal: boolean; messageId: string }[] = [];
  /** Edits of messages posted before, in order. */
  readonly edits: { posted: PostedMessage; message: Message; text: string }[] = [];
  /** How many of the next deliveries fail, as a platform refusing a post would (e.g. Missing Access). */
  failing = 0;

  async deliver(to: Conversation, message: Message, opts?: { replaceOriginal?: boolean }): Promise<PostedMessage | undefined> {
    if (this.failing > 0) {
      this.failing--;
      throw new Error('Missing Access');
    }
    const messageId = String(this.posts.length + 1);
    this.posts.push({ to, message, text: plainText(message), replaceOriginal: Boolean(opts?.replaceOriginal), messageId });
    return { platform: to.platform, channelId: to.channelId, messageId };
  }

  async edit(posted: PostedMessage, message: Message): Promise<void> {
    this.edits.push({ posted, message, text: plainText(message) });
  }

  /** Resolves once `n` posts have arrived. */
  async waitFor(n: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.posts.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} posts, got ${this.posts.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { LiveMessages, PostedMessage } from '../chat/outbox.js';
import type { Db } from '../db/index.js';
import { liveMessages } from '../db/schema.js';
import type { Clock } from '../time.js';

const postedSchema = z.object({
  platform: z.enum(['terminal', 'discord', 'slack']),
  channelId: z.string(),
  messageId: z.string(),
  handle: z.string().optional(),
  handleExpiresAt: z.number().optional(),
});

/** Live messages' platform references in SQLite: a restart can still edit what was posted before it. */
export class StoredLiveMessages implements LiveMessages {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  remember(key: string, posted: PostedMessage): void {
    const values = { posted: JSON.stringify(posted), updatedAt: this.clock.now() };
    this.db
      .insert(liveMessages)
      .values({ key, ...values })
      .onConflictDoUpdate({ target: liveMessages.key, set: values })
      .run();
  }

  find(key: string): PostedMessage | undefined {
    const row = this.db.select().from(liveMessages).where(eq(liveMessages.key, key)).get();
    if (!row) return undefined;
    const parsed = postedSchema.safeParse(JSON.parse(row.posted));
    return parsed.success ? (parsed.data as PostedMessage) : undefined;
  }
}

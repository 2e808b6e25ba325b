import type { Outbox } from '../chat/outbox.js';
import type { Message } from '../chat/reply.js';
import type { Content } from '../content/types.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { renderOutcome, type Limits } from './render.js';
import { conversationOf, dropReplyHandles, getSubmission, markDelivered, outcomeOf, type Submission } from './submissions.js';

export interface DeliveryDeps {
  db: Db;
  content: Content;
  outbox: Outbox;
  logger: Logger;
  limits: Limits;
  now: () => number;
}

/** The key under which the message about a submission is remembered (where it was posted). */
export function runMessageKey(id: string): string {
  return `run:${id}`;
}

const FIRST_RETRY_MS = 2_000;
const LAST_RETRY_MS = 5 * 60_000;

/**
 * Posts results at least once and shows each once. A result counts as delivered only after the
 * platform has accepted the post; until then it is retried with backoff, by the next
 * reconciliation (after a restart too). Every message about a submission goes under one live key:
 * once a post's platform id is stored, a retry, or a result replacing an earlier notice, edits
 * that message instead of posting another.
 */
export class Deliveries {
  private readonly posting = new Set<string>();
  private readonly retries = new Map<string, { failures: number; nextAt: number }>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Posts a stored result unless it is being posted already or waits for its next retry. */
  async result(s: Submission, opts: { force?: boolean } = {}): Promise<void> {
    const { deps } = this;
    const outcome = outcomeOf(s);
    if (!outcome || s.deliveredAt !== null) return;
    const to = conversationOf(s);
    if (!deps.outbox.has(to.platform)) return; // that platform is not running in this process
    const retry = this.retries.get(s.id);
    if (!opts.force && retry && deps.now() < retry.nextAt) return;
    if (this.posting.has(s.id)) return;
    this.posting.add(s.id);
    try {
      await this.post(s, renderOutcome(s, outcome, deps.limits, deps.content));
      markDelivered(deps.db, s.id, deps.now());
      dropReplyHandles(deps.db, { id: s.id });
      this.retries.delete(s.id);
    } catch (err) {
      const failures = (retry?.failures ?? 0) + 1;
      const wait = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
      this.retries.set(s.id, { failures, nextAt: deps.now() + wait });
      deps.logger.warn({ err, submission: s.id, failures, retryInMs: wait }, 'posting a result failed; will retry');
    } finally {
      this.posting.delete(s.id);
    }
  }

  /** Shows a notice about a submission still waiting (its place in the queue), where its result will appear. */
  async notice(s: Submission, message: Message): Promise<void> {
    const to = conversationOf(s);
    if (!this.deps.outbox.has(to.platform) || this.posting.has(s.id)) return;
    this.posting.add(s.id);
    try {
      // A result stored meanwhile must not be covered by the notice; one stored while the notice
      // is on its way finds it posting and is posted by the next reconciliation, after it.
      if (getSubmission(this.deps.db, s.id)?.status !== 'queued') return;
      await this.post(s, message);
    } catch (err) {
      this.deps.logger.warn({ err, submission: s.id }, 'posting a queue notice failed');
    } finally {
      this.posting.delete(s.id);
    }
  }

  private async post(s: Submission, message: Message): Promise<void> {
    const key = runMessageKey(s.id);
    const live = { ...message, live: key };
    if (await this.deps.outbox.editLive(key, live)) return;
    await this.deps.outbox.deliver(conversationOf(s), live, { replaceOriginal: true });
  }
}

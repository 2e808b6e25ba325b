import type { Outbox } from '../chat/outbox.js';
import type { Content } from '../content/types.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { renderOutcome, type Limits } from './render.js';
import { claimDelivery, conversationOf, dropReplyHandles, outcomeOf, releaseDelivery, type Submission } from './submissions.js';

export interface DeliveryDeps {
  db: Db;
  content: Content;
  outbox: Outbox;
  logger: Logger;
  limits: Limits;
  now: () => number;
}

/**
 * Posts a stored result. The delivery is claimed in the database first, so the live event and a
 * reconciliation pass racing on the same result post it once; a failed post is released for a
 * later retry.
 */
export async function deliverResult(deps: DeliveryDeps, s: Submission): Promise<void> {
  const outcome = outcomeOf(s);
  if (!outcome) return;
  const to = conversationOf(s);
  if (!deps.outbox.has(to.platform)) return; // that platform is not running in this process
  if (!claimDelivery(deps.db, s.id, deps.now())) return;
  try {
    await deps.outbox.deliver(to, renderOutcome(s, outcome, deps.limits, deps.content), { replaceOriginal: true });
    dropReplyHandles(deps.db, { id: s.id });
  } catch (err) {
    releaseDelivery(deps.db, s.id);
    deps.logger.warn({ err, submission: s.id }, 'posting a result failed; will retry');
  }
}

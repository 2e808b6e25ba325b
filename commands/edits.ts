import type { Services } from '../src/services.js';

/**
 * Nonessential edits (a count of answers, a pinned board) per workspace per minute: well inside
 * Slack's chat.update tier (about 50 a minute per workspace) and Discord's per-channel limits, with
 * room left for the edits that must happen (reveals, countdowns).
 */
export const EDITS_PER_MINUTE = 30;

/**
 * Edits per channel in five seconds: Discord allows five edits of a channel's messages in five
 * seconds; this keeps two of them free for reveals, countdowns and learners' own clicks.
 */
export const CHANNEL_EDITS = { limit: 3, windowMs: 5000 } as const;

/** The shortest wait before a refused edit is tried again. */
const RETRY_MS = 2000;

/**
 * Whether an edit the bot makes on its own (a count of answers, a pinned board, a reveal when time
 * is up) fits the channel's and the workspace's edit budget now; when not, it is tried again once
 * the budget allows, as the same timer. A learner's own click (Reveal) does not ask.
 */
export async function withinEditBudget(
  services: Services,
  at: { ws: string; channelId: string },
  retry: { kind: string; key: string; data?: Record<string, string | number> },
): Promise<boolean> {
  const now = services.clock.now();
  const { limits } = services;
  const wait =
    (await limits.take(`edits:${at.ws}:${at.channelId}`, CHANNEL_EDITS.limit, now, CHANNEL_EDITS.windowMs)) ||
    (await limits.take(`edits:${at.ws}`, EDITS_PER_MINUTE, now));
  if (wait > 0) await services.timers.throttle(retry.kind, retry.key, Math.max(RETRY_MS, wait), { ws: at.ws, ...retry.data });
  return wait === 0;
}

/** Counts an edit that goes whatever the budget (a round's countdown and reveal), so the optional ones make room for it. */
export async function countEdit(services: Services, at: { ws: string; channelId: string }): Promise<void> {
  await services.limits.take(`edits:${at.ws}:${at.channelId}`, CHANNEL_EDITS.limit, services.clock.now(), CHANNEL_EDITS.windowMs);
}

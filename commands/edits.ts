import type { Services } from '../src/services.js';

/**
 * Nonessential edits (a count of answers, a pinned board) per workspace per minute: well inside
 * Slack's chat.update tier (about 50 a minute per workspace) and Discord's per-channel limits, with
 * room left for the edits that must happen (reveals, countdowns).
 */
export const EDITS_PER_MINUTE = 30;

/** The shortest wait before a refused edit is tried again. */
const RETRY_MS = 2000;

/**
 * Whether a nonessential edit fits the workspace's edit budget now; when not, it is tried again
 * once the budget allows. Reveals and countdowns do not ask: they always go.
 */
export async function withinEditBudget(services: Services, ws: string, retry: { kind: string; key: string }): Promise<boolean> {
  const wait = await services.limits.take(`edits:${ws}`, EDITS_PER_MINUTE, services.clock.now());
  if (wait > 0) await services.timers.throttle(retry.kind, retry.key, Math.max(RETRY_MS, wait), { ws });
  return wait === 0;
}

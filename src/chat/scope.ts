import type { Services } from '../services.js';
import { userTimeZone, workspaceTimeZone } from '../learning/users.js';
import type { ChatContext } from './context.js';
import { workspaceKey } from './context.js';

/** What most handlers need first: the workspace key, the time, and the zones days are counted in. */
export function scope(ctx: ChatContext, services: Services) {
  const ws = workspaceKey(ctx);
  const workspaceZone = workspaceTimeZone(services.db, ws, services.config.defaultTimeZone);
  return {
    ws,
    now: services.clock.now(),
    workspaceZone,
    zone: userTimeZone(services.db, ws, ctx.userId, workspaceZone),
  };
}

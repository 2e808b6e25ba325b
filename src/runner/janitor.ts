import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { DockerClients } from './docker-client.js';
import { DEPLOYMENT_LABEL, RUNNER_LABEL, SANDBOX_LABEL } from './settings.js';

/** Older than this and not running, a container of a dead runner is garbage. */
export const STALE_AFTER_MS = 60_000;

/**
 * Names a deployment by the Redis it uses and the queue it serves (never by the password in the
 * URL): runners of one deployment see each other's heartbeats, so only they may judge who is dead.
 */
export function deploymentId(redisUrl: string, queue: string): string {
  let where = redisUrl;
  try {
    const u = new URL(redisUrl);
    where = `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname || '/0'}`;
  } catch {
    // Not a URL (a socket path): it names the Redis as it is.
  }
  return createHash('sha256').update(`${where}\n${queue}`).digest('hex').slice(0, 16);
}

export interface JanitorScope {
  /** This runner: its own stopped containers are always leftovers. */
  runnerId: string;
  /** Only containers labelled with this deployment are considered. */
  deployment: string;
  /** Whether a runner of this deployment is alive (its heartbeat has not expired). */
  isAlive(runnerId: string): Promise<boolean>;
}

/**
 * Removes stopped sandbox containers of this runner and of this deployment's dead runners (a
 * killed runner cannot remove its own). Running containers are left alone: they belong to a live
 * runner, or their supervisor exits at its deadline or when its stdin closes. Containers of other
 * deployments sharing the engine, and unlabelled ones, are never touched.
 */
export async function removeStaleContainers(
  clients: DockerClients,
  logger: Logger,
  scope: JanitorScope,
  olderThanMs = STALE_AFTER_MS,
): Promise<number> {
  const containers = await clients.control.listContainers({
    all: true,
    filters: { label: [`${SANDBOX_LABEL}=1`, `${DEPLOYMENT_LABEL}=${scope.deployment}`], status: ['created', 'exited', 'dead'] },
  });
  const cutoff = (Date.now() - olderThanMs) / 1000;
  const alive = new Map<string, boolean>();
  const stale: string[] = [];
  for (const c of containers) {
    if (c.Created >= cutoff) continue;
    const owner = c.Labels[RUNNER_LABEL];
    if (owner === undefined) continue;
    if (owner !== scope.runnerId) {
      if (!alive.has(owner)) alive.set(owner, await scope.isAlive(owner));
      if (alive.get(owner)) continue;
    }
    stale.push(c.Id);
  }
  await Promise.allSettled(stale.map((id) => clients.control.getContainer(id).remove({ force: true })));
  if (stale.length) logger.info({ removed: stale.length }, 'removed stale sandbox containers');
  return stale.length;
}

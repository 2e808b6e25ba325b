import type { Logger } from '../logger.js';
import type { DockerClients } from './docker-client.js';
import { SANDBOX_LABEL } from './settings.js';

/** Older than this and not running, a sandbox container is garbage whoever made it. */
export const STALE_AFTER_MS = 60_000;

/**
 * Removes stopped sandbox containers left behind by runners that died (a killed runner cannot
 * remove its own). Running ones are left alone: they belong to a live runner, or their supervisor
 * exits at its deadline or when its stdin closes.
 */
export async function removeStaleContainers(clients: DockerClients, logger: Logger, olderThanMs = STALE_AFTER_MS): Promise<number> {
  const containers = await clients.control.listContainers({
    all: true,
    filters: { label: [`${SANDBOX_LABEL}=1`], status: ['created', 'exited', 'dead'] },
  });
  const cutoff = (Date.now() - olderThanMs) / 1000;
  const stale = containers.filter((c) => c.Created < cutoff);
  await Promise.allSettled(stale.map((c) => clients.control.getContainer(c.Id).remove({ force: true })));
  if (stale.length) logger.info({ removed: stale.length }, 'removed stale sandbox containers');
  return stale.length;
}

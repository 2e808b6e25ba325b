import type { Config } from './config.js';
import type { ReadinessCheck } from './infra/health-server.js';
import { connectRedis, shownRedisUrl } from './infra/redis.js';
import { createDockerClients, pingDocker } from './runner/docker-client.js';
import { SANDBOX_PROTOCOL } from './runner/settings.js';

/**
 * What /readyz and `studybot doctor` check, written once: each answers undefined when fine, or what
 * is missing in words an operator can act on.
 */

/** Redis answers a PING now (a connection of its own that never queues commands while Redis is away). */
export function redisReadiness(url: string): { check: ReadinessCheck; close(): void } {
  const client = connectRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000, lazyConnect: true });
  let connecting: Promise<void> | undefined;
  return {
    async check() {
      try {
        if (client.status === 'wait') {
          connecting ??= client.connect();
          await connecting;
        }
        await client.ping();
        return undefined;
      } catch (err) {
        return `Redis at ${shownRedisUrl(url)} does not answer (${err instanceof Error ? err.message : String(err)})`;
      }
    },
    close: () => client.disconnect(),
  };
}

/** The Docker engine answers, and the sandbox image is on it (with the protocol this runner speaks). */
export function dockerReadiness(settings: Config['runner']): { docker: ReadinessCheck; 'sandbox image': ReadinessCheck } {
  const clients = createDockerClients(settings.dockerHost);
  return {
    async docker() {
      return (await pingDocker(clients)) ? undefined : `the Docker engine at ${clients.describe} does not answer`;
    },
    async 'sandbox image'() {
      if (!(await pingDocker(clients))) return `cannot look for ${settings.image}: the Docker engine does not answer`;
      try {
        const image = await clients.ping.getImage(settings.image).inspect();
        const protocol = image.Config?.Labels?.['studybot.sandbox.protocol'];
        if (protocol !== String(SANDBOX_PROTOCOL)) {
          return `${settings.image} speaks sandbox protocol ${protocol ?? 'none'}, this runner ${SANDBOX_PROTOCOL}: rebuild it (npm run sandbox:build)`;
        }
        return undefined;
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        return status === 404
          ? `the sandbox image ${settings.image} is not on the Docker engine: build it (npm run sandbox:build)`
          : `cannot inspect ${settings.image}: ${err instanceof Error ? err.message : String(err)}`;
      }
    },
  };
}

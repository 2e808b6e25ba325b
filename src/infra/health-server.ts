import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { collectProcessMetrics, registry } from './metrics.js';

/** A readiness check: undefined when fine, otherwise what is missing, in words an operator can act on. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface HealthServer {
  /** The port it listens on (useful with HEALTH_PORT=0 in tests). */
  port: number;
  close(): Promise<void>;
}

/** How long one readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 3_000;

async function runCheck(check: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Health and metrics over HTTP, for orchestrators and Prometheus:
 *   GET /healthz  200 while the process runs (liveness)
 *   GET /readyz   200 when every check passes; 503 with {"status":"unavailable","missing":{name: why}}
 *   GET /metrics  the Prometheus text format
 * Nothing else is served, and nothing here changes state.
 */
export async function startHealthServer(opts: {
  port: number;
  host?: string;
  checks: Record<string, ReadinessCheck>;
  logger: Logger;
}): Promise<HealthServer> {
  collectProcessMetrics();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json', `${JSON.stringify(body)}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'only GET and HEAD' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      void (async () => {
        const names = Object.keys(opts.checks);
        const results = await Promise.all(names.map((name) => runCheck(opts.checks[name]!)));
        const missing = Object.fromEntries(names.flatMap((name, i) => (results[i] === undefined ? [] : [[name, results[i]]])));
        if (Object.keys(missing).length) json(503, { status: 'unavailable', missing });
        else json(200, { status: 'ready', checks: names });
      })();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => send(200, registry.contentType, text),
        (err: unknown) => {
          opts.logger.warn({ err }, 'collecting metrics failed');
          json(500, { error: 'collecting metrics failed' });
        },
      );
      return;
    }
    json(404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: NodeJS.ErrnoException) => {
    throw new Error(
      err.code === 'EADDRINUSE' ? `HEALTH_PORT ${opts.port} is already in use: choose another port` : `HEALTH_PORT ${opts.port}: ${err.message}`,
    );
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info({ port }, 'health and metrics on /healthz, /readyz and /metrics');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MissingServiceError } from './errors.js';
import { connectRedis } from './redis.js';

export { MissingServiceError } from './errors.js';

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** Unix socket paths are limited to ~107 bytes; deep data directories fall back to /tmp. */
function socketPath(dir: string): { socket: string; cleanup?: string } {
  const candidate = path.join(dir, 'redis.sock');
  if (Buffer.byteLength(candidate) < 100) return { socket: candidate };
  const tmp = mkdtempSync(path.join(tmpdir(), 'studybot-'));
  return { socket: path.join(tmp, 'redis.sock'), cleanup: tmp };
}

/**
 * Starts a redis-server of our own (used when REDIS_URL is unset) on a unix socket in the data
 * directory, with an append-only file there so queued work survives a restart (`persist`, the
 * default; tests and benchmarks turn it off). Stopped by `stop()`.
 */
export async function startPrivateRedis(dataDir: string, opts: { persist?: boolean } = {}): Promise<PrivateRedis> {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) {
    throw new MissingServiceError(
      'redis-server is not installed, and REDIS_URL is not set.\n' +
        '  Install it:   apt-get install -y redis-server   (or run: sh scripts/setup.sh)\n' +
        '  or point the bot at a Redis you have:   REDIS_URL=redis://host:6379',
    );
  }
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const { socket, cleanup } = socketPath(dir);
  rmSync(socket, { force: true });
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      opts.persist === false ? 'no' : 'yes',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `unix://${socket}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = connectRedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 50))]);
      if (code !== 'running' || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new MissingServiceError(`redis-server did not start (${stderr.trim() || `exit ${String(code)}`}). Set REDIS_URL to use another Redis.`);
      }
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (cleanup) rmSync(cleanup, { recursive: true, force: true });
    },
  };
}

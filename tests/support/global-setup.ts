import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let redis: ChildProcess | undefined;
let dir: string | undefined;

/**
 * One real redis-server for the whole test run, on a private unix socket. Tests isolate themselves
 * with unique queue names and key prefixes, never with mocks.
 */
export async function setup(project: TestProject): Promise<void> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server is not on PATH: run `sh scripts/setup.sh` (or apt-get install -y redis-server)');
  }
  dir = mkdtempSync(path.join(tmpdir(), 'studybot-test-redis-'));
  const socket = path.join(dir, 'redis.sock');
  redis = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no',
      '--maxmemory-policy', 'noeviction', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `unix://${socket}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(socket, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // expected until the server has created its socket
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      break;
    } catch {
      client.disconnect();
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  project.provide('redisUrl', url);
}

export async function teardown(): Promise<void> {
  redis?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
}

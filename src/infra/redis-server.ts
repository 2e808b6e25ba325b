import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MissingServiceError } from './errors.js';
import { connectRedis } from './redis.js';

export { MissingServiceError } from './errors.js';

export interface PrivateRedis {
  url: string;
  /** The redis-server's process id. */
  pid: number;
  /** A redis-server an earlier bot left running on this data directory, stopped before this one started. */
  replaced?: { pid: number | undefined; botPid: number | undefined };
  stop(): Promise<void>;
}

/** Who runs the private Redis of a data directory: written when it starts, removed when it stops. */
interface Owner {
  bot: number;
  redis: number;
}

/**
 * The socket of a data directory's private Redis. Unix socket paths are limited to ~107 bytes; a
 * deep data directory gets one under /tmp named after it, so a later start finds it again.
 */
function socketPath(dir: string): string {
  const candidate = path.join(dir, 'redis.sock');
  if (Buffer.byteLength(candidate) < 100) return candidate;
  const id = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
  return path.join(tmpdir(), `studybot-redis-${id}`, 'redis.sock');
}

function readOwner(file: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof o.bot === 'number' && typeof o.redis === 'number' ? { bot: o.bot, redis: o.redis } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What doctor shows: whether a bot's private Redis is running on this data directory, and for whom. */
export function privateRedisStatus(dataDir: string): { socket: string; url: string; running: boolean; botPid: number | undefined } {
  const dir = path.join(dataDir, 'redis');
  const socket = socketPath(dir);
  const owner = readOwner(path.join(dir, 'owner.json'));
  const running = existsSync(socket) && owner !== undefined && alive(owner.bot) && alive(owner.redis);
  return { socket, url: `unix://${socket}`, running, botPid: running ? owner?.bot : undefined };
}

async function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const probe = connectRedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Before starting: a redis-server still answering on this data directory's socket belongs either to
 * a bot that is running (refuse: two bots must not share one data directory) or to one that died
 * without stopping it (stop it: it flushes its append-only file on the way out, and ours replaces it).
 */
async function takeOver(dir: string, socket: string): Promise<PrivateRedis['replaced']> {
  const ownerFile = path.join(dir, 'owner.json');
  const owner = readOwner(ownerFile);
  const url = `unix://${socket}`;
  if (!existsSync(socket) || !(await answers(url))) {
    rmSync(socket, { force: true });
    return undefined;
  }
  if (owner && owner.bot !== process.pid && alive(owner.bot)) {
    throw new MissingServiceError(
      `Another studybot (pid ${owner.bot}) is running with this data directory (${path.dirname(dir)}).\n` +
        '  Stop it first, or give this one its own DATA_DIR (or a shared REDIS_URL).',
    );
  }
  const client = connectRedis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  await client.call('SHUTDOWN').catch(() => undefined);
  client.disconnect();
  const deadline = Date.now() + 10_000;
  while ((await answers(url, 500)) && Date.now() < deadline) await sleep(100);
  if (await answers(url, 500)) {
    if (owner && alive(owner.redis)) process.kill(owner.redis, 'SIGKILL');
    await sleep(200);
  }
  rmSync(socket, { force: true });
  rmSync(ownerFile, { force: true });
  return { pid: owner?.redis, botPid: owner?.bot };
}

/**
 * The redis-server runs under a small shell whose stdin is a pipe from this process. However this
 * process ends (a clean exit, a crash, SIGKILL), the kernel closes that pipe; the shell reads end of
 * input, stops redis-server with SIGTERM (which flushes the append-only file) and waits for it. No
 * supervisor or exit handler is involved. The shell runs in its own process group, so a Ctrl-C in
 * the terminal reaches the bot, which then stops Redis last, after everything that uses it.
 */
const WATCHDOG = `"$@" &
pid=$!
while read -r _; do :; done
kill -TERM "$pid" 2>/dev/null
wait "$pid"`;

/**
 * Starts a redis-server of our own (used when REDIS_URL is unset) on a unix socket in the data
 * directory, with an append-only file there so queued work survives a restart (`persist`, the
 * default; tests and benchmarks turn it off). It lives exactly as long as this process (see
 * WATCHDOG); one left behind by an earlier bot is stopped first.
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
  const socket = socketPath(dir);
  mkdirSync(path.dirname(socket), { recursive: true, mode: 0o700 });
  const replaced = await takeOver(dir, socket);
  const args = [
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
  ];
  const child: ChildProcess = spawn('sh', ['-c', WATCHDOG, 'studybot-redis', 'redis-server', ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  // The pipe is only there to be closed: nothing is written to it, and an early exit must not throw.
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `unix://${socket}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await answers(url, 500)) break;
    const code = await Promise.race([exited, sleep(50).then(() => 'running' as const)]);
    if (code !== 'running' || Date.now() > deadline) {
      child.stdin?.end();
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      throw new MissingServiceError(`redis-server did not start (${stderr.trim() || `exit ${String(code)}`}). Set REDIS_URL to use another Redis.`);
    }
  }
  const info = connectRedis(url, { maxRetriesPerRequest: 1 });
  const pid = Number((await info.info('server')).match(/process_id:(\d+)/)?.[1]);
  info.disconnect();
  const ownerFile = path.join(dir, 'owner.json');
  writeFileSync(ownerFile, `${JSON.stringify({ bot: process.pid, redis: pid } satisfies Owner)}\n`);
  // The shell and redis-server never keep this process alive on their own.
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  (child.stdin as { unref?: () => void } | null)?.unref?.();
  return {
    url,
    pid,
    ...(replaced && { replaced }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        await Promise.race([exited, sleep(10_000)]);
        if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      }
      if (readOwner(ownerFile)?.bot === process.pid) rmSync(ownerFile, { force: true });
      rmSync(socket, { force: true });
    },
  };
}

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../src/infra/redis-server.js';
import { connectRedis } from '../../src/infra/redis.js';
import { FIXTURE_CONTENT } from '../support/app.js';
import { alive, gone, ownerOf, ROOT, startCli, type Running } from './processes.js';

/**
 * The bot's private redis-server (REDIS_URL unset) lives exactly as long as the bot, however the bot
 * ends; one left over by an older bot is stopped at the next start, never run twice on one directory.
 */
const dirs: string[] = [];
const running: Running[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-own-redis-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop(5_000)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function bot(dataDir: string): Running {
  const r = startCli(['start', '--user', 'ada'], { REDIS_URL: undefined, DATA_DIR: dataDir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false' });
  running.push(r);
  return r;
}

async function ownerWhenUp(dataDir: string, b: Running): Promise<{ bot: number; redis: number }> {
  await b.waitFor(/terminal chat as ada/);
  const owner = ownerOf(dataDir);
  expect(owner).toBeDefined();
  expect(alive(owner!.redis)).toBe(true);
  return owner!;
}

describe('the private redis-server', { timeout: 180_000 }, () => {
  it('dies with a bot killed with SIGKILL, and the next start finds the queued data', async () => {
    const dir = tempDir();
    const first = bot(dir);
    const owner = await ownerWhenUp(dir, first);
    const client = connectRedis(`unix://${path.join(dir, 'redis', 'redis.sock')}`);
    await client.set('studybot:test:kept', 'yes');
    client.disconnect();

    process.kill(owner.bot, 'SIGKILL');
    expect(await gone(owner.redis)).toBe(true);
    await first.stop(1_000);

    const second = bot(dir);
    const next = await ownerWhenUp(dir, second);
    expect(next.redis).not.toBe(owner.redis);
    const again = connectRedis(`unix://${path.join(dir, 'redis', 'redis.sock')}`);
    expect(await again.get('studybot:test:kept')).toBe('yes');
    again.disconnect();
    second.child.stdin.end();
    expect(await second.exited).toBe(0);
    expect(await gone(next.redis)).toBe(true);
  });

  it('dies with a process that crashes on an uncaught exception', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'crash.mts');
    writeFileSync(
      script,
      `import { startPrivateRedis } from ${JSON.stringify(path.join(ROOT, 'src/infra/redis-server.ts'))};
const redis = await startPrivateRedis(${JSON.stringify(dir)});
process.stdout.write(String(redis.pid) + '\\n');
setTimeout(() => { throw new Error('boom'); }, 200);
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toContain('boom');
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('ends the chat cleanly when nobody reads stdout any more (studybot start | head -1), and stops Redis', async () => {
    const dir = tempDir();
    const b = bot(dir);
    const owner = await ownerWhenUp(dir, b);
    // What `head -1` does once it has its line: close the reading end of the pipe.
    b.child.stdout.destroy();
    b.child.stdin.write('/lesson\n/quiz\n/streak\n');
    expect(await b.exited).toBe(0);
    expect(b.stderr()).not.toMatch(/EPIPE|Error:/);
    expect(await gone(owner.redis)).toBe(true);
    expect(existsSync(path.join(dir, 'redis', 'owner.json'))).toBe(false);
  });

  it('stops a redis-server an earlier bot left running on the data directory, keeping its data', async () => {
    const dir = tempDir();
    const redisDir = path.join(dir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    const socket = path.join(redisDir, 'redis.sock');
    // As a bot of an older version left it: started on the socket, owned by a process long gone.
    const leftover = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--dir', redisDir, '--appendonly', 'yes', '--save', ''], {
      detached: true,
      stdio: 'ignore',
    });
    leftover.unref();
    const url = `unix://${socket}`;
    await expect.poll(() => existsSync(socket), { timeout: 10_000 }).toBe(true);
    const client = connectRedis(url);
    await client.set('studybot:test:queued', 'job-1');
    client.disconnect();
    writeFileSync(path.join(redisDir, 'owner.json'), JSON.stringify({ bot: 2 ** 22 + 1, redis: leftover.pid }));

    const redis = await startPrivateRedis(dir);
    try {
      expect(redis.replaced).toEqual({ pid: leftover.pid, botPid: 2 ** 22 + 1 });
      expect(await gone(leftover.pid!)).toBe(true);
      expect(redis.pid).not.toBe(leftover.pid);
      const fresh = connectRedis(redis.url);
      expect(await fresh.get('studybot:test:queued')).toBe('job-1');
      fresh.disconnect();
    } finally {
      await redis.stop();
    }
    expect(await gone(redis.pid)).toBe(true);
  });

  it('refuses to start a second one for a data directory whose bot is still running', async () => {
    const dir = tempDir();
    const first = await startPrivateRedis(dir, { persist: false });
    try {
      // owner.json names this test process: alive, and not the one starting now from its point of view.
      writeFileSync(path.join(dir, 'redis', 'owner.json'), JSON.stringify({ bot: process.ppid, redis: first.pid }));
      await expect(startPrivateRedis(dir, { persist: false })).rejects.toThrow(
        `Another studybot (pid ${process.ppid}) is running with this data directory (${dir})`,
      );
      expect(alive(first.pid)).toBe(true);
    } finally {
      await first.stop();
    }
  });
});

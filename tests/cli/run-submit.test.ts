import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT, sandboxEnv } from '../support/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { startRunner } from '../../src/runner/index.js';
import { runCli } from '../support/cli.js';
import { startPrivateRedis } from '../../src/infra/redis-server.js';
import { testRedisUrl, uniqueName } from '../support/redis.js';

const dir = mkdtempSync(path.join(tmpdir(), 'studybot-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

// Each invocation is a whole bot with an in-process runner, on its own queue, through real Redis and Docker.
const env = () => ({
  REDIS_URL: testRedisUrl(),
  DATA_DIR: path.join(dir, uniqueName('data')),
  CONTENT_DIR: FIXTURE_CONTENT,
  SANDBOX_POOL_SIZE: '0',
});

describe('studybot run / submit', { timeout: 180_000 }, () => {
  it('runs a file with stdin through the queue and sandbox and prints JSON', async () => {
    const code = file('greet.py', 'name = input()\nprint(f"hello {name}")\n');
    const stdin = file('in.txt', 'Ada\n');
    const r = await runCli(['run', code, '--stdin', stdin, '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { kind: string; status: string; stdout: string; exitCode: number };
    expect(result).toMatchObject({ kind: 'run', status: 'ok', stdout: 'hello Ada\n', exitCode: 0 });
  });

  it('prints a readable result and exits 1 when the program fails', async () => {
    const r = await runCli(['run', file('boom.py', 'raise SystemExit(3)\n')], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/❌ Exited with code 3 after \d+ ms/);
  });

  it('grades a solution against a challenge', async () => {
    const good = await runCli(['submit', 'add-two', file('good.py', 'def add(a, b):\n    return a + b\n')], { env: env() });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/── Challenge: Add two numbers ──\n✅ All 3 tests passed!/);
    const bad = await runCli(['submit', 'add-two', file('bad.py', 'def add(a, b):\n    return a * b\n'), '--json'], { env: env() });
    expect(bad.code).toBe(1);
    const result = JSON.parse(bad.stdout) as { passed: boolean; cases: { name: string; passed: boolean; hidden: boolean; expected?: string }[] };
    expect(result.passed).toBe(false);
    expect(result.cases.find((c) => c.name === 'small numbers')).toMatchObject({ passed: false, expected: '3' });
    // Hidden cases never reveal their expected output.
    expect(result.cases.filter((c) => c.hidden).every((c) => c.expected === undefined)).toBe(true);
  });

  it('says what is wrong with bad arguments', async () => {
    expect((await runCli(['run'], { env: env() })).stderr).toMatch(/Usage: studybot run FILE/);
    const missing = await runCli(['run', path.join(dir, 'nope.py')], { env: env() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No such file: .*nope\.py/);
    const unknown = await runCli(['submit', 'no-such-challenge', file('x.py', 'x = 1\n')], { env: env() });
    expect(unknown.stderr).toMatch(/There is no challenge "no-such-challenge"/);
  });
});

describe('studybot run behind a backlog', { timeout: 180_000 }, () => {
  it('waits past RUN_RESULT_TIMEOUT_SECONDS for a run that is still queued, then prints the real result', async () => {
    // A Redis of its own with one runner taking one run at a time, so the second invocation's run
    // waits behind the first's, longer than the timeout, on a queue no other test's runner serves.
    const redis = await startPrivateRedis(path.join(dir, uniqueName('redis')), { persist: false });
    const shared = { ...env(), REDIS_URL: redis.url, RUNNER: 'false', RUN_RESULT_TIMEOUT_SECONDS: '5', SANDBOX_TIMEOUT_SECONDS: '12' };
    const config = loadConfig({ ...shared, RUNNER_CONCURRENCY: '1', ...sandboxEnv() });
    const runner = await startRunner({ config, logger: silentLogger, redisUrl: redis.url });
    try {
      const first = runCli(['run', file('slow.py', 'import time\ntime.sleep(9)\nprint("first")\n')], {
        env: { ...shared, DATA_DIR: path.join(dir, uniqueName('a')) },
      });
      await new Promise((r) => setTimeout(r, 2000));
      const second = runCli(['run', file('later.py', 'print("second, for real")\n')], {
        env: { ...shared, DATA_DIR: path.join(dir, uniqueName('b')) },
      });
      const [a, b] = await Promise.all([first, second]);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toMatch(/first/);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toMatch(/second, for real/);
    } finally {
      await runner.close();
      await redis.stop();
    }
  });
});

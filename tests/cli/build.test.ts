import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { decodePng } from '../support/png.js';
import { testRedisUrl } from '../support/redis.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-build-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// The production build: what `npm start`, `studybot worker` and the Docker image run.
describe('npm run build: the compiled bot', { timeout: 240_000 }, () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });

  it('is one entry file with the rest in chunks, and carries the migrations and the sandbox recipe', () => {
    expect(existsSync(path.join(ROOT, 'dist/src/cli.js'))).toBe(true);
    const chunks = readdirSync(path.join(ROOT, 'dist/src/chunks')).filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(2);
    // Nothing under dist/ is a per-module copy of src/: the modules are bundled.
    expect(existsSync(path.join(ROOT, 'dist/src/app.js'))).toBe(false);
    expect(readdirSync(path.join(ROOT, 'dist/src/db/migrations')).some((f) => f.endsWith('.sql'))).toBe(true);
    expect(readFileSync(path.join(ROOT, 'dist/docker/sandbox/python-packages.txt'), 'utf8')).toEqual(
      readFileSync(path.join(ROOT, 'docker/sandbox/python-packages.txt'), 'utf8'),
    );
    // The transports dockerode would load for ssh:// hosts and BuildKit are left out of the entry.
    expect(statSync(path.join(ROOT, 'dist/src/cli.js')).size).toBeLessThan(1_500_000);
  });

  it('runs the terminal chat end to end: migrations, a quiz, code in the sandbox, a picture', async () => {
    const dir = dataDir();
    const r = await runCli(['start', '--user', 'ada'], {
      compiled: true,
      input: ['/quiz alpha', '1', '/run print(6 * 7)', '/progress'].join('\n') + '\n',
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: dir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'true', SANDBOX_POOL_SIZE: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/── Quiz ──/);
    expect(r.stdout).toMatch(/│ 1 │ 42/);
    const saved = /🖼 {2}Picture saved to (.+progress\.png)$/m.exec(r.stdout)?.[1];
    expect(saved).toBe(path.join(dir, 'pictures', 'progress.png'));
    expect(decodePng(readFileSync(saved!)).width).toBe(800);
  });

  it('says what is wrong with the configuration, as the sources do', async () => {
    const r = await runCli(['start'], { compiled: true, env: { REDIS_URL: 'http://nope' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REDIS_URL="http://nope": expected a URL starting with redis:// or rediss:// or unix://');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { FakeDiscord } from '../discord/fake-discord.js';
import { freePort, type Running, startCli } from '../infra/processes.js';
import { SlackDriver, shown } from '../slack/driver.js';
import { ada, BOT_TOKEN, SIGNING_SECRET, TEAM } from '../slack/harness.js';
import { SlackRecorder } from '../slack/recorder.js';
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

/** Waits until the bot's /readyz answers 200: its platform is connected and it serves. */
async function readyz(port: number, bot: Running): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the compiled bot never became ready.\nstderr:\n${bot.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
      input: `${['/quiz alpha', '1', '/run print(6 * 7)', '/progress'].join('\n')}\n`,
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: dir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'true', SANDBOX_POOL_SIZE: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/── Quiz ──/);
    expect(r.stdout).toMatch(/│ 1 │ 42/);
    const saved = /🖼 {2}Picture saved to (.+progress\.png)$/m.exec(r.stdout)?.[1];
    expect(saved).toBe(path.join(dir, 'pictures', 'progress.png'));
    expect(decodePng(readFileSync(saved!)).width).toBe(800);
  });

  it('serves Discord: the compiled deployer registers the commands, and a slash command is answered over the gateway', async () => {
    const fake = await FakeDiscord.start();
    const env = {
      REDIS_URL: testRedisUrl(),
      DATA_DIR: dataDir(),
      CONTENT_DIR: FIXTURE_CONTENT,
      RUNNER: 'false',
      DISCORD_TOKEN: fake.token,
      DISCORD_APP_ID: fake.appId,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: fake.apiUrl,
    };
    let bot: Running | undefined;
    try {
      const deployed = await runCli(['discord:deploy'], { compiled: true, env });
      expect(deployed.code, deployed.stderr).toBe(0);
      const health = await freePort();
      bot = startCli(['start'], { ...env, HEALTH_PORT: String(health) }, { compiled: true, devNull: true });
      await readyz(health, bot);
      const sent = fake.slash(fake.users.ada, 'quiz', {});
      await fake.callback(sent);
      // The quiz itself: in the callback, or an edit of the deferred reply.
      await fake.waitFor((c) => c.path.includes(sent.token) && JSON.stringify(c.body ?? '').includes('Quiz'));
      expect(fake.identifies).toHaveLength(1);
    } finally {
      await bot?.stop();
      await fake.close();
    }
  });

  it('serves Slack: a signed /study quiz posts the question through the Web API (a local recorder)', async () => {
    const recorder = await SlackRecorder.start({ botToken: BOT_TOKEN, teamId: TEAM, users: [ada] });
    const port = await freePort();
    const health = await freePort();
    const bot = startCli(
      ['start'],
      {
        REDIS_URL: testRedisUrl(),
        DATA_DIR: dataDir(),
        CONTENT_DIR: FIXTURE_CONTENT,
        RUNNER: 'false',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_PORT: String(port),
        SLACK_API_URL: recorder.apiUrl.replace(/\/$/, ''),
        HEALTH_PORT: String(health),
      },
      { compiled: true, devNull: true },
    );
    try {
      await readyz(health, bot);
      const driver = new SlackDriver(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, recorder);
      const sent = await driver.command(ada, 'quiz');
      expect(sent.status).toBe(200);
      // A quiz is posted to the channel for everyone to answer.
      const quiz = await recorder.waitForVisible('the quiz', (v) => v.via === 'chat.postMessage' && v.channel === 'C0GENERAL');
      expect(shown(quiz)).toMatch(/Quiz/);
    } finally {
      await bot.stop();
      await recorder.close();
    }
  });

  it('says what is wrong with the configuration, as the sources do', async () => {
    const r = await runCli(['start'], { compiled: true, env: { REDIS_URL: 'http://nope' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REDIS_URL="http://nope": expected a URL starting with redis:// or rediss:// or unix://');
  });
});

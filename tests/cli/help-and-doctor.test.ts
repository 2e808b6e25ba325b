import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { testRedisUrl } from '../support/redis.js';
import { ensureSandboxImage, testSettings } from '../runner/helpers.js';
import { ROOT, runCliIn } from '../infra/processes.js';

const exec = promisify(execFile);
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-cli-help-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Variables a test machine may have set that would take precedence over a .env file under test. */
const CLEAN: Record<string, undefined> = Object.fromEntries(
  [
    'REDIS_URL',
    'RUNNER',
    'DATA_DIR',
    'DATABASE_PATH',
    'CONTENT_DIR',
    'DOCKER_HOST',
    'HEALTH_PORT',
    'DISCORD_TOKEN',
    'SLACK_BOT_TOKEN',
    'LOG_LEVEL',
  ].map((k) => [k, undefined]),
);

const SUBCOMMANDS = ['start', 'worker', 'run', 'submit', 'doctor', 'sandbox:check', 'content:check', 'boards:rebuild', 'discord:deploy'];

describe('studybot --help', { timeout: 420_000 }, () => {
  it('every subcommand explains itself, with no configuration read and nothing started or created', async () => {
    const cwd = tempDir();
    const data = path.join(cwd, 'data-that-must-not-appear');
    // A configuration the bot would refuse, and no Redis: help needs neither.
    const env = { ...CLEAN, REDIS_URL: 'http://not-redis', DATA_DIR: data, DOCKER_HOST: 'nonsense' };
    // --help for half of them, -h for the others; three processes at a time, since each takes
    // seconds to start on a busy machine.
    const asked = SUBCOMMANDS.map((command, i) => [command, i % 2 ? '-h' : '--help'] as const);
    const answers: Awaited<ReturnType<typeof runCliIn>>[] = [];
    for (let i = 0; i < asked.length; i += 3) {
      answers.push(...(await Promise.all(asked.slice(i, i + 3).map(([command, flag]) => runCliIn([command, flag], env, { cwd })))));
    }
    for (const [i, [command, flag]] of asked.entries()) {
      const r = answers[i]!;
      expect.soft(r.stderr, `${command} ${flag}`).toBe('');
      expect.soft(r.code, `${command} ${flag}`).toBe(0);
      expect.soft(r.stdout, `${command} ${flag}`).toMatch(new RegExp(`^Usage: studybot ${command}\\b`));
      expect.soft(r.stdout, `${command} ${flag}`).toContain('-h, --help');
    }
    expect(existsSync(data)).toBe(false);
    // Help after other arguments too, and `help COMMAND`.
    expect((await runCliIn(['run', 'x.py', '--json', '--help'], env, { cwd })).stdout).toMatch(/^Usage: studybot run FILE/);
    expect((await runCliIn(['help', 'worker'], env, { cwd })).stdout).toMatch(/^Usage: studybot worker/);
  });

  it('documents the exit codes, and a bad command line is a usage error (2) with the usage, never a stack trace', async () => {
    const top = await runCliIn(['--help'], CLEAN);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Exit codes:');
    for (const code of ['0  done', '1  failed', '2  usage', '3  the run could not be carried out']) expect(top.stdout).toContain(code);
    for (const command of SUBCOMMANDS) expect(top.stdout).toContain(`studybot ${command}`);

    for (const args of [
      ['start', '--frobnicate'],
      ['run', 'a.py', '--stdn', 'x'],
      ['submit', 'add-two'],
      ['content:check', 'a', 'b'],
      ['worker', 'extra'],
    ]) {
      const r = await runCliIn(args, { ...CLEAN, REDIS_URL: testRedisUrl() });
      expect.soft(r.code, args.join(' ')).toBe(2);
      expect.soft(r.stderr, args.join(' ')).toMatch(new RegExp(`Usage: studybot ${args[0]}`));
      expect.soft(r.stderr, args.join(' ')).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    }
    const unknown = await runCliIn(['strat'], CLEAN);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "strat"');
  });
});

describe('studybot start without a platform token', { timeout: 120_000 }, () => {
  it('refuses, saying what to do, when there is no terminal and no script (stdin is /dev/null), before touching Redis', async () => {
    const cwd = tempDir();
    const r = await runCliIn(['start'], { ...CLEAN, DATA_DIR: path.join(cwd, 'data'), CONTENT_DIR: FIXTURE_CONTENT }, { cwd, devNull: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No platform token is set and there is no terminal to chat in');
    expect(r.stderr).toContain('Set DISCORD_TOKEN and/or SLACK_BOT_TOKEN');
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
  });

  it('reports a malformed DOCKER_HOST with the configuration, before the database or Redis are up', async () => {
    const cwd = tempDir();
    const r = await runCliIn(
      ['start'],
      { ...CLEAN, DOCKER_HOST: 'docker.example:2375', DATA_DIR: path.join(cwd, 'data') },
      { cwd, input: '/help\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Invalid configuration:\n  - DOCKER_HOST="docker.example:2375": expected unix:///path/to/docker.sock, tcp://host:2375, http(s)://host:port or an absolute socket path\n',
    );
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
  });
});

describe('studybot doctor', { timeout: 180_000 }, () => {
  it('reads .env as the bot does and says what is missing and what to do: here, no runner for RUNNER=false', async () => {
    const cwd = tempDir();
    const data = path.join(cwd, 'data');
    writeFileSync(path.join(cwd, '.env'), `REDIS_URL=${testRedisUrl()}\nRUNNER=off\nDATA_DIR=${data}\nCONTENT_DIR=${FIXTURE_CONTENT}\n`);
    const r = await runCliIn(['doctor'], CLEAN, { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✔ configuration: valid (environment and ${path.join(cwd, '.env')})`);
    expect(r.stdout).toContain('✔ Redis: REDIS_URL answers');
    expect(r.stdout).toMatch(
      /✖ runners: RUNNER=false and no runner is alive: \/run and \/submit answer "unavailable"\n\s+→ start one where Docker runs/,
    );
    expect(r.stdout).toMatch(/✔ content: \d+ tracks, \d+ lessons/);
    expect(r.stdout).toContain(`✔ database: ${path.join(data, 'studybot.sqlite')} does not exist yet; the first start creates it`);
    expect(r.stdout).toContain('✔ Docker: not needed here: RUNNER=false');
    expect(r.stdout).toMatch(/! platforms: no DISCORD_TOKEN or SLACK_BOT_TOKEN/);
    expect(r.stdout).toMatch(/! health: HEALTH_PORT is unset[\s\S]*→ set HEALTH_PORT/);
    expect(r.stdout).toContain('1 problem to fix');
    // It looked, it changed nothing.
    expect(existsSync(data)).toBe(false);
  });

  it('names every bad variable of .env', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, '.env'), 'SANDBOX_PIDS=lots\nRUNNER=maybe\n');
    const r = await runCliIn(['doctor'], CLEAN, { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ configuration: 2 bad variables');
    expect(r.stdout).toContain('RUNNER="maybe": expected one of 1/0, true/false, yes/no, on/off');
    expect(r.stdout).toMatch(/SANDBOX_PIDS="lots": /);
    expect(r.stdout).toContain(`→ fix them in the environment or in ${path.join(cwd, '.env')}`);
  });

  it('checks a runner host: Docker, the sandbox image and its pinned packages', async () => {
    ensureSandboxImage();
    const cwd = tempDir();
    const image = testSettings().image;
    const good = await runCliIn(['doctor', '--worker'], { ...CLEAN, REDIS_URL: testRedisUrl(), SANDBOX_IMAGE: image }, { cwd });
    expect(good.stdout).toMatch(/✔ Docker: engine \S+ at /);
    expect(good.stdout).toContain(`✔ sandbox image: ${image}, current`);
    expect(good.stdout).toMatch(/✔ sandbox packages: Python 3\.13\.\d+, every pinned version/);
    expect(good.code).toBe(0);

    const socket = path.join(cwd, 'no-docker.sock');
    const down = await runCliIn(['doctor', '--worker'], { ...CLEAN, REDIS_URL: testRedisUrl(), DOCKER_HOST: `unix://${socket}` }, { cwd });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(`✖ Docker: the engine at ${socket} does not answer, so code runs are unavailable`);
    expect(down.stdout).toContain('→ start the engine DOCKER_HOST points at, or fix DOCKER_HOST');

    const missing = await runCliIn(['sandbox:check'], { ...CLEAN, SANDBOX_IMAGE: 'studybot-sandbox:no-such-tag' }, { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('✖ sandbox image: studybot-sandbox:no-such-tag is not on the Docker engine');
    expect(missing.stdout).toContain('→ build it: npm run sandbox:build');
  });
});

describe('scripts/setup.sh and build-sandbox.sh read .env like the bot', { timeout: 180_000 }, () => {
  /** A copy of the scripts in a folder of its own, so its .env is the one they read. */
  function checkout(dotenv: string): string {
    const root = tempDir();
    cpSync(path.join(ROOT, 'scripts'), path.join(root, 'scripts'), { recursive: true });
    cpSync(path.join(ROOT, 'docker/sandbox'), path.join(root, 'docker/sandbox'), { recursive: true });
    mkdirSync(path.join(root, 'data'));
    writeFileSync(path.join(root, '.env'), dotenv);
    return root;
  }
  const sh = (root: string, script: string, env: NodeJS.ProcessEnv = {}) => {
    const clean = { ...process.env, ...env };
    for (const k of Object.keys(CLEAN)) if (!(k in env)) delete clean[k];
    delete clean.SANDBOX_IMAGE;
    return exec('sh', [path.join(root, 'scripts', script)], { cwd: root, env: clean, timeout: 120_000 }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
  };

  it('accepts RUNNER as the configuration spells it, and refuses what the configuration refuses', async () => {
    for (const spelling of ['off', '0', 'no', 'false']) {
      const r = await sh(checkout(`RUNNER=${spelling}\nREDIS_URL=redis://127.0.0.1:1\n`), 'setup.sh');
      expect.soft(r.code, spelling).toBe(0);
    }
    const bad = await sh(checkout('RUNNER=Off\n'), 'setup.sh');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('RUNNER="Off": expected one of 1/0, true/false, yes/no, on/off');
    // The environment wins over .env, as with the bot.
    expect((await sh(checkout('RUNNER=Off\n'), 'setup.sh', { RUNNER: 'false', REDIS_URL: 'redis://127.0.0.1:1' })).code).toBe(0);
  });

  it('builds (or finds) the image SANDBOX_IMAGE names in .env, on the engine DOCKER_HOST names there', async () => {
    ensureSandboxImage();
    const tag = `studybot-sandbox:env-${process.pid}`;
    await exec('docker', ['tag', testSettings().image, tag]);
    try {
      const found = await sh(checkout(`SANDBOX_IMAGE="${tag}"   # from .env\n`), 'build-sandbox.sh');
      expect(found.code).toBe(0);
      expect(found.stderr).toMatch(new RegExp(`${tag} is up to date`));
      const root = checkout(`SANDBOX_IMAGE=${tag}\nDOCKER_HOST=unix://${path.join(tmpdir(), 'no-such-docker.sock')}\n`);
      const elsewhere = await sh(root, 'build-sandbox.sh');
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toContain('the Docker engine is not reachable');
    } finally {
      await exec('docker', ['rmi', tag]).catch(() => undefined);
    }
  });
});

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../infra/processes.js';
import { freePort, ROOT } from '../infra/processes.js';
import { ensureSandboxImage } from '../runner/helpers.js';
import { SlackStandIn } from './slack-stand-in.js';

/**
 * docker/compose.yaml as a self-hoster runs it, offline: the images are built on the bases
 * scripts/compose-images.sh picks (the offline Debian trixie base where no registry answers), the
 * stack comes up with its health checks, a learner's /study run goes from a Slack stand-in to the
 * bot's container, through Redis's container to a runner in its own container, into a sandbox
 * container on the host's engine, and back; then everything is torn down.
 */
const run = promisify(execFile);
const project = `studybot-test-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'studybot-compose-'));
const secret = 'compose-test-signing-secret';
let env: NodeJS.ProcessEnv = {};
let slack: SlackStandIn | undefined;
let slackPort = 0;
const figures: Record<string, string> = {};
let up = false;

// A first build compiles better-sqlite3 inside the image (no prebuilt binary offline): many minutes
// on a busy two-core machine; later builds reuse the cached layers.
const compose = (args: string[], timeoutMs = 2_400_000) =>
  run('docker', ['compose', '-p', project, '-f', path.join(ROOT, 'docker/compose.yaml'), '-f', path.join(dir, 'test.yaml'), ...args], {
    cwd: ROOT,
    env,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: Error & { stderr?: string; killed?: boolean }) => {
    // What docker compose said is what explains a failure; the command line alone does not.
    const said = (err.stderr ?? '').trim().split('\n').slice(-40).join('\n');
    throw new Error(`docker compose ${args.join(' ')} ${err.killed ? `was stopped after ${timeoutMs / 1000} s` : 'failed'}:\n${said}`);
  });

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

interface ServiceState {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
}

async function states(): Promise<ServiceState[]> {
  const { stdout } = await compose(['ps', '-a', '--format', 'json'], 30_000);
  const text = stdout.trim();
  if (!text) return [];
  return (text.startsWith('[') ? JSON.parse(text) : text.split('\n').map((l) => JSON.parse(l))) as ServiceState[];
}

beforeAll(async () => {
  ensureSandboxImage();
  const images: Record<string, string> = {};
  const picked = execFileSync('sh', [path.join(ROOT, 'scripts/compose-images.sh')], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  for (const m of picked.matchAll(/^export (\w+)='([^']*)'$/gm)) images[m[1]!] = m[2]!;
  slack = await SlackStandIn.start();
  slackPort = await freePort();
  writeFileSync(
    path.join(dir, 'bot.env'),
    [
      'SLACK_BOT_TOKEN=xoxb-compose-test',
      `SLACK_SIGNING_SECRET=${secret}`,
      `SLACK_API_URL=http://host.docker.internal:${slack.port}/api/`,
      'LOG_LEVEL=info',
    ].join('\n'),
  );
  // The bot reaches the stand-in on the Docker host; nothing else differs from the documented layout.
  writeFileSync(path.join(dir, 'test.yaml'), 'services:\n  bot:\n    extra_hosts: ["host.docker.internal:host-gateway"]\n');
  env = {
    ...process.env,
    ...images,
    STUDYBOT_IMAGE: 'studybot:test',
    STUDYBOT_ENV_FILE: path.join(dir, 'bot.env'),
    SLACK_PUBLISH: `127.0.0.1:${slackPort}`,
    SANDBOX_POOL_SIZE: '1',
    ...(process.env.SANDBOX_IMAGE && { SANDBOX_IMAGE: process.env.SANDBOX_IMAGE }),
  };
  figures.bases = `NODE_IMAGE=${images.NODE_IMAGE}, REDIS_IMAGE=${images.REDIS_IMAGE}`;
  let t = Date.now();
  await compose(['build']);
  figures.build = seconds(t);
  t = Date.now();
  up = true;
  await compose(['up', '-d']);
  const deadline = Date.now() + 420_000;
  for (;;) {
    const s = await states();
    const of = (name: string) => s.find((x) => x.Service === name);
    if (of('bot')?.Health === 'healthy' && of('runner')?.Health === 'healthy' && of('redis')?.Health === 'healthy') break;
    if (Date.now() > deadline) {
      const { stdout } = await compose(['logs', '--no-color', '--tail', '50'], 60_000);
      throw new Error(`the stack did not become healthy: ${JSON.stringify(s)}\n${stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  figures['up until healthy'] = seconds(t);
}, 3_600_000);

afterAll(async () => {
  const t = Date.now();
  if (up) await compose(['down', '-v', '--remove-orphans', '-t', '20'], 180_000).catch(() => undefined);
  figures.down = seconds(t);
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
  const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', 'studybot:test']).catch(() => ({ stdout: '0' }));
  figures['studybot image'] = `${Math.round(Number(stdout) / 1e6)} MB`;
  process.stdout.write(
    `compose deployment: ${Object.entries(figures)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}\n`,
  );
}, 300_000);

describe('docker compose up of docker/compose.yaml, offline', { timeout: 300_000 }, () => {
  it('comes up healthy: Redis, the bot and a runner by their health checks, the sandbox image checked by the one-shot service', async () => {
    const s = await states();
    expect(s.find((x) => x.Service === 'sandbox')).toMatchObject({ State: 'exited', ExitCode: 0 });
    for (const name of ['redis', 'bot', 'runner']) expect(s.find((x) => x.Service === name)).toMatchObject({ State: 'running', Health: 'healthy' });
    const { stdout } = await compose(['logs', '--no-color', 'sandbox'], 60_000);
    expect(stdout).toMatch(/✔ sandbox image: studybot-sandbox:latest, current/);
    expect(stdout).toMatch(/✔ sandbox packages: Python 3\.13\.\d+, every pinned version/);
    // The runner compared the image with the pinned package list it carries, and found nothing to say.
    const runner = (await compose(['logs', '--no-color', 'runner'], 60_000)).stdout;
    expect(runner).toContain('"msg":"runner started"');
    expect(runner).not.toMatch(/could not check the Python packages|differs from docker\/sandbox\/python-packages\.txt|records no package versions/);
  });

  it("runs a learner's code from Slack through Redis, a runner in its own container and the sandbox", async () => {
    const code = 'import sys\nprint(6 * 7)\nprint(sys.version_info[:2] == (3, 13))';
    const t = Date.now();
    const sent = await slack!.command(
      `http://127.0.0.1:${slackPort}/slack/events`,
      secret,
      `http://host.docker.internal:${slack!.port}`,
      `run \`\`\`python\n${code}\n\`\`\``,
    );
    expect(sent.status).toBe(200);
    await expect.poll(() => slack!.postsTo(sent.id).join('\n'), { timeout: 120_000, interval: 250 }).toContain('Finished in');
    figures['slash command to result'] = seconds(t);
    const posts = slack!.postsTo(sent.id);
    expect(posts[0]).toContain('Running your code');
    const result = posts.at(-1)!;
    expect(result).toMatch(/✅ Finished in .* \(exit code 0\)/);
    expect(result).toContain('42');
    expect(result).toContain('True');

    // The runner that carried it out counts it; the bot counts the command and the stored result.
    const runner = (await compose(['exec', '-T', 'runner', 'node', 'docker/bot/healthcheck.mjs', '/metrics'], 60_000)).stdout;
    expect(sample(runner, 'studybot_runs_total', { status: 'ok' })).toBe(1);
    const bot = (await compose(['exec', '-T', 'bot', 'node', 'docker/bot/healthcheck.mjs', '/metrics'], 60_000)).stdout;
    expect(sample(bot, 'studybot_interactions_total', { platform: 'slack', command: 'run' })).toBe(1);
    expect(sample(bot, 'studybot_runs_total', { status: 'ok' })).toBe(1);
  });

  it('keeps the host out of the image, and a bot without a platform token or a terminal refuses to start', async () => {
    const { stdout } = await run('docker', ['run', '--rm', '--entrypoint', 'ls', 'studybot:test', '-A', '/app']);
    expect(stdout.split('\n').filter(Boolean)).toEqual(['content', 'dist', 'docker', 'node_modules', 'package.json']);
    const refused = await run('docker', ['run', '--rm', 'studybot:test', 'start']).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('No platform token is set and there is no terminal to chat in');
  });
});

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { dockerReadiness, redisReadiness } from './checks.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { checkContent } from './content/loader.js';
import { privateRedisStatus } from './infra/redis-server.js';
import { connectRedis } from './infra/redis.js';
import { silentLogger } from './logger.js';
import { createDockerClients, pingDocker } from './runner/docker-client.js';
import { listRunners } from './runner/heartbeat.js';
import { checkSandboxVersions } from './runner/sandbox-versions.js';
import { codePath } from './paths.js';

/** The recipe of the sandbox image, beside the code (dist/ carries a copy, see scripts/build.mjs). */
export const SANDBOX_RECIPE = `${codePath('docker', 'sandbox')}/`;
// In the order scripts/build-sandbox.sh reads them (a test keeps the two lists the same).
const RECIPE_FILES = ['Dockerfile', 'sandbox.py', 'case.py', 'install-packages.py', 'python-packages.txt'];

/** The hash scripts/build-sandbox.sh labels the image with: an image carrying another one is stale. */
export function sandboxRecipeHash(dir = SANDBOX_RECIPE): string {
  const hash = createHash('sha256');
  for (const name of RECIPE_FILES) hash.update(readFileSync(path.join(dir, name)));
  return hash.digest('hex').slice(0, 16);
}

type Level = 'ok' | 'note' | 'fail';
interface Finding {
  level: Level;
  what: string;
  detail: string;
  /** What to do about it. */
  fix?: string;
}

const MARK: Record<Level, string> = { ok: '✔', note: '!', fail: '✖' };

/** The sandbox image as a runner would find it: present, current, with the pinned packages. */
export async function sandboxImageFindings(settings: Config['runner']): Promise<Finding[]> {
  const clients = createDockerClients(settings.dockerHost);
  const build = 'build it: npm run sandbox:build (on the Docker host; also done by sh scripts/setup.sh)';
  let labels: Record<string, string> = {};
  try {
    const image = await clients.control.getImage(settings.image).inspect();
    labels = image.Config?.Labels ?? {};
  } catch (err) {
    const missing = (err as { statusCode?: number }).statusCode === 404;
    return [
      {
        level: 'fail',
        what: 'sandbox image',
        detail: missing ? `${settings.image} is not on the Docker engine` : `cannot inspect ${settings.image}: ${String(err)}`,
        fix: build,
      },
    ];
  }
  const findings: Finding[] = [];
  const ready = await dockerReadiness(settings)['sandbox image']();
  if (ready) return [{ level: 'fail', what: 'sandbox image', detail: ready, fix: build }];
  const wanted = sandboxRecipeHash();
  const base = labels['studybot.sandbox.base'];
  if (labels['studybot.sandbox.hash'] !== wanted) {
    findings.push({
      level: 'note',
      what: 'sandbox image',
      detail: `${settings.image} was built from another version of docker/sandbox/ (recipe ${labels['studybot.sandbox.hash'] ?? 'unknown'}, now ${wanted})`,
      fix: 'rebuild it: npm run sandbox:build',
    });
  } else {
    findings.push({ level: 'ok', what: 'sandbox image', detail: `${settings.image}, current (recipe ${wanted}${base ? `, on ${base}` : ''})` });
  }
  const versions = await checkSandboxVersions(clients, settings.image, silentLogger);
  if (versions.status === 'match')
    findings.push({ level: 'ok', what: 'sandbox packages', detail: `Python ${versions.python}, every pinned version` });
  else if (versions.status === 'differs') {
    findings.push({
      level: 'note',
      what: 'sandbox packages',
      detail: `differ from docker/sandbox/python-packages.txt, the versions the course is proven on: ${versions.differences.join('; ')}`,
      fix: 'rebuild the image (FORCE=1 npm run sandbox:build), or prove the content on these versions (npx vitest run tests/content)',
    });
  } else if (versions.status === 'unrecorded') {
    findings.push({
      level: 'note',
      what: 'sandbox packages',
      detail: 'the image records no versions (an older recipe)',
      fix: 'rebuild it: npm run sandbox:build',
    });
  } else {
    findings.push({ level: 'note', what: 'sandbox packages', detail: `could not be checked: ${String(versions.error)}` });
  }
  return findings;
}

async function dockerFindings(config: Config): Promise<Finding[]> {
  const settings = config.runner;
  const clients = createDockerClients(settings.dockerHost);
  if (!(await pingDocker(clients))) {
    return [
      {
        level: 'fail',
        what: 'Docker',
        detail: `the engine at ${clients.describe} does not answer, so code runs are unavailable`,
        fix: settings.dockerHost
          ? 'start the engine DOCKER_HOST points at, or fix DOCKER_HOST'
          : 'install and start it: sudo sh scripts/setup.sh (or set DOCKER_HOST to an engine you have)',
      },
    ];
  }
  const info = (await clients.control.info()) as { ServerVersion?: string; Runtimes?: Record<string, unknown> };
  const findings: Finding[] = [{ level: 'ok', what: 'Docker', detail: `engine ${info.ServerVersion ?? '?'} at ${clients.describe}` }];
  if (settings.runtime && !Object.hasOwn(info.Runtimes ?? {}, settings.runtime)) {
    findings.push({
      level: 'fail',
      what: 'sandbox runtime',
      detail: `SANDBOX_RUNTIME=${settings.runtime} is not registered with the engine (it has: ${Object.keys(info.Runtimes ?? {}).join(', ')})`,
      fix: 'register it in /etc/docker/daemon.json and restart Docker, or unset SANDBOX_RUNTIME',
    });
  }
  return [...findings, ...(await sandboxImageFindings(settings))];
}

async function redisFindings(config: Config): Promise<{ findings: Finding[]; url: string | undefined }> {
  if (config.redisUrl) {
    const ready = redisReadiness(config.redisUrl);
    try {
      const problem = await ready.check();
      return problem
        ? {
            findings: [
              {
                level: 'fail',
                what: 'Redis',
                detail: problem,
                fix: 'start it, or fix REDIS_URL (unset it to let the bot run a redis-server of its own)',
              },
            ],
            url: undefined,
          }
        : { findings: [{ level: 'ok', what: 'Redis', detail: `REDIS_URL answers` }], url: config.redisUrl };
    } finally {
      ready.close();
    }
  }
  const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    return {
      findings: [
        {
          level: 'fail',
          what: 'Redis',
          detail: 'REDIS_URL is unset and redis-server is not installed',
          fix: 'apt-get install -y redis-server (or sudo sh scripts/setup.sh), or set REDIS_URL',
        },
      ],
      url: undefined,
    };
  }
  const installed = version.stdout.match(/v=(\S+)/)?.[1] ?? '?';
  const own = privateRedisStatus(config.dataDir);
  const running = own.running
    ? `; the bot's own is running now (socket ${own.socket}${own.botPid ? `, bot pid ${own.botPid}` : ''})`
    : '; the bot starts its own';
  return {
    findings: [{ level: 'ok', what: 'Redis', detail: `REDIS_URL is unset: redis-server ${installed} is installed${running}` }],
    url: own.running ? own.url : undefined,
  };
}

async function runnerFindings(config: Config, redisUrl: string | undefined): Promise<Finding[]> {
  if (!redisUrl) {
    return config.runner.enabled
      ? [{ level: 'ok', what: 'runners', detail: 'the bot runs its own (RUNNER=true)' }]
      : [{ level: 'note', what: 'runners', detail: 'not listed: Redis is not reachable from here' }];
  }
  const redis = connectRedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  try {
    const runners = await listRunners(redis);
    const healthy = runners.filter((r) => r.docker === 'ok');
    if (!runners.length) {
      return [
        {
          level: config.runner.enabled ? 'ok' : 'fail',
          what: 'runners',
          detail: config.runner.enabled
            ? 'none running elsewhere; the bot runs its own (RUNNER=true)'
            : 'RUNNER=false and no runner is alive: /run and /submit answer "unavailable"',
          ...(!config.runner.enabled && { fix: 'start one where Docker runs: REDIS_URL=... studybot worker' }),
        },
      ];
    }
    const list = runners.map((r) => `${r.id} on ${r.host} (Docker ${r.docker}, ${r.ready}/${r.poolSize} warm)`).join(', ');
    return [
      healthy.length
        ? { level: 'ok', what: 'runners', detail: `${healthy.length} of ${runners.length} alive with Docker: ${list}` }
        : {
            level: 'fail',
            what: 'runners',
            detail: `alive but none can reach Docker: ${list}`,
            fix: 'check Docker and the sandbox image on those hosts (studybot doctor --worker there)',
          },
    ];
  } catch (err) {
    return [{ level: 'note', what: 'runners', detail: `could not be listed: ${err instanceof Error ? err.message : String(err)}` }];
  } finally {
    redis.disconnect();
  }
}

function platformFindings(config: Config): Finding[] {
  const found: string[] = [];
  if (config.discord) found.push(`Discord (${config.discord.guildId ? `commands in server ${config.discord.guildId}` : 'global commands'})`);
  if (config.slack) found.push(`Slack (${config.slack.appToken ? 'Socket Mode' : `HTTP receiver on port ${config.slack.port}`})`);
  if (found.length) return [{ level: 'ok', what: 'platforms', detail: found.join(', ') }];
  return [
    {
      level: 'note',
      what: 'platforms',
      detail: 'no DISCORD_TOKEN or SLACK_BOT_TOKEN: `studybot start` opens the terminal chat, and refuses to start without a terminal',
      fix: 'set the tokens of the platform you use (README: Discord, Slack)',
    },
  ];
}

function databaseFindings(config: Config): Finding[] {
  const file = config.databasePath;
  if (existsSync(file)) {
    const kb = Math.round(statSync(file).size / 1024);
    try {
      accessSync(file, constants.W_OK);
      return [{ level: 'ok', what: 'database', detail: `${file} (${kb} KiB)` }];
    } catch {
      return [
        {
          level: 'fail',
          what: 'database',
          detail: `${file} is not writable by this user`,
          fix: 'run the bot as the user who owns it, or fix its permissions',
        },
      ];
    }
  }
  // The first start creates it and every folder above it: the nearest existing one must be writable.
  let dir = path.dirname(file);
  while (!existsSync(dir)) dir = path.dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return [{ level: 'ok', what: 'database', detail: `${file} does not exist yet; the first start creates it` }];
  } catch {
    return [
      {
        level: 'fail',
        what: 'database',
        detail: `${file} cannot be created: ${dir} is not writable`,
        fix: 'set DATA_DIR (or DATABASE_PATH) to a writable place',
      },
    ];
  }
}

function contentFindings(config: Config): Finding[] {
  const { content, problems } = checkContent(config.contentDir);
  if (!content || problems.length) {
    return [
      {
        level: 'fail',
        what: 'content',
        detail: `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${config.contentDir}${problems[0] ? ` (first: ${problems[0].file}:${problems[0].line}: ${problems[0].message})` : ''}`,
        fix: 'npm run content:check lists them all; or set CONTENT_DIR',
      },
    ];
  }
  return [
    {
      level: 'ok',
      what: 'content',
      detail: `${content.tracks.length} tracks, ${content.lessons.length} lessons, ${content.questionById.size} questions, ${content.challengeById.size} challenges in ${config.contentDir}`,
    },
  ];
}

/**
 * `studybot doctor`: what is installed, running and configured, read from the same configuration the
 * bot reads (.env included), with what to do about each gap. Starts, creates and changes nothing.
 * Exit code 0 when nothing stops the bot (or, with `worker`, a runner) from working, 1 otherwise.
 */
export async function runDoctor(opts: { worker: boolean; cwd?: string; out?: (line: string) => void }): Promise<number> {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const cwd = opts.cwd ?? process.cwd();
  const envFile = path.join(cwd, '.env');
  const findings: Finding[] = [];
  const node = process.versions.node;
  findings.push(
    Number(node.split('.')[0]) >= 20
      ? { level: 'ok', what: 'Node.js', detail: node }
      : { level: 'fail', what: 'Node.js', detail: `${node}; studybot needs 20 or later`, fix: 'install Node.js 20' },
  );
  let config: Config | undefined;
  try {
    config = loadConfig(process.env, cwd);
    findings.push({ level: 'ok', what: 'configuration', detail: `valid (environment${existsSync(envFile) ? ` and ${envFile}` : '; no .env file'})` });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    findings.push({
      level: 'fail',
      what: 'configuration',
      detail: `${err.problems.length} bad variable${err.problems.length === 1 ? '' : 's'}:\n${err.problems.map((p) => `        ${p}`).join('\n')}`,
      fix: `fix them in the environment or in ${envFile} (.env.example lists every variable, its default and range)`,
    });
  }
  if (config) {
    const role = opts.worker ? 'worker' : 'bot';
    if (opts.worker && !config.redisUrl) {
      findings.push({
        level: 'fail',
        what: 'Redis',
        detail: 'a runner needs REDIS_URL: the Redis the bot uses',
        fix: 'set REDIS_URL=redis://bot-host:6379',
      });
    } else {
      const redis = await redisFindings(config);
      findings.push(...redis.findings);
      if (!opts.worker) findings.push(...(await runnerFindings(config, redis.url)));
    }
    if (!opts.worker) findings.push(...platformFindings(config), ...contentFindings(config), ...databaseFindings(config));
    if (opts.worker || config.runner.enabled) findings.push(...(await dockerFindings(config)));
    else findings.push({ level: 'ok', what: 'Docker', detail: 'not needed here: RUNNER=false (runners run elsewhere)' });
    findings.push(
      config.health
        ? { level: 'ok', what: 'health', detail: `the ${role} serves /healthz, /readyz and /metrics on ${config.health.host}:${config.health.port}` }
        : {
            level: 'note',
            what: 'health',
            detail: 'HEALTH_PORT is unset: no /healthz, /readyz or /metrics',
            fix: 'set HEALTH_PORT (e.g. 9464) to watch it',
          },
    );
  }
  out(`studybot doctor: ${opts.worker ? 'a runner (studybot worker)' : 'the bot (studybot start)'} on this machine, from ${cwd}`);
  out('');
  for (const f of findings) {
    out(`  ${MARK[f.level]} ${f.what}: ${f.detail}`);
    if (f.fix && f.level !== 'ok') out(`      → ${f.fix}`);
  }
  const failed = findings.filter((f) => f.level === 'fail').length;
  out('');
  out(
    failed
      ? `${failed} problem${failed === 1 ? '' : 's'} to fix (✖); ! marks what works but deserves a look.`
      : 'Nothing stops it from working (! marks what deserves a look).',
  );
  return failed ? 1 : 0;
}

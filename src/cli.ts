#!/usr/bin/env node
import { readFileSync, existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApp, type App } from './app.js';
import { UserError } from './chat/errors.js';
import { ConfigError, loadConfig, secretsOf, type Config } from './config.js';
import { runContentCheck } from './content/check.js';
import { ContentError } from './content/loader.js';
import { MissingServiceError } from './infra/redis-server.js';
import { createLogger, type Logger } from './logger.js';
import { startRunner } from './runner/index.js';
import { TerminalAdapter } from './platforms/terminal/index.js';
import { plainStyle, renderMessage } from './platforms/terminal/render.js';
import { openDatabase } from './db/index.js';
import { rebuildAllBoards } from './learning/boards.js';
import { enterLearner } from './learning/users.js';
import type { RunRequest } from './runs/index.js';

const USAGE = `studybot — a study bot for Python study groups

Usage:
  studybot start [--user NAME]          run the bot: Discord and/or Slack when their tokens are set,
                                        otherwise a chat in this terminal (as NAME, default: your OS user)
  studybot worker                       run a code runner only (more runners = more throughput)
  studybot run FILE [--stdin FILE] [--json]
                                        run a Python file through the queue and sandbox, print the result
  studybot submit CHALLENGE FILE [--json]
                                        grade a solution against a challenge's tests, print the result
  studybot content:check [DIR]          validate the study content
  studybot boards:rebuild               recompute every leaderboard from the point log (safe while the bot runs)
  studybot discord:deploy [--print]     register the slash commands with Discord

Configuration comes from the environment and a .env file; see README.md.
`;

/** Stops everything on SIGINT/SIGTERM, within a bounded time. */
function onSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

async function start(config: Config, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { user: { type: 'string' } }, allowPositionals: false });
  const terminal = !config.discord && !config.slack;
  // In the terminal chat, logs go to a file so they don't interleave with the conversation.
  const secrets = secretsOf(config);
  const logger = terminal
    ? createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', { secrets })
    : createLogger(config.logLevel, { stream: 'stdout', secrets });
  const app = await startApp({ config, logger });
  onSignals(() => app.close(), logger);
  if (config.slack) {
    const { SlackAdapter } = await import('./platforms/slack/index.js');
    await app.attach(new SlackAdapter({ router: app.router, config: config.slack, logger }));
  }
  if (config.discord) {
    const { DiscordAdapter } = await import('./platforms/discord/index.js');
    await app.attach(new DiscordAdapter({ router: app.router, clock: app.services.clock, config: config.discord, logger }));
  }
  if (terminal) {
    if (app.runner && !(await app.runner.sandbox.ping())) {
      process.stderr.write(
        '⚠ Code runs are unavailable: the Docker engine is not reachable. Run `sh scripts/setup.sh` as root (installs docker.io and starts it), or set DOCKER_HOST.\n',
      );
    }
    await new Promise<void>((resolve) => {
      const adapter = new TerminalAdapter({
        router: app.router,
        dataDir: config.dataDir,
        pendingRuns: () => app.runs.pendingCount(),
        user: values.user ?? process.env.STUDYBOT_USER ?? userInfo().username,
        input: process.stdin,
        output: process.stdout,
        interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        onEnd: resolve,
      });
      void app.attach(adapter);
    });
    await app.close();
  }
  return 0;
}

async function worker(config: Config): Promise<number> {
  const logger = createLogger(config.logLevel, { stream: 'stdout', secrets: secretsOf(config) });
  const redisUrl = config.redisUrl;
  if (!redisUrl) {
    throw new MissingServiceError('A runner shares its queue with the bot through Redis: set REDIS_URL (e.g. redis://bot-host:6379).');
  }
  const runner = await startRunner({ config, logger, redisUrl });
  logger.info({ runner: runner.id, concurrency: config.runner.concurrency, pool: config.runner.poolSize }, 'runner started');
  // Runs until SIGTERM/SIGINT, which drains the worker within a bounded time.
  onSignals(() => runner.close(), logger);
  return new Promise<number>(() => undefined);
}

/** `studybot run` / `studybot submit`: one job through the same queue, runner and sandbox. */
async function runOnce(config: Config, kind: 'run' | 'grade', argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { stdin: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [first, second] = positionals;
  const file = kind === 'run' ? first : second;
  if (!file || (kind === 'grade' && !first)) {
    process.stderr.write(kind === 'run' ? 'Usage: studybot run FILE [--stdin FILE] [--json]\n' : 'Usage: studybot submit CHALLENGE FILE [--json]\n');
    return 2;
  }
  const read = (f: string) => {
    if (!existsSync(f)) throw new UserError(`No such file: ${f}`);
    return readFileSync(f, 'utf8');
  };
  const code = read(file);
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'error', { secrets: secretsOf(config) });
  let app: App | undefined;
  try {
    app = await startApp({ config, logger });
    // The CLI prints results itself; this marks them delivered so no chat reposts them later.
    await app.attach({
      platform: 'terminal',
      sender: { deliver: async () => undefined, edit: async () => undefined },
      start: async () => undefined,
      stop: async () => undefined,
    });
    let req: RunRequest;
    if (kind === 'run') req = { kind: 'run', code, ...(values.stdin !== undefined && { stdin: read(values.stdin) }) };
    else {
      const challenge = app.services.content.challengeById.get(first!.trim().toLowerCase());
      if (!challenge) throw new UserError(`There is no challenge "${first}". See the ids under content/challenges/.`);
      req = { kind: 'grade', challenge, code };
    }
    const userId = `cli-${process.pid}`;
    const ws = 'terminal:cli';
    enterLearner(app.services.db, { ws, userId, name: userInfo().username }, app.services.clock.now(), config.defaultTimeZone);
    const conversation = { platform: 'terminal' as const, workspaceId: 'cli', channelId: 'cli', userId };
    const { submission } = await app.runs.submit({ ws, userId, channelId: 'cli', conversation }, req);
    const done = await app.runs.waitFor(submission.id, config.runs.resultTimeoutSeconds * 1000);
    const result = app.runs.outcome(done);
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderMessage(app.runs.resultMessage(done), plainStyle).text}\n`);
    if ('error' in result) return 3;
    return (result.kind === 'run' ? result.status === 'ok' : result.passed) ? 0 : 1;
  } finally {
    await app?.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config, rest);
    case 'worker':
      return worker(config);
    case 'run':
      return runOnce(config, 'run', rest);
    case 'submit':
      return runOnce(config, 'grade', rest);
    case 'boards:rebuild': {
      const database = openDatabase(config.databasePath);
      try {
        const started = Date.now();
        const n = rebuildAllBoards(database.db, { now: Date.now(), defaultZone: config.defaultTimeZone });
        process.stdout.write(`Rebuilt the leaderboards of ${n} workspace${n === 1 ? '' : 's'} from the point log in ${Date.now() - started} ms.\n`);
        return 0;
      } finally {
        database.close();
      }
    }
    case 'content:check':
      return runContentCheck(rest[0] ? path.resolve(rest[0]) : config.contentDir);
    case 'discord:deploy': {
      const { deployCommands } = await import('./platforms/discord/deploy.js');
      const { commands } = await import('../commands/index.js');
      return deployCommands(config, rest, commands);
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof MissingServiceError || err instanceof ContentError || err instanceof UserError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 1;
  },
);

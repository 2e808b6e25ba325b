#!/usr/bin/env node
import { existsSync, fstatSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { isatty } from 'node:tty';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Queue } from 'bullmq';
import { startApp, type App } from './app.js';
import { UserError } from './chat/errors.js';
import { dockerReadiness, redisReadiness } from './checks.js';
import { ConfigError, loadConfig, secretsOf, type Config } from './config.js';
import { runContentCheck } from './content/check.js';
import { ContentError } from './content/loader.js';
import { RUN_QUEUE } from './contract/code-runs.js';
import { runDoctor, sandboxImageFindings } from './doctor.js';
import { startHealthServer, type HealthServer } from './infra/health-server.js';
import { resilientLogOutput } from './infra/log-output.js';
import { recordRunExecuted, watchPool, watchQueue } from './infra/metrics.js';
import { MissingServiceError } from './infra/redis-server.js';
import { redisConnectionOptions } from './infra/redis.js';
import { createLogger, type Logger } from './logger.js';
import { startRunner } from './runner/index.js';
import { TerminalAdapter } from './platforms/terminal/index.js';
import { plainStyle, renderMessage } from './platforms/terminal/render.js';
import type { Message } from './chat/reply.js';
import { openDatabase } from './db/index.js';
import { rebuildAllBoards } from './learning/boards.js';
import { enterLearner } from './learning/users.js';
import type { RunRequest } from './runs/index.js';

const EXIT_CODES = `Exit codes:
  0  done: the bot or runner stopped cleanly; the program ran without error; the solution passed;
     the check found nothing to fix
  1  failed: the program exited with an error or the solution failed a test; content:check,
     doctor or sandbox:check found a problem; bad configuration or a missing service (the message
     says which and what to do)
  2  usage: an unknown command or option, or a missing argument
  3  the run could not be carried out (no runner, the queue unavailable, no result in time)`;

const USAGE = `studybot — a study bot for Python study groups

Usage:
  studybot start [--user NAME]          run the bot: Discord and/or Slack when their tokens are set,
                                        otherwise a chat in this terminal
  studybot worker                       run a code runner only (more runners = more throughput)
  studybot run FILE [--stdin FILE] [--json]
                                        run a Python file through the queue and sandbox, print the result
  studybot submit CHALLENGE FILE [--json]
                                        grade a solution against a challenge's tests, print the result
  studybot doctor [--worker]            what is installed, running and configured, and what to do about gaps
  studybot sandbox:check                whether the sandbox image is there, current and as pinned
  studybot content:check [DIR]          validate the study content
  studybot boards:rebuild               recompute every leaderboard from the point log (safe while the bot runs)
  studybot discord:deploy [--print]     register the slash commands with Discord
  studybot COMMAND --help               what a command does, its options and what it reads

Configuration comes from the environment and a .env file in the working directory (.env.example
lists every variable with its default; README.md explains them).

${EXIT_CODES}
`;

const HELP: Record<string, string> = {
  start: `Usage: studybot start [--user NAME]

Runs the bot. With DISCORD_TOKEN and/or SLACK_BOT_TOKEN set it serves those platforms (logs go to
stdout as JSON lines); with neither it opens a chat in this terminal, logging only warnings to stderr.
A script piped into stdin is a chat session too: one line at a time, ending at the end of input
(printf '/lesson\\n/quiz\\n' | studybot start). Without a token and without any input to read
(stdin from /dev/null, as under Docker or systemd) it refuses to start: nobody could talk to it.

Redis: REDIS_URL, or a redis-server of its own in DATA_DIR that lives exactly as long as the bot.
Code runs: an in-process runner unless RUNNER=false (then \`studybot worker\` runs them elsewhere).
HEALTH_PORT: serve /healthz, /readyz and /metrics on that port. SIGINT/SIGTERM stop it cleanly.

Options:
  --user NAME   the learner to chat as in the terminal (default: $STUDYBOT_USER, else your OS user)
  -h, --help    show this help
`,
  worker: `Usage: studybot worker

Runs a code runner only: takes jobs from the code-runs queue in the Redis at REDIS_URL (required)
and runs each in a fresh sandbox container (SANDBOX_*, DOCKER_HOST, RUNNER_CONCURRENCY). Any number
of runners may run, on any hosts that reach the Redis and have Docker and the sandbox image.
SIGTERM/SIGINT stop it: running jobs get 10 s to finish, the rest go to another runner.
HEALTH_PORT: serve /healthz, /readyz (Redis, Docker, the sandbox image) and /metrics.

Options:
  -h, --help    show this help
`,
  run: `Usage: studybot run FILE [--stdin FILE] [--json]

Runs a Python file through the same queue, runner and sandbox as /run in the chat, and prints the
result (exit code 0 when the program succeeded, 1 when it failed, 3 when it could not be run). It
waits as long as the run waits in the queue, saying where it stands on stderr.

Options:
  --stdin FILE  feed FILE to the program's input()
  --json        print the result as JSON
  -h, --help    show this help
`,
  submit: `Usage: studybot submit CHALLENGE FILE [--json]

Grades FILE against the visible and hidden tests of CHALLENGE (an id under content/challenges/), as
/submit does in the chat (exit code 0 when every test passed, 1 when one failed, 3 when it could
not be run).

Options:
  --json        print the result as JSON
  -h, --help    show this help
`,
  doctor: `Usage: studybot doctor [--worker]

Reports what is installed, running and configured on this machine, read from the same configuration
the bot reads (the environment and .env): Node.js, the configuration, Redis (REDIS_URL or the bot's
own), live runners, the platforms, the content, the database, Docker, the sandbox image and its
package versions, and health. Each gap comes with what to do about it. It starts and changes
nothing. Exit code 0 when nothing stops the bot from working, 1 otherwise.

Options:
  --worker      check this machine as a runner host (studybot worker) instead
  -h, --help    show this help
`,
  'sandbox:check': `Usage: studybot sandbox:check

Checks that the Docker engine (DOCKER_HOST) has the sandbox image (SANDBOX_IMAGE), built from the
recipe in docker/sandbox/ of this version and holding the pinned package versions. Exit code 0 when
it is there and speaks this runner's protocol (a differing recipe or package version is reported but
does not fail it), 1 otherwise with what to do. Build the image with: npm run sandbox:build

Options:
  -h, --help    show this help
`,
  'content:check': `Usage: studybot content:check [DIR]

Validates the study content in DIR (default: CONTENT_DIR, else ./content) and prints a summary, or
every problem with its file, line and field (exit code 1). Markdown that will not read well on a
platform is reported as warnings, which do not fail it.

Options:
  -h, --help    show this help
`,
  'boards:rebuild': `Usage: studybot boards:rebuild

Recomputes every workspace's leaderboards from the point log in the database (DATABASE_PATH).
Safe while the bot runs.

Options:
  -h, --help    show this help
`,
  'discord:deploy': `Usage: studybot discord:deploy [--print]

Registers the slash commands and the "Run Python" message menu with Discord (DISCORD_TOKEN,
DISCORD_APP_ID; in the server DISCORD_GUILD_ID when set, else globally). One bulk overwrite.

Options:
  --print       print the JSON that would be sent and touch nothing (no token needed)
  -h, --help    show this help
`,
};

/** A bad command line: reported with the command's usage, exit code 2. */
class UsageError extends Error {}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, positionals: number) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) throw new Error(`Unexpected argument "${parsed.positionals[positionals]}".`);
    return parsed;
  } catch (err) {
    throw new UsageError(
      `${err instanceof Error ? err.message.replace(/\. To specify a positional.*$/s, '.') : String(err)}\n\n${HELP[command] ?? ''}`,
    );
  }
}

/** What becomes of this process when nobody reads stdout any more (see main). */
let onStdoutClosed = (): void => process.exit(process.exitCode ?? 0);

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

/** How stdin reaches us: a terminal, a script (pipe, file, socket), or nothing to read (/dev/null, closed). */
function stdinKind(): 'terminal' | 'script' | 'nothing' {
  if (isatty(0)) return 'terminal';
  try {
    const st = fstatSync(0);
    if (st.isFIFO() || st.isFile() || st.isSocket()) return 'script';
  } catch {
    // fd 0 is closed.
  }
  return 'nothing';
}

async function start(config: Config, argv: string[]): Promise<number> {
  const { values } = parse('start', argv, { user: { type: 'string' } }, 0);
  const terminal = !config.discord && !config.slack;
  if (terminal && stdinKind() === 'nothing') {
    // Under Docker or systemd the chat would read end of input at once, exit 0 and be restarted forever.
    throw new MissingServiceError(
      'No platform token is set and there is no terminal to chat in (stdin is /dev/null or closed).\n' +
        '  Set DISCORD_TOKEN and/or SLACK_BOT_TOKEN (README: Discord, Slack) to serve a platform,\n' +
        '  or run `studybot start` in a terminal, or pipe a session into it.',
    );
  }
  const secrets = secretsOf(config);
  // In the terminal chat, logs go to stderr (warnings only) so they don't interleave with the conversation.
  const logger = terminal
    ? createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', { secrets, destination: resilientLogOutput(2) })
    : createLogger(config.logLevel, { secrets, destination: resilientLogOutput(1) });
  const app = await startApp({ config, logger, health: true });
  onSignals(() => app.close(), logger);
  if (config.slack) {
    const { SlackAdapter } = await import('./platforms/slack/index.js');
    await app.attach(new SlackAdapter({ router: app.router, config: config.slack, logger }));
  }
  if (config.discord) {
    const { DiscordAdapter } = await import('./platforms/discord/index.js');
    await app.attach(new DiscordAdapter({ router: app.router, clock: app.services.clock, config: config.discord, logger }));
  }
  if (!terminal) {
    // Logs have their own fallback (resilientLogOutput); nothing else is written to stdout.
    onStdoutClosed = () => undefined;
    return new Promise<number>(() => undefined);
  }
  if (app.runner && !(await app.runner.sandbox.ping())) {
    process.stderr.write(
      '⚠ Code runs are unavailable: the Docker engine is not reachable. Run `sh scripts/setup.sh` as root (installs docker.io and starts it), or set DOCKER_HOST.\n',
    );
  }
  let readerGone = false;
  await new Promise<void>((resolve) => {
    // Nobody reads the conversation any more (`studybot start | head -1`): end it as at end of input.
    onStdoutClosed = () => {
      readerGone = true;
      resolve();
    };
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
  // A terminal on stdin would keep the process waiting for a line nobody will answer.
  if (readerGone) process.exit(0);
  return 0;
}

async function worker(config: Config, argv: string[]): Promise<number> {
  parse('worker', argv, {}, 0);
  const logger = createLogger(config.logLevel, { secrets: secretsOf(config), destination: resilientLogOutput(1) });
  onStdoutClosed = () => undefined;
  const redisUrl = config.redisUrl;
  if (!redisUrl) {
    throw new MissingServiceError('A runner shares its queue with the bot through Redis: set REDIS_URL (e.g. redis://bot-host:6379).');
  }
  // The health server first: a port already taken is reported before anything else starts.
  const redisReady = redisReadiness(redisUrl);
  let health: HealthServer | undefined;
  try {
    if (config.health) {
      health = await startHealthServer({ ...config.health, logger, checks: { redis: redisReady.check, ...dockerReadiness(config.runner) } });
    }
  } catch (err) {
    redisReady.close();
    throw new MissingServiceError(err instanceof Error ? err.message : String(err));
  }
  const runner = await startRunner({ config, logger, redisUrl }).catch(async (err: unknown) => {
    await health?.close();
    redisReady.close();
    throw err;
  });
  runner.worker.on('completed', (job, result) => recordRunExecuted(job.data.kind, result, job.timestamp));
  runner.worker.on('failed', (job) => job && recordRunExecuted(job.data.kind, undefined, job.timestamp));
  // Queue counts for /metrics: a Queue object only reads, it never takes jobs.
  const queue = new Queue(RUN_QUEUE, { connection: redisConnectionOptions(redisUrl) });
  queue.on('error', () => undefined);
  const unwatch = [
    watchQueue(() => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed')),
    watchPool(() => runner.sandbox.readyCount),
  ];
  logger.info({ runner: runner.id, concurrency: config.runner.concurrency, pool: config.runner.poolSize }, 'runner started');
  // Runs until SIGTERM/SIGINT, which drains the worker within a bounded time.
  onSignals(async () => {
    await health?.close();
    for (const stop of unwatch) stop();
    await runner.close();
    await queue.close().catch(() => undefined);
    redisReady.close();
  }, logger);
  return new Promise<number>(() => undefined);
}

/** `studybot run` / `studybot submit`: one job through the same queue, runner and sandbox. */
async function runOnce(config: Config, kind: 'run' | 'grade', argv: string[]): Promise<number> {
  const command = kind === 'run' ? 'run' : 'submit';
  const { values, positionals } =
    kind === 'run'
      ? parse(command, argv, { stdin: { type: 'string' }, json: { type: 'boolean', default: false } }, 1)
      : parse(command, argv, { json: { type: 'boolean', default: false } }, 2);
  const [first, second] = positionals;
  const file = kind === 'run' ? first : second;
  if (!file || (kind === 'grade' && !first))
    throw new UsageError(`${kind === 'run' ? 'FILE is missing.' : 'CHALLENGE and FILE are needed.'}\n\n${HELP[command]}`);
  const read = (f: string) => {
    if (!existsSync(f)) throw new UserError(`No such file: ${f}`);
    return readFileSync(f, 'utf8');
  };
  const code = read(file);
  const stdinFile = 'stdin' in values ? values.stdin : undefined;
  const stdin = typeof stdinFile === 'string' ? read(stdinFile) : undefined;
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'error', { secrets: secretsOf(config), destination: resilientLogOutput(2) });
  let app: App | undefined;
  try {
    app = await startApp({ config, logger });
    // The CLI prints the result itself; this marks it delivered so no chat reposts it later. What
    // comes before it (the place in the queue, a runner missing) goes to stderr while it waits.
    let waiting: string | undefined;
    const tell = async (message: Message) => {
      if (waiting && app?.runs.get(waiting)?.status === 'queued') process.stderr.write(`${renderMessage(message, plainStyle).text}\n`);
    };
    await app.attach({
      platform: 'terminal',
      sender: {
        deliver: async (_to, message) => {
          await tell(message);
          return undefined;
        },
        edit: async (_posted, message) => tell(message),
      },
      start: async () => undefined,
      stop: async () => undefined,
    });
    let req: RunRequest;
    if (kind === 'run') req = { kind: 'run', code, ...(stdin !== undefined && { stdin }) };
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
    waiting = submission.id;
    // However long the queue: the bot either gets the result or cancels the run, saying why.
    const done = await app.runs.waitFor(submission.id);
    const result = app.runs.outcome(done);
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderMessage(app.runs.resultMessage(done), plainStyle).text}\n`);
    if ('error' in result) return 3;
    const ok =
      result.kind === 'run'
        ? result.status === 'ok'
        : result.kind === 'check'
          ? result.mypy.status === 'clean' && result.black.status === 'clean'
          : result.passed;
    return ok ? 0 : 1;
  } finally {
    await app?.close();
  }
}

async function sandboxCheck(config: Config, argv: string[]): Promise<number> {
  parse('sandbox:check', argv, {}, 0);
  const ready = await dockerReadiness(config.runner).docker();
  const findings = ready
    ? [{ level: 'fail', what: 'Docker', detail: ready, fix: 'start the engine, or fix DOCKER_HOST' }]
    : await sandboxImageFindings(config.runner);
  for (const f of findings) {
    process.stdout.write(`${f.level === 'ok' ? '✔' : f.level === 'fail' ? '✖' : '!'} ${f.what}: ${f.detail}\n`);
    if (f.fix && f.level !== 'ok') process.stdout.write(`    → ${f.fix}\n`);
  }
  return findings.some((f) => f.level === 'fail') ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  // `studybot ... | head -1`: the reader left. Without a listener the EPIPE would end the process
  // with a stack trace, leaving whatever it started behind.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') onStdoutClosed();
    else process.stderr.write(`stdout: ${err.message}\n`);
  });
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(topic && HELP[topic] ? HELP[topic] : USAGE);
    return command === undefined ? 2 : 0;
  }
  if (!(command in HELP)) {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  // Help never needs the configuration, Redis, Docker or the database.
  const options = rest.slice(0, rest.includes('--') ? rest.indexOf('--') : undefined);
  if (options.includes('--help') || options.includes('-h')) {
    process.stdout.write(HELP[command]!);
    return 0;
  }
  if (command === 'doctor') {
    const { values } = parse('doctor', rest, { worker: { type: 'boolean', default: false } }, 0);
    return runDoctor({ worker: values.worker });
  }
  if (command === 'content:check') {
    const { positionals } = parse('content:check', rest, {}, 1);
    return runContentCheck(positionals[0] ? path.resolve(positionals[0]) : loadConfig().contentDir);
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config, rest);
    case 'worker':
      return worker(config, rest);
    case 'run':
      return runOnce(config, 'run', rest);
    case 'submit':
      return runOnce(config, 'grade', rest);
    case 'sandbox:check':
      return sandboxCheck(config, rest);
    case 'boards:rebuild': {
      parse('boards:rebuild', rest, {}, 0);
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
    case 'discord:deploy': {
      const { deployCommands } = await import('./platforms/discord/deploy.js');
      const { commands } = await import('../commands/index.js');
      return deployCommands(config, rest, commands);
    }
    default:
      throw new Error(`no handler for ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof ConfigError || err instanceof MissingServiceError || err instanceof ContentError || err instanceof UserError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 1;
  },
);

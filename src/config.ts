import { existsSync } from 'node:fs';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { isValidTimeZone } from './time.js';

/** Thrown when the environment holds values the bot cannot start with; lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const int = (def: number, min: number, max: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const bool = (def: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
        error: 'expected one of 1/0, true/false, yes/no, on/off',
      })
      .default(def ? 'true' : 'false')
      .transform((v) => ['1', 'true', 'yes', 'on'].includes(v)),
  );
const url = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        (v) => {
          try {
            return protocols.includes(new URL(v).protocol);
          } catch {
            return false;
          }
        },
        `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      )
      .optional(),
  );

const schema = z.object({
  DATABASE_PATH: optionalString,
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
  REDIS_URL: url(['redis:', 'rediss:', 'unix:']),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DEFAULT_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z.string().default('UTC').refine(isValidTimeZone, 'expected an IANA time zone such as Europe/Rome or America/New_York'),
  ),
  CONTENT_DIR: z.preprocess(emptyToUndefined, z.string().default('content')),
  NEW_CARDS_PER_DAY: int(10, 0, 500),
  QUIZ_OPEN_HOURS: int(24, 1, 24 * 30),
  COMMANDS_PER_MINUTE: int(30, 1, 10_000),
  CLICKS_PER_MINUTE: int(60, 1, 10_000),
  PICTURES: bool(true),

  // Code runs: limits the bot enforces before anything is queued.
  RUNS_PER_MINUTE: int(6, 1, 1000),
  CODE_MAX_BYTES: int(20_000, 100, 1_000_000),
  RUN_RESULT_TIMEOUT_SECONDS: int(120, 5, 3600),

  // Runner and sandbox.
  RUNNER: bool(true),
  RUNNER_CONCURRENCY: int(2, 1, 64),
  SANDBOX_IMAGE: z.preprocess(emptyToUndefined, z.string().default('studybot-sandbox:latest')),
  SANDBOX_RUNTIME: optionalString,
  SANDBOX_POOL_SIZE: int(2, 0, 64),
  SANDBOX_MEMORY_MB: int(128, 16, 8192),
  SANDBOX_PIDS: int(64, 8, 4096),
  SANDBOX_CPUS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(64).default(1)),
  SANDBOX_TIMEOUT_SECONDS: int(5, 1, 120),
  SANDBOX_OUTPUT_KB: int(64, 1, 4096),
  SANDBOX_TMPFS_MB: int(16, 1, 1024),
  // /check: mypy --strict needs more memory than a small program, and a little more time.
  SANDBOX_CHECK_MEMORY_MB: int(256, 64, 8192),
  SANDBOX_CHECK_TIMEOUT_SECONDS: int(10, 1, 120),
  DOCKER_HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => {
        if (v.startsWith('/')) return true;
        try {
          return ['unix:', 'tcp:', 'http:', 'https:'].includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, 'expected unix:///path/to/docker.sock, tcp://host:2375, http(s)://host:port or an absolute socket path')
      .optional(),
  ),

  // Health and metrics over HTTP (off unless a port is set; 0 picks a free port).
  HEALTH_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  HEALTH_HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),

  // Discord.
  DISCORD_TOKEN: optionalString,
  DISCORD_APP_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: url(['http:', 'https:']),

  // Slack.
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_PORT: int(3000, 1, 65535),
  SLACK_API_URL: url(['http:', 'https:']),
  SLACK_ADMIN_USERGROUP: optionalString,
});

export type RawConfig = z.infer<typeof schema>;

/** Every variable the configuration reads (.env.example and the README document each one). */
export const CONFIG_VARIABLES = Object.keys(schema.shape) as (keyof RawConfig)[];

export interface Config {
  dataDir: string;
  databasePath: string;
  redisUrl: string | undefined;
  logLevel: RawConfig['LOG_LEVEL'];
  defaultTimeZone: string;
  contentDir: string;
  newCardsPerDay: number;
  quizOpenHours: number;
  commandsPerMinute: number;
  /** Button, menu and form clicks per person per minute (a quick flashcard session makes two a card). */
  clicksPerMinute: number;
  /** /progress, /streak and /leaderboard attach a drawn card beside their text. */
  pictures: boolean;
  /** HEALTH_PORT: /healthz, /readyz and /metrics are served only when it is set. */
  health: { port: number; host: string } | undefined;
  runs: { perMinute: number; codeMaxBytes: number; resultTimeoutSeconds: number };
  runner: {
    enabled: boolean;
    concurrency: number;
    image: string;
    runtime: string | undefined;
    poolSize: number;
    memoryMb: number;
    pids: number;
    cpus: number;
    timeoutSeconds: number;
    outputKb: number;
    tmpfsMb: number;
    /** /check jobs: memory per container and wall clock per tool. */
    checkMemoryMb: number;
    checkTimeoutSeconds: number;
    dockerHost: string | undefined;
  };
  discord: { token: string; appId: string | undefined; guildId: string | undefined; apiUrl: string | undefined } | undefined;
  slack:
    | {
        botToken: string;
        signingSecret: string | undefined;
        appToken: string | undefined;
        port: number;
        apiUrl: string | undefined;
        adminUsergroup: string | undefined;
      }
    | undefined;
}

/** Variables whose values are credentials: never shown, in errors or anywhere else. */
const SECRET_VARIABLES = /TOKEN|SECRET|PASSWORD/;

/** What a configuration error may show of a value: nothing for credentials, URLs without their passwords. */
function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (SECRET_VARIABLES.test(name)) return ' (value hidden)';
  return `=${JSON.stringify(value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, '$1***@'))}`;
}

/** The configured credentials, for scrubbing logs (see createLogger). */
export function secretsOf(config: Config): string[] {
  const out = [config.discord?.token, config.slack?.botToken, config.slack?.appToken, config.slack?.signingSecret];
  if (config.redisUrl) {
    try {
      const password = decodeURIComponent(new URL(config.redisUrl).password);
      if (password) out.push(password);
    } catch {
      // Not a URL: nothing to take from it.
    }
  }
  return out.filter((s): s is string => Boolean(s));
}

/**
 * Reads the configuration from `env` (and a .env file in the working directory when `env` is the
 * process environment). Every invalid variable is reported at once, by name, with what was expected.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  if (env === process.env && existsSync(path.join(cwd, '.env'))) {
    loadDotenv({ path: path.join(cwd, '.env'), quiet: true });
  }
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return `${name}${shownValue(name, env[name])}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set and SLACK_APP_TOKEN is not (the HTTP receiver verifies every request)');
  }
  if (!e.SLACK_BOT_TOKEN && (e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET)) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  }
  if (!e.DISCORD_TOKEN && (e.DISCORD_APP_ID || e.DISCORD_GUILD_ID)) {
    problems.push('DISCORD_TOKEN: required when DISCORD_APP_ID or DISCORD_GUILD_ID is set');
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(cwd, e.DATA_DIR);
  return {
    dataDir,
    databasePath: e.DATABASE_PATH ? path.resolve(cwd, e.DATABASE_PATH) : path.join(dataDir, 'studybot.sqlite'),
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    contentDir: path.resolve(cwd, e.CONTENT_DIR),
    newCardsPerDay: e.NEW_CARDS_PER_DAY,
    quizOpenHours: e.QUIZ_OPEN_HOURS,
    commandsPerMinute: e.COMMANDS_PER_MINUTE,
    clicksPerMinute: e.CLICKS_PER_MINUTE,
    pictures: e.PICTURES,
    health: e.HEALTH_PORT === undefined ? undefined : { port: e.HEALTH_PORT, host: e.HEALTH_HOST },
    runs: {
      perMinute: e.RUNS_PER_MINUTE,
      codeMaxBytes: e.CODE_MAX_BYTES,
      resultTimeoutSeconds: e.RUN_RESULT_TIMEOUT_SECONDS,
    },
    runner: {
      enabled: e.RUNNER,
      concurrency: e.RUNNER_CONCURRENCY,
      image: e.SANDBOX_IMAGE,
      runtime: e.SANDBOX_RUNTIME,
      poolSize: e.SANDBOX_POOL_SIZE,
      memoryMb: e.SANDBOX_MEMORY_MB,
      pids: e.SANDBOX_PIDS,
      cpus: e.SANDBOX_CPUS,
      timeoutSeconds: e.SANDBOX_TIMEOUT_SECONDS,
      outputKb: e.SANDBOX_OUTPUT_KB,
      tmpfsMb: e.SANDBOX_TMPFS_MB,
      checkMemoryMb: e.SANDBOX_CHECK_MEMORY_MB,
      checkTimeoutSeconds: e.SANDBOX_CHECK_TIMEOUT_SECONDS,
      dockerHost: e.DOCKER_HOST,
    },
    discord: e.DISCORD_TOKEN
      ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL }
      : undefined,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          port: e.SLACK_PORT,
          apiUrl: e.SLACK_API_URL,
          adminUsergroup: e.SLACK_ADMIN_USERGROUP,
        }
      : undefined,
  };
}

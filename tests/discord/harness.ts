import type { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createLogger, silentLogger, type Logger } from '../../src/logger.js';
import { DiscordAdapter } from '../../src/platforms/discord/index.js';
import { deployCommands } from '../../src/platforms/discord/deploy.js';
import type { Clock } from '../../src/time.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { expectCleanTraffic } from './assertions.js';
import { FakeDiscord } from './fake-discord.js';

export interface Harness {
  fake: FakeDiscord;
  app: TestApp;
  adapter: DiscordAdapter;
  logger: Logger;
  /** How long the client took from login to ready. */
  readyMs: number;
  /** Discord error codes the running test provokes on purpose (reset before each test). */
  expectedRefusals: number[];
}

/** Logs stay quiet unless TEST_LOG names a level (e.g. TEST_LOG=debug). */
function testLogger(): Logger {
  return process.env.TEST_LOG ? createLogger(process.env.TEST_LOG) : silentLogger;
}

/**
 * The whole bot against a fake Discord: a real app (real Redis, temp SQLite, fixture content, and
 * a code runner on the real Docker engine when `runner` is set), commands registered with the
 * deploy script, and the real discord.js client logged in to the fake gateway.
 */
export async function startDiscord(
  opts: {
    runner?: boolean;
    ackAfterMs?: number;
    clock?: Clock;
    /** The bot's random source (question picks, option orders). */
    random?: () => number;
    env?: Record<string, string>;
    /** Every log line of the bot and the adapter, at trace level, scrubbed as production scrubs it. */
    logTo?: Writable;
  } = {},
): Promise<Harness> {
  const fake = await FakeDiscord.start();
  const logger = opts.logTo ? createLogger('trace', { destination: opts.logTo, secrets: [fake.token] }) : testLogger();
  let app: TestApp | undefined;
  try {
    app = await createTestApp({
      runner: opts.runner ?? false,
      logger,
      ...(opts.clock && { clock: opts.clock }),
      ...(opts.random && { random: opts.random }),
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_APP_ID: fake.appId,
        DISCORD_GUILD_ID: fake.guildId,
        DISCORD_API_URL: fake.apiUrl,
        ...opts.env,
      },
    });
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    if ((await deployCommands(app.config, [], app.router.commands, io)) !== 0) throw new Error(`deploying the commands failed:\n${out.join('')}`);
    const adapter = new DiscordAdapter({
      router: app.router,
      clock: app.services.clock,
      config: app.config.discord!,
      logger,
      ...(opts.ackAfterMs !== undefined && { ackAfterMs: opts.ackAfterMs }),
    });
    const started = Date.now();
    await app.attach(adapter);
    return { fake, app, adapter, logger, readyMs: Date.now() - started, expectedRefusals: [] };
  } catch (err) {
    await app?.stop();
    await fake.close();
    throw err;
  }
}

export async function stopDiscord(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.app.stop();
  await h.fake.close();
}

/** One harness for a describe block, started before its tests and stopped after them. */
export function useDiscord(opts: Parameters<typeof startDiscord>[0] = {}): () => Harness {
  let h: Harness | undefined;
  let from = 0;
  beforeAll(async () => {
    h = await startDiscord(opts);
  });
  afterAll(async () => {
    await stopDiscord(h);
  });
  // Each test's own traffic, checked after it: no unexpected refusal, no message that could ping.
  beforeEach(() => {
    from = h?.fake.calls.length ?? 0;
    if (h) h.expectedRefusals = [];
  });
  afterEach(() => {
    if (h) expectCleanTraffic(h, from, h.expectedRefusals);
  });
  return () => {
    if (!h) throw new Error('the Discord harness did not start');
    return h;
  };
}

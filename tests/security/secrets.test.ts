import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../../src/config.js';
import { createLogger, scrubText } from '../../src/logger.js';
import { runCli } from '../support/cli.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { sink, text: () => lines.join('') };
}

const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abc';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZmdoaWprbG1ub3BxcnN0';
const SLACK_BOT = 'xoxb-1111-2222-a1b2c3d4e5f6';
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const RESPONSE_URL = 'https://hooks.slack.com/actions/T0STUDY/123456/AbCdEfGhIjKlMnOp';
const REDIS_PASSWORD = 'hunter2-correct-horse';

describe('secrets never reach a log line', () => {
  const config = loadConfig(
    {
      DISCORD_TOKEN,
      SLACK_BOT_TOKEN: SLACK_BOT,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      REDIS_URL: `redis://studybot:${REDIS_PASSWORD}@redis.internal:6379/0`,
    },
    '/tmp',
  );

  it('scrubs tokens, interaction URLs, response URLs and passwords from errors, fields and messages', () => {
    const { sink, text } = capture();
    const log = createLogger('trace', { destination: sink, secrets: secretsOf(config) });
    const failed = new DiscordAPIError(
      { code: 10062, message: 'Unknown interaction' },
      10062,
      404,
      'PATCH',
      `https://discord.com/api/v10/webhooks/123456789012345678/${INTERACTION_TOKEN}/messages/@original`,
      { body: { content: 'secret answer' }, files: undefined },
    );
    log.error({ err: failed }, 'posting a result failed');
    log.warn({ conversation: { handle: JSON.stringify({ appId: '1', token: INTERACTION_TOKEN }), channelId: 'C1' } }, 'delivery');
    log.info({ response_url: RESPONSE_URL, url: `redis://studybot:${REDIS_PASSWORD}@redis.internal:6379/0` }, `calling ${RESPONSE_URL}`);
    log.debug({ headers: { authorization: `Bot ${DISCORD_TOKEN}` }, body: `token=${SLACK_BOT}&secret=${SLACK_SECRET}` }, 'request');
    const out = text();
    for (const secret of [DISCORD_TOKEN, INTERACTION_TOKEN, SLACK_BOT, SLACK_SECRET, RESPONSE_URL, REDIS_PASSWORD]) expect(out).not.toContain(secret);
    // What failed is still there to read.
    expect(out).toContain('Unknown interaction');
    expect(out).toContain('/webhooks/123456789012345678/[redacted]/messages');
    expect(out).toContain('posting a result failed');
    expect(out).not.toContain('secret answer');
  });

  it('configuration errors name the variable and the problem, never a secret value', () => {
    const bad = () =>
      loadConfig({ REDIS_URL: `http://studybot:${REDIS_PASSWORD}@redis.internal:6379`, SLACK_BOT_TOKEN: SLACK_BOT, SLACK_PORT: 'eighty' }, '/tmp');
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('REDIS_URL=');
      expect(message).toContain('SLACK_PORT="eighty"');
      expect(message).not.toContain(REDIS_PASSWORD);
      expect(message).not.toContain(SLACK_BOT);
    }
    expect(scrubText(`failed to connect to redis://:${REDIS_PASSWORD}@h:1`)).not.toContain(REDIS_PASSWORD);
  });

  it('a bot that cannot reach its Redis says so without printing the password', async () => {
    const r = await runCli(['run', '/dev/null'], {
      env: { REDIS_URL: `redis://studybot:${REDIS_PASSWORD}@127.0.0.1:1/0`, RUNNER: 'false', LOG_LEVEL: 'debug' },
      timeoutMs: 60_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Redis is not reachable at redis://studybot:***@127.0.0.1:1/0');
    expect(`${r.stdout}${r.stderr}`).not.toContain(REDIS_PASSWORD);
  }, 90_000);
});

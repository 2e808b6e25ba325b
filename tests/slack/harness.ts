import { silentLogger } from '../../src/logger.js';
import { SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { SlackDriver } from './driver.js';
import { SlackRecorder, type SlackUser } from './recorder.js';
import { freePort } from '../infra/processes.js';

export const BOT_TOKEN = 'xoxb-1111-2222-studybottesttoken';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TEAM = 'T0STUDY';
export const WS = `slack:${TEAM}`;

/** A member, a workspace admin, a member of the admin user group, and someone with a hostile name. */
export const ada: SlackUser = { id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', displayName: 'Ada', locale: 'en-GB' };
export const bob: SlackUser = { id: 'U0BOB', name: 'bob', realName: 'Bob Smith' };
export const grace: SlackUser = { id: 'U0GRACE', name: 'grace', realName: 'Grace Hopper', isAdmin: true };
export const linus: SlackUser = { id: 'U0LINUS', name: 'linus', realName: 'Linus T' };
export const eve: SlackUser = { id: 'U0EVE', name: 'eve', displayName: '<!channel> eve <@U0ADA>' };
export const mallory: SlackUser = { id: 'U0MALLORY', name: 'mallory', displayName: '[Free Nitro](https://evil.example/claim) ```\u202Eevil' };

export interface SlackHarness {
  recorder: SlackRecorder;
  app: TestApp;
  adapter: SlackAdapter;
  driver: SlackDriver;
  stop(): Promise<void>;
}

/**
 * The real app (real Redis, temp SQLite, fixture content unless `env` sets CONTENT_DIR; a Docker
 * code runner with `runner: true`) with the Slack adapter attached on its HTTP receiver, its Web API calls going
 * to a local recorder.
 */
export async function slackHarness(opts: { runner?: boolean; env?: Record<string, string>; random?: () => number } = {}): Promise<SlackHarness> {
  const recorder = await SlackRecorder.start({
    botToken: BOT_TOKEN,
    teamId: TEAM,
    users: [ada, bob, grace, linus, eve, mallory],
    usergroups: { S0ADMINS: { handle: 'study-admins', members: [linus.id] } },
  });
  // Configured through the environment, as `studybot start` is.
  const app = await createTestApp({
    ...(opts.runner && { runner: true }),
    ...(opts.random && { random: opts.random }),
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: String(await freePort()),
      SLACK_API_URL: recorder.apiUrl.replace(/\/$/, ''),
      SLACK_ADMIN_USERGROUP: 'study-admins',
      ...opts.env,
    },
  });
  const adapter = new SlackAdapter({ router: app.router, config: app.config.slack!, logger: silentLogger });
  await app.attach(adapter);
  const driver = new SlackDriver(adapter.url!, SIGNING_SECRET, recorder);
  return {
    recorder,
    app,
    adapter,
    driver,
    async stop() {
      await app.stop();
      await recorder.close();
    },
  };
}

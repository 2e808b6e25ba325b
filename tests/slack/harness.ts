import { silentLogger } from '../../src/logger.js';
import { SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { SlackDriver } from './driver.js';
import { SlackRecorder, type SlackUser } from './recorder.js';

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

export interface SlackHarness {
  recorder: SlackRecorder;
  app: TestApp;
  adapter: SlackAdapter;
  driver: SlackDriver;
  stop(): Promise<void>;
}

/**
 * The real app (real Redis, temp SQLite, fixture content; a Docker code runner with
 * `runner: true`) with the Slack adapter attached on its HTTP receiver, its Web API calls going
 * to a local recorder.
 */
export async function slackHarness(opts: { runner?: boolean } = {}): Promise<SlackHarness> {
  const recorder = await SlackRecorder.start({
    botToken: BOT_TOKEN,
    teamId: TEAM,
    users: [ada, bob, grace, linus, eve],
    usergroups: { S0ADMINS: { handle: 'study-admins', members: [linus.id] } },
  });
  const app = await createTestApp({ ...(opts.runner && { runner: true }) });
  const adapter = new SlackAdapter({
    router: app.router,
    services: app.services,
    config: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: undefined, port: 0, apiUrl: recorder.apiUrl, adminUsergroup: 'study-admins' },
    logger: silentLogger,
  });
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

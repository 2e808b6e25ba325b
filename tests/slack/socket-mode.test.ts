import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { buttonLabels, SlackDriver, shown, on } from './driver.js';
import { ada, BOT_TOKEN, SIGNING_SECRET, TEAM } from './harness.js';
import { SlackRecorder } from './recorder.js';
import { SocketModeServer } from './socket-server.js';

const APP_TOKEN = 'xapp-1-A0STUDYBOT-1234-socketmodetesttoken';

let recorder: SlackRecorder;
let sockets: SocketModeServer;
let app: TestApp;
let adapter: SlackAdapter;
let driver: SlackDriver;

beforeAll(async () => {
  recorder = await SlackRecorder.start({ botToken: BOT_TOKEN, teamId: TEAM, users: [ada] });
  sockets = await SocketModeServer.start();
  recorder.socketMode = { appToken: APP_TOKEN, url: sockets.url };
  app = await createTestApp();
  adapter = new SlackAdapter({
    router: app.router,
    config: { botToken: BOT_TOKEN, signingSecret: undefined, appToken: APP_TOKEN, port: 3000, apiUrl: recorder.apiUrl, adminUsergroup: undefined },
    logger: silentLogger,
  });
  await app.attach(adapter);
  // The signed-request driver is not used for the transport here, only to build Slack's payloads.
  driver = new SlackDriver('http://127.0.0.1:1/unused', SIGNING_SECRET, recorder);
});

afterAll(async () => {
  await app?.stop();
  await sockets?.close();
  await recorder?.close();
});

describe('Slack adapter over Socket Mode', () => {
  it('connects with the app-level token and opens no HTTP port', async () => {
    await sockets.waitForConnection();
    expect(adapter.url).toBeUndefined();
    const open = recorder.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(APP_TOKEN);
  });

  it('acknowledges a slash command at once and answers it; clicks and events work too', async () => {
    await sockets.waitForConnection();
    const help = driver.commandFields(ada, 'help', 'C0SOCKET');
    const { ack, ms } = await sockets.send('slash_commands', help.fields);
    expect(ack.envelope_id).toBeTruthy();
    expect(ms).toBeLessThan(3000);
    expect(shown(await recorder.waitForVisible('the help', on(help.responseUrl)))).toContain('/study quiz');

    // A quiz question goes to the channel as a message of its own (its count and reveal edit it).
    await sockets.send('slash_commands', driver.commandFields(ada, 'quiz alpha', 'C0SOCKET').fields);
    const question = await recorder.waitForVisible('the question', (v) => v.via === 'chat.postMessage' && v.channel === 'C0SOCKET');
    expect(buttonLabels(question.blocks)).toEqual(['A', 'B', 'C', 'D', 'Reveal']);

    const click = driver.clickPayload(ada, question, /^A$/);
    await sockets.send('interactive', click.payload);
    const verdict = await recorder.waitForVisible('the verdict', on(click.responseUrl));
    expect(verdict.ephemeral).toBe(true);
    expect(shown(verdict)).toMatch(/Correct!|Not quite/);

    await sockets.send('events_api', driver.homeOpenedEvent(ada));
    const published = await recorder.waitFor('views.publish', () => recorder.callsTo('views.publish').find((c) => c.args.user_id === ada.id));
    expect((published.args.view as { type: string }).type).toBe('home');
  });
});

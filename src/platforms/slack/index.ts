import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type SlashCommand, type ViewSubmitAction } from '@slack/bolt';
import type { Adapter } from '../../chat/adapter.js';
import type { ChatContext, Conversation } from '../../chat/context.js';
import type { ChatEvent } from '../../chat/command.js';
import type { Form, Reply } from '../../chat/reply.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Router } from '../../router/router.js';
import { boltLogger } from './bolt-logger.js';
import { decodeOrigin, renderForm, renderMessage, type FormOrigin, type RenderOptions } from './blocks.js';
import { SlackHome } from './home.js';
import { clickedMessage, withOwner } from './ownership.js';
import { formFiles, SLACK_FILE_HOSTS } from './files.js';
import { actionOrigin, commandEvent, componentEvent, formFields } from './inbound.js';
import { SlackPeople } from './people.js';
import { SlackPoster, SlackSender } from './post.js';
import { RESPONSE_URL_TTL_MS, ResponseUrlError, ResponseUrls, type ResponseBody } from './response-url.js';

export { escapeMrkdwn, markdownToMrkdwn, splitMrkdwn } from './mrkdwn.js';
export { renderForm, renderMessage, LIMITS } from './blocks.js';
export { decodeCommandText } from './inbound.js';

/** The one slash command; every neutral command is a subcommand of it (`/study quiz asyncio`). */
export const SLACK_COMMAND = '/study';

export interface SlackAdapterOptions {
  router: Router;
  config: NonNullable<Config['slack']>;
  logger: Logger;
}

/** One Slack request being answered: who, where, and how to answer. */
interface Interaction {
  teamId: string;
  userId: string;
  fallbackName: string;
  /** Undefined for clicks in the App Home tab: answers go to the user's DM with the app. */
  channelId: string | undefined;
  threadTs?: string | undefined;
  triggerId?: string | undefined;
  responseUrl?: string | undefined;
  responseUrlExpiresAt?: number | undefined;
}

type Session = { post: (body: ResponseBody) => Promise<void>; end: () => void };

/** The Web API base URL must end with a slash: the client appends method names to it. */
function apiBase(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Slack through Bolt: transport only. `/study <text>` goes through the same text parser as the
 * terminal; clicks, menu choices and modal submissions become neutral component and form events;
 * the router does everything else (permissions, rate limits, error replies). Every request is
 * acknowledged first, within Slack's 3 seconds, and answered afterwards through its response_url
 * (ephemeral for private replies, replace_original for updates) or the Web API.
 *
 * Transport: Socket Mode when an app-level token is configured, otherwise Bolt's HTTP receiver on
 * `config.port` at /slack/events, which verifies every request's signature.
 */
export class SlackAdapter implements Adapter {
  readonly platform = 'slack' as const;
  readonly sender: SlackSender;
  readonly app: App;
  private readonly people: SlackPeople;
  private readonly poster: SlackPoster;
  private readonly home: SlackHome;
  private readonly responseUrls = new ResponseUrls();
  private readonly render: RenderOptions;
  private readonly inflight = new Set<Promise<void>>();
  private server: Server | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: SlackAdapterOptions) {
    const { config, logger } = opts;
    this.log = logger.child({ platform: 'slack' });
    const socketMode = Boolean(config.appToken);
    if (!socketMode && !config.signingSecret) {
      throw new Error('SLACK_SIGNING_SECRET is required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    this.app = new App({
      token: config.botToken,
      ...(socketMode ? { socketMode: true, appToken: config.appToken } : { signingSecret: config.signingSecret, port: config.port }),
      clientOptions: {
        ...(config.apiUrl && { slackApiUrl: apiBase(config.apiUrl) }),
        // A user is waiting on the other end: a few quick retries, not the default half hour.
        retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 4000 },
      },
      logger: boltLogger(this.log),
      // auth.test runs in start(), where a bad token is reported, not as a stray rejection.
      deferInitialization: true,
    });
    this.render = { commandNames: opts.router.commands.map((c) => c.name), commandPrefix: SLACK_COMMAND.slice(1) };
    this.people = new SlackPeople(this.app.client, { adminUsergroup: config.adminUsergroup, logger: this.log });
    this.poster = new SlackPoster({
      client: this.app.client,
      people: this.people,
      render: (m) => withOwner(renderMessage(m, this.render), m.owner),
      logger: this.log,
    });
    this.home = new SlackHome({
      client: this.app.client,
      router: opts.router,
      logger: this.log,
      render: this.render,
      contextFor: (teamId, userId) => this.context({ teamId, userId, fallbackName: userId, channelId: undefined }),
    });
    this.sender = new SlackSender({
      poster: this.poster,
      responseUrls: this.responseUrls,
      logger: this.log,
      onDelivered: (teamId, userId) => this.home.refreshSoon(teamId, userId),
    });
    this.listen();
  }

  /** The HTTP receiver's events URL once started (undefined in Socket Mode). */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://127.0.0.1:${address.port}/slack/events` : undefined;
  }

  async start(): Promise<void> {
    await this.app.init();
    const { config } = this.opts;
    if (config.appToken) {
      await this.app.start();
      this.log.info({ transport: 'socket-mode' }, 'slack connected');
    } else {
      this.server = (await this.app.start(config.port)) as Server;
      this.log.info({ transport: 'http', port: (this.server.address() as AddressInfo).port, path: '/slack/events' }, 'slack receiver listening');
    }
  }

  async stop(): Promise<void> {
    await this.app.stop().catch((err: unknown) => this.log.warn({ err }, 'stopping the slack receiver failed'));
    // Answers already under way are finished, so nobody is left with a silent command.
    await Promise.allSettled([...this.inflight]);
    await this.home.stop();
  }

  /** Resolves once every request received so far has been fully answered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private track(work: Promise<void>): Promise<void> {
    const p = work.catch((err: unknown) => this.log.error({ err }, 'slack request failed')).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    return p;
  }

  private listen(): void {
    const app = this.app;
    app.command(SLACK_COMMAND, async ({ command, ack }) => {
      await ack();
      await this.track(this.onCommand(command));
    });
    app.action<BlockAction>({ type: 'block_actions' }, async ({ body, ack }) => {
      await ack();
      await this.track(this.onAction(body));
    });
    app.view<ViewSubmitAction>({ type: 'view_submission' }, async ({ body, ack }) => {
      // Acknowledging closes the modal; the answer follows in the conversation.
      await ack();
      await this.track(this.onSubmit(body));
    });
    app.event('app_home_opened', async ({ event, body }) => {
      if (event.tab !== 'home') return;
      const teamId = body.team_id;
      this.people.rememberDm(teamId, event.user, event.channel);
      await this.track(this.home.opened(teamId, event.user));
    });
    app.error(async (err) => {
      this.log.error({ err }, 'slack listener error');
    });
  }

  private async onCommand(command: SlashCommand): Promise<void> {
    const ix: Interaction = {
      teamId: command.team_id,
      userId: command.user_id,
      fallbackName: command.user_name,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      responseUrl: command.response_url,
      responseUrlExpiresAt: Date.now() + RESPONSE_URL_TTL_MS,
    };
    let event: ChatEvent | Reply[];
    try {
      event = commandEvent(command.text, this.opts.router.commands);
    } catch (err) {
      event = [this.opts.router.errors.reply(err, { platform: 'slack' })];
    }
    await this.answer(ix, event);
  }

  private async onAction(body: BlockAction): Promise<void> {
    const action = body.actions[0];
    if (!action) return;
    const origin = actionOrigin(body);
    const neutral = componentEvent(action);
    if (!neutral) return;
    // A click in the App Home tab is answered in the user's DM with the app (no channel of its own).
    const event: ChatEvent = { ...neutral, on: clickedMessage(body) };
    await this.answer(
      {
        teamId: origin.teamId,
        userId: origin.userId,
        fallbackName: body.user.username ?? body.user.name ?? origin.userId,
        channelId: origin.fromHome ? undefined : origin.channelId,
        threadTs: origin.threadTs,
        triggerId: body.trigger_id,
        responseUrl: origin.responseUrl,
        responseUrlExpiresAt: Date.now() + RESPONSE_URL_TTL_MS,
      },
      event,
    );
  }

  private async onSubmit(body: ViewSubmitAction): Promise<void> {
    const origin = decodeOrigin(body.view.private_metadata, body.view.callback_id);
    const urlValid = origin.responseUrl && (origin.responseUrlExpiresAt ?? 0) > Date.now();
    await this.answer(
      {
        teamId: body.team?.id ?? body.user.team_id ?? 'unknown',
        userId: body.user.id,
        fallbackName: body.user.name,
        channelId: origin.channelId,
        threadTs: origin.threadTs,
        triggerId: body.trigger_id,
        ...(urlValid && { responseUrl: origin.responseUrl, responseUrlExpiresAt: origin.responseUrlExpiresAt }),
      },
      { type: 'form', id: origin.id, fields: formFields(body.view), files: formFiles(body.view, this.fileFetch()) },
    );
  }

  /** How files uploaded in a modal are fetched: with the bot token, from Slack's hosts only. */
  private fileFetch() {
    const { config } = this.opts;
    const hosts = new Set(SLACK_FILE_HOSTS);
    if (config.apiUrl) hosts.add(new URL(config.apiUrl).host);
    return { botToken: config.botToken, hosts };
  }

  private async context(ix: Interaction): Promise<ChatContext> {
    const person = await this.people.person(ix.teamId, ix.userId, ix.fallbackName);
    const channelId = ix.channelId ?? (await this.people.dmChannel(ix.teamId, ix.userId));
    const conversation: Conversation = {
      platform: 'slack',
      workspaceId: ix.teamId,
      channelId,
      userId: ix.userId,
      ...(ix.threadTs && { threadId: ix.threadTs }),
      // A code result replaces the "queued…" reply through this URL while it is valid.
      ...(ix.responseUrl && { handle: ix.responseUrl, handleExpiresAt: ix.responseUrlExpiresAt ?? Date.now() + RESPONSE_URL_TTL_MS }),
    };
    return {
      platform: 'slack',
      workspaceId: ix.teamId,
      channelId,
      userId: ix.userId,
      userName: person.name,
      locale: person.locale,
      isAdmin: person.isAdmin,
      conversation,
    };
  }

  /** Runs an event through the router (or shows ready-made replies) and delivers the answers. */
  private async answer(ix: Interaction, event: ChatEvent | Reply[]): Promise<void> {
    const session = ix.responseUrl ? this.responseUrls.begin(ix.responseUrl) : undefined;
    try {
      const ctx = await this.context(ix);
      const replies = Array.isArray(event) ? event : await this.opts.router.dispatch(event, ctx);
      for (const reply of replies) await this.deliverReply(reply, ix, ctx, session);
    } catch (err) {
      // The router answers every handler error itself; what lands here is Slack refusing a post.
      // The response_url may still take a short apology where the Web API would not.
      this.log.error({ err, team: ix.teamId, user: ix.userId }, 'answering a slack request failed');
      const sorry = this.opts.router.errors.reply(err, { platform: 'slack', team: ix.teamId });
      if (session && sorry.kind === 'message') {
        await session.post({ response_type: 'ephemeral', replace_original: false, ...this.poster.render(sorry.message) }).catch(() => undefined);
      }
    } finally {
      session?.end();
      this.home.refreshSoon(ix.teamId, ix.userId);
    }
  }

  private async deliverReply(reply: Reply, ix: Interaction, ctx: ChatContext, session: Session | undefined): Promise<void> {
    if (reply.kind === 'form') {
      await this.openForm(reply.form, ix, ctx, session);
      return;
    }
    const m = reply.message;
    const target = { teamId: ix.teamId, channelId: ctx.channelId, threadTs: ix.threadTs, userId: ix.userId };
    // A message the bot keeps editing (a question's count of answers, a countdown) is posted with the
    // bot token, which can update it later; the response_url could not.
    if (m.live && !m.private && !reply.update) {
      const posted = await this.poster.toChannel(target, m);
      if (posted) this.opts.router.noteLive(m.live, posted);
      return;
    }
    if (session) {
      const body: ResponseBody = reply.update
        ? { replace_original: true, ...this.poster.render(m) }
        : { response_type: m.private ? 'ephemeral' : 'in_channel', replace_original: false, ...this.poster.render(m) };
      try {
        await session.post(body);
        await this.poster.files(target, m);
        return;
      } catch (err) {
        if (!(err instanceof ResponseUrlError)) throw err;
        this.log.warn({ err }, 'response_url refused a reply; posting it instead');
      }
    }
    await this.poster.toChannel(target, m);
  }

  private async openForm(form: Form, ix: Interaction, ctx: ChatContext, session: Session | undefined): Promise<void> {
    const origin: FormOrigin = {
      id: form.id,
      channelId: ctx.channelId,
      ...(ix.threadTs && { threadTs: ix.threadTs }),
      ...(ix.responseUrl && { responseUrl: ix.responseUrl, responseUrlExpiresAt: ix.responseUrlExpiresAt }),
    };
    try {
      if (!ix.triggerId) throw new Error('no trigger_id to open a modal with');
      await this.app.client.views.open({ trigger_id: ix.triggerId, view: renderForm(form, origin) });
    } catch (err) {
      // trigger_ids live 3 seconds; if Slack was slower than that, say what to do instead.
      this.log.warn({ err, form: form.id }, 'views.open failed');
      const sorry: Reply = {
        kind: 'message',
        message: {
          blocks: [
            { kind: 'text', markdown: "⚠️ Slack didn't let me open the form in time. Please run the command again." },
            // Code can skip the form; a file (a deck to import) can only come through it.
            ...(form.fields.some((f) => f.style === 'file')
              ? []
              : [
                  {
                    kind: 'note' as const,
                    markdown: `Or skip the form: put your code in a \`\`\`python block right after \`${SLACK_COMMAND} run\` or \`${SLACK_COMMAND} submit <challenge>\`.`,
                  },
                ]),
          ],
          private: true,
        },
      };
      await this.deliverReply(sorry, ix, ctx, session);
    }
  }
}

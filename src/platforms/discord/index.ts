import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Adapter } from '../../chat/adapter.js';
import type { Router } from '../../router/router.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../time.js';
import { ComponentIds } from './component-ids.js';
import { InteractionHandler } from './interactions.js';
import { NO_MENTIONS } from './payload.js';
import { DiscordSender } from './sender.js';

export { deployCommands } from './deploy.js';

export interface DiscordAdapterOptions {
  router: Router;
  clock: Clock;
  config: NonNullable<Config['discord']>;
  logger: Logger;
  /**
   * Handlers not done within this many milliseconds are deferred (default 2,000; Discord allows
   * 3,000). 0 defers every response first (for hosts far from Discord); forms then open from a
   * button, since a modal cannot follow a defer.
   */
  ackAfterMs?: number;
  /** How long to wait for the gateway's READY (default 30 s). */
  readyTimeoutMs?: number;
}

/** Hosts Discord serves attachments from. */
const CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];

/**
 * The Discord connection: a discord.js client on the gateway with the Guilds intent only (slash
 * commands, components and modals arrive as interactions; no message content is read). Transport
 * only: every event goes through the router, every reply is rendered from the neutral model.
 */
export class DiscordAdapter implements Adapter {
  readonly platform = 'discord' as const;
  readonly sender: DiscordSender;
  readonly client: Client;
  private readonly handler: InteractionHandler;

  constructor(private readonly opts: DiscordAdapterOptions) {
    const { config, logger } = opts;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // As many gateway shards as Discord recommends (required from 2,500 servers), in this process.
      shards: 'auto',
      allowedMentions: NO_MENTIONS,
      ...(config.apiUrl && { rest: { api: config.apiUrl } }),
    });
    const ids = new ComponentIds();
    const hosts = new Set(CDN_HOSTS);
    if (config.apiUrl) hosts.add(new URL(config.apiUrl).host);
    this.handler = new InteractionHandler({
      router: opts.router,
      clock: opts.clock,
      logger,
      ids,
      download: { hosts },
      ...(opts.ackAfterMs !== undefined && { ackAfterMs: opts.ackAfterMs }),
    });
    this.sender = new DiscordSender({
      rest: this.client.rest,
      ids,
      clock: opts.clock,
      logger,
      settled: (token) => this.handler.settled(token),
    });
    this.client.on(Events.InteractionCreate, (interaction) => {
      this.handler
        .handle(interaction)
        .catch((err: unknown) => logger.error({ err, interaction: interaction.id }, 'discord interaction handler crashed'));
    });
    this.client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
    this.client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
    this.client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'discord gateway disconnected'));
    this.client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'discord gateway resumed'));
  }

  async start(): Promise<void> {
    const timeoutMs = this.opts.readyTimeoutMs ?? 30_000;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const ready = once(this.client, Events.ClientReady, { signal: abort.signal });
    // Observed below; without this a failed login would leave it rejecting unhandled.
    ready.catch(() => undefined);
    try {
      await this.client.login(this.opts.config.token);
      await ready;
    } catch (err) {
      await this.client.destroy();
      if (abort.signal.aborted) throw new Error(`Discord did not become ready within ${timeoutMs / 1000} s`, { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    this.opts.logger.info(
      { user: this.client.user?.tag, application: this.client.application?.id, guilds: this.client.guilds.cache.size },
      'connected to Discord',
    );
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  choiceProblems,
  commandProblems,
  EDIT_WINDOW_MS,
  EDITS_PER_WINDOW,
  invalidBody,
  isEmptyMessage,
  messageProblems,
  modalProblems,
  RateLimited,
  Refusal,
} from './fake-refusals.js';

/**
 * A local Discord for tests: the REST API under /api/v10 and a gateway WebSocket that the real
 * discord.js client connects to (it learns the gateway's address from GET /gateway/bot). It keeps
 * messages, interactions and registered commands the way Discord does, records every REST call,
 * and refuses what Discord refuses (see fake-refusals.ts), so a bug in the bot fails a test.
 */

export type Json = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  /** Decoded path below /api/v10, e.g. /webhooks/1/tok/messages/@original. */
  path: string;
  /** The path as it arrived (with %40original). */
  rawPath: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The JSON body, or the parsed payload_json of a multipart body. */
  body: Json | undefined;
  multipart: boolean;
  files: { field: string; name: string; contentType: string; data: Buffer }[];
  status: number;
  response: unknown;
}

export interface FakeUser {
  id: string;
  username: string;
  globalName: string;
  permissions: bigint;
}

/** A stored message, as Discord returns it. */
export type FakeMessage = Json & { id: string; channel_id: string; embeds: Json[]; components: Json[]; flags: number };

/** An interaction the fake sent to the bot. */
export interface Sent {
  id: string;
  token: string;
}

export type SlashValue = string | number | boolean | { file: string; data: Buffer };

interface InteractionState {
  id: string;
  token: string;
  type: number;
  createdAt: number;
  userId: string;
  channelId: string;
  /** The message a component sits on (or a modal was opened from). */
  messageId?: string;
  /** The interaction response type it was acknowledged with. */
  ack?: number;
  /** Id of the message @original refers to. */
  originalId?: string;
  modal?: Json;
  choices?: Json[];
}

const P = {
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
};
const MEMBER = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.UseApplicationCommands;
export const PERMISSIONS = { member: MEMBER, admin: MEMBER | P.ManageGuild, owner: MEMBER | P.Administrator, flags: P };

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

let nextId = 1_300_000_000_000_000_000n;
export const snowflake = () => String(nextId++);

export class FakeDiscord {
  readonly token = `fake-bot-token-${randomBytes(6).toString('hex')}`;
  readonly appId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  /** A second text channel, for daily posts. */
  readonly studyChannelId = snowflake();
  readonly bot = { id: this.appId, username: 'studybot', global_name: null, discriminator: '0', avatar: null, bot: true, public_flags: 0 };
  readonly users: Record<'admin' | 'ada' | 'bob', FakeUser> = {
    admin: { id: snowflake(), username: 'grace', globalName: 'Grace', permissions: PERMISSIONS.admin },
    ada: { id: snowflake(), username: 'ada', globalName: 'Ada', permissions: PERMISSIONS.member },
    bob: { id: snowflake(), username: 'bob', globalName: 'Bob @everyone', permissions: PERMISSIONS.member },
  };
  readonly calls: RecordedCall[] = [];
  readonly identifies: Json[] = [];
  readonly messages = new Map<string, FakeMessage>();
  /** When each channel's recent message edits happened (Discord's per-channel edit bucket). */
  private readonly editTimes = new Map<string, number[]>();
  /** Registered commands per scope: 'global' or a guild id. */
  readonly commands = new Map<string, Json[]>();
  /** How long a first response may take; Discord allows 3 s. */
  ackWindowMs = 3000;
  /** Paths of the attachments anyone downloaded from the fake CDN, in order. */
  readonly fileFetches: string[] = [];
  /** Attachment file names the fake CDN answers with a redirect, to where. */
  readonly redirects = new Map<string, string>();
  /**
   * The time rate limits are measured in: real time by default; a test that runs the bot's timers
   * on a manual clock measures in the bot's time, which is when the edits would really happen.
   */
  clock: () => number = Date.now;
  /** How long interaction tokens (webhooks) work; Discord: 15 minutes. */
  tokenLifetimeMs = 15 * 60_000;

  private readonly interactions = new Map<string, InteractionState>();
  private readonly byToken = new Map<string, InteractionState>();
  private readonly files = new Map<string, { data: Buffer; contentType: string }>();
  private readonly dmChannels = new Map<string, string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters: { pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  private seq = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
  ) {}

  static async start(): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    const fake = new FakeDiscord(server, wss);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => fake.onGateway(ws, req));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What DISCORD_API_URL is set to. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ─── Gateway ──────────────────────────────────────────────────────────────────────────────────

  private onGateway(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('v') !== '10' || url.searchParams.get('encoding') !== 'json' || url.searchParams.has('compress')) {
      ws.close(4012, 'Invalid API version or encoding');
      return;
    }
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: Json };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      else if (msg.op === 2) this.identify(ws, msg.d);
      else if (msg.op === 6) this.dispatch(ws, 'RESUMED', {});
    });
  }

  private identify(ws: WebSocket, d: Json): void {
    this.identifies.push(d);
    if (d.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.dispatch(ws, 'READY', {
      v: 10,
      user: { ...this.bot, verified: true, flags: 0, mfa_enabled: false },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: randomBytes(16).toString('hex'),
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      shard: [0, 1],
      application: { id: this.appId, flags: 0 },
    });
    this.dispatch(ws, 'GUILD_CREATE', this.guildPayload());
  }

  private dispatch(ws: WebSocket, t: string, d: Json): void {
    ws.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  private channelPayload(id: string): Json {
    const name = id === this.channelId ? 'general' : id === this.studyChannelId ? 'study' : 'other';
    return {
      id,
      type: 0,
      guild_id: this.guildId,
      name,
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      topic: null,
      last_message_id: null,
      parent_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  private guildPayload(): Json {
    return {
      id: this.guildId,
      name: 'Python study group',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.users.admin.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: this.guildId,
          name: '@everyone',
          permissions: String(MEMBER),
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
          icon: null,
          unicode_emoji: null,
        },
      ],
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 4,
      voice_states: [],
      members: [{ user: this.bot, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null }],
      channels: [this.channelPayload(this.channelId), this.channelPayload(this.studyChannelId)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ─── Interactions sent to the bot ─────────────────────────────────────────────────────────────

  private userPayload(u: FakeUser): Json {
    return { id: u.id, username: u.username, global_name: u.globalName, discriminator: '0', avatar: null, public_flags: 0 };
  }

  private memberPayload(u: FakeUser): Json {
    return {
      user: this.userPayload(u),
      roles: [],
      permissions: String(u.permissions),
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      avatar: null,
      pending: false,
      premium_since: null,
      communication_disabled_until: null,
    };
  }

  private send(user: FakeUser, type: number, data: Json, extra: Json = {}, channelId = this.channelId): Sent {
    if (!this.sockets.size) throw new Error('no bot is connected to the fake gateway');
    const id = snowflake();
    const token = `itoken-${randomBytes(24).toString('base64url')}`;
    const state: InteractionState = { id, token, type, createdAt: Date.now(), userId: user.id, channelId };
    if (typeof extra.message === 'object' && extra.message) state.messageId = (extra.message as Json).id as string;
    this.interactions.set(id, state);
    this.byToken.set(token, state);
    const payload: Json = {
      id,
      application_id: this.appId,
      type,
      data,
      guild_id: this.guildId,
      channel_id: channelId,
      channel: this.channelPayload(channelId),
      member: this.memberPayload(user),
      app_permissions: String(PERMISSIONS.member),
      locale: 'en-US',
      guild_locale: 'en-US',
      token,
      version: 1,
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
    };
    for (const ws of this.sockets) this.dispatch(ws, 'INTERACTION_CREATE', payload);
    return { id, token };
  }

  private registered(name: string, type = 1): Json {
    const all = [...(this.commands.get(this.guildId) ?? []), ...(this.commands.get('global') ?? [])];
    const c = all.find((x) => x.name === name && (x.type ?? 1) === type);
    if (!c) throw new Error(`"${name}" is not registered with the fake (deploy the commands first)`);
    return c;
  }

  /** Finds the option definitions a path leads to in a registered command. */
  private leafOptions(command: Json, path: string[]): Json[] {
    let options = (command.options as Json[] | undefined) ?? [];
    for (const step of path) {
      const sub = options.find((o) => o.name === step && (o.type === 1 || o.type === 2));
      if (!sub) throw new Error(`/${String(command.name)} has no subcommand "${step}"`);
      options = (sub.options as Json[] | undefined) ?? [];
    }
    if (options.some((o) => o.type === 1 || o.type === 2)) throw new Error(`/${String(command.name)} ${path.join(' ')} needs a subcommand`);
    return options;
  }

  private nest(path: string[], leaf: Json[]): Json[] {
    let options = leaf;
    for (let i = path.length - 1; i >= 0; i--) options = [{ name: path[i], type: i === path.length - 1 ? 1 : 2, options }];
    return options;
  }

  /** A user runs a slash command, with options typed as the command was registered. */
  slash(user: FakeUser, name: string, opts: { path?: string[]; options?: Record<string, SlashValue>; channelId?: string } = {}): Sent {
    const command = this.registered(name);
    const path = opts.path ?? [];
    const defs = this.leafOptions(command, path);
    const resolved: Record<string, Record<string, Json>> = {};
    const given: Json[] = [];
    for (const [key, value] of Object.entries(opts.options ?? {})) {
      const def = defs.find((d) => d.name === key);
      if (!def) throw new Error(`/${name} ${path.join(' ')} has no option "${key}"`);
      given.push({ name: key, type: def.type, value: this.optionValue(def, value, resolved) });
    }
    for (const d of defs) if (d.required && !(String(d.name) in (opts.options ?? {}))) throw new Error(`option ${String(d.name)} is required`);
    const data: Json = {
      id: command.id,
      name,
      type: 1,
      guild_id: this.guildId,
      options: this.nest(path, given),
      ...(Object.keys(resolved).length && { resolved }),
    };
    return this.send(user, 2, data, {}, opts.channelId);
  }

  private optionValue(def: Json, value: SlashValue, resolved: Record<string, Record<string, Json>>): unknown {
    switch (def.type) {
      case 3: {
        if (typeof value !== 'string') throw new Error(`${String(def.name)} is a string option`);
        const choices = def.choices as Json[] | undefined;
        if (choices && !choices.some((c) => c.value === value)) throw new Error(`${value} is not a choice of ${String(def.name)}`);
        return value;
      }
      case 4:
        if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${String(def.name)} is an integer option`);
        return value;
      case 5:
        return Boolean(value);
      case 7: {
        const id = String(value);
        (resolved.channels ??= {})[id] = { id, type: 0, name: 'study', permissions: String(PERMISSIONS.admin) };
        return id;
      }
      case 11: {
        if (typeof value !== 'object') throw new Error(`${String(def.name)} is an attachment option`);
        const a = this.upload(value.file, value.data);
        (resolved.attachments ??= {})[a.id as string] = a;
        return a.id;
      }
      default:
        throw new Error(`option type ${String(def.type)} is not supported by the fake`);
    }
  }

  /** Stores a file as Discord's CDN would and returns its attachment object. */
  upload(name: string, data: Buffer, contentType = 'text/x-python'): Json {
    const id = snowflake();
    const path = `/attachments/${id}/${name}`;
    this.files.set(path, { data, contentType });
    const url = `http://127.0.0.1:${this.port}${path}`;
    return { id, filename: name, size: data.length, url, proxy_url: url, content_type: contentType };
  }

  /** A user types in an option with autocomplete. */
  autocomplete(user: FakeUser, name: string, focused: string, typed: string, opts: { path?: string[]; options?: Record<string, string> } = {}): Sent {
    const command = this.registered(name);
    const path = opts.path ?? [];
    const defs = this.leafOptions(command, path);
    const def = defs.find((d) => d.name === focused);
    if (!def?.autocomplete) throw new Error(`${focused} has no autocomplete`);
    const given: Json[] = Object.entries(opts.options ?? {}).map(([k, v]) => ({ name: k, type: 3, value: v }));
    given.push({ name: focused, type: def.type, value: typed, focused: true });
    return this.send(user, 4, { id: command.id, name, type: 1, guild_id: this.guildId, options: this.nest(path, given) });
  }

  /** A user clicks a button of a message. */
  click(user: FakeUser, message: FakeMessage, customId: string): Sent {
    const button = this.findComponent(message, customId);
    if (button.type !== 2) throw new Error(`${customId} is not a button`);
    if (button.disabled) throw new Error(`${customId} is disabled`);
    return this.send(user, 3, { custom_id: customId, component_type: 2 }, { message: this.current(message) }, message.channel_id);
  }

  /**
   * A modified client: a click with any custom_id on a message, whether or not the message has that
   * control (Discord passes custom_ids through unchecked).
   */
  forgeClick(user: FakeUser, message: FakeMessage, customId: string): Sent {
    return this.send(user, 3, { custom_id: customId, component_type: 2 }, { message: this.current(message) }, message.channel_id);
  }

  /** A user picks values in a select menu of a message. */
  select(user: FakeUser, message: FakeMessage, customId: string, values: string[]): Sent {
    const menu = this.findComponent(message, customId);
    if (menu.type !== 3) throw new Error(`${customId} is not a select menu`);
    const allowed = new Set(((menu.options as Json[]) ?? []).map((o) => o.value));
    for (const v of values) if (!allowed.has(v)) throw new Error(`${v} is not an option of ${customId}`);
    return this.send(user, 3, { custom_id: customId, component_type: 3, values }, { message: this.current(message) }, message.channel_id);
  }

  /** The custom_id of the button labelled `label` (or starting with it) on a message. */
  buttonId(message: FakeMessage, label: string): string {
    for (const row of this.current(message).components) {
      for (const c of (row.components as Json[]) ?? []) {
        if (c.type === 2 && typeof c.label === 'string' && (c.label === label || c.label.startsWith(label))) return c.custom_id as string;
      }
    }
    throw new Error(`no button "${label}" on message ${message.id}`);
  }

  private findComponent(message: FakeMessage, customId: string): Json {
    for (const row of this.current(message).components) {
      for (const c of (row.components as Json[]) ?? []) if (c.custom_id === customId) return c;
    }
    throw new Error(`message ${message.id} has no component ${customId}`);
  }

  /** The message as it is now (after any edits). */
  current(message: FakeMessage): FakeMessage {
    const m = this.messages.get(message.id);
    if (!m) throw new Error(`message ${message.id} does not exist (deleted?)`);
    return m;
  }

  /**
   * A user submits the modal the bot showed in response to `shownBy`. Fields not given keep the
   * value the modal was opened with, as in Discord.
   */
  submitModal(user: FakeUser, shownBy: Sent, fields: Record<string, string>): Sent {
    const state = this.interactions.get(shownBy.id);
    if (!state?.modal) throw new Error('that interaction did not open a modal');
    const modal = state.modal;
    const inputs = ((modal.components as Json[]) ?? []).map((c) => (c.type === 18 ? (c.component as Json) : ((c.components as Json[])[0] as Json)));
    for (const k of Object.keys(fields)) if (!inputs.some((i) => i.custom_id === k)) throw new Error(`the modal has no field ${k}`);
    let n = 1;
    const components = inputs.map((i) => ({
      type: 18,
      id: n++,
      component: { type: 4, id: n++, custom_id: i.custom_id, value: fields[i.custom_id as string] ?? (i.value as string | undefined) ?? '' },
    }));
    const message = state.messageId ? this.messages.get(state.messageId) : undefined;
    return this.send(user, 5, { custom_id: modal.custom_id, components }, message ? { message } : {}, state.channelId);
  }

  /** A message a user wrote in a channel (a target for message context menus). */
  userMessage(user: FakeUser, content: string, attachments: Json[] = [], channelId = this.channelId): FakeMessage {
    const m = this.newMessage(channelId, { content, embeds: [], components: [], attachments }, this.userPayload(user));
    m.type = 0;
    return m;
  }

  /** A user picks a message context-menu command on a message. */
  contextMenu(user: FakeUser, name: string, target: FakeMessage): Sent {
    const command = this.registered(name, 3);
    return this.send(
      user,
      2,
      { id: command.id, name, type: 3, guild_id: this.guildId, target_id: target.id, resolved: { messages: { [target.id]: this.current(target) } } },
      {},
      target.channel_id,
    );
  }

  // ─── Observation ──────────────────────────────────────────────────────────────────────────────

  /** Resolves with the first recorded call (past or future) matching `pred`. */
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const hit = this.calls.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (c: RecordedCall) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching Discord API call within ${timeoutMs} ms; calls so far:\n${this.describe()}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves once `n` calls match. */
  async waitForCount(pred: (c: RecordedCall) => boolean, n: number, timeoutMs = 10_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this.calls.filter(pred);
      if (hits.length >= n) return hits;
      if (Date.now() > deadline) throw new Error(`expected ${n} matching calls, saw ${hits.length}; calls so far:\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Every call the bot made about one interaction: its callback, webhook edits and follow-ups. */
  callsFor(sent: Sent): RecordedCall[] {
    return this.calls.filter((c) => c.path.includes(`/${sent.token}`));
  }

  /** The bot's first response to an interaction. */
  callback(sent: Sent): Promise<RecordedCall> {
    return this.waitFor((c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback`);
  }

  /** The message @original points at for an interaction. */
  original(sent: Sent): FakeMessage {
    const id = this.interactions.get(sent.id)?.originalId;
    const m = id ? this.messages.get(id) : undefined;
    if (!m) throw new Error('the interaction has no original message');
    return m;
  }

  channelMessages(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && (m.author as Json).id === this.appId && !m.interaction_metadata);
  }

  describe(): string {
    return this.calls.map((c) => `  ${c.method} ${c.path} → ${c.status}${c.body ? ` ${JSON.stringify(c.body).slice(0, 200)}` : ''}`).join('\n');
  }

  // ─── REST ─────────────────────────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);

    if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) {
      this.fileFetches.push(decodeURIComponent(url.pathname));
      const redirect = this.redirects.get(decodeURIComponent(url.pathname).split('/').pop() ?? '');
      if (redirect) {
        res.writeHead(302, { location: redirect });
        res.end();
        return;
      }
      const f = this.files.get(decodeURIComponent(url.pathname));
      res.writeHead(f ? 200 : 404, { 'content-type': f?.contentType ?? 'text/plain' });
      res.end(f?.data ?? 'not found');
      return;
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname.replace(/^\/api\/v10/, '')),
      rawPath: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: undefined,
      multipart: false,
      files: [],
      status: 0,
      response: undefined,
    };
    let status = 200;
    let response: unknown;
    try {
      await this.parseBody(call, raw, headers['content-type'] ?? '');
      if (!url.pathname.startsWith('/api/v10/')) throw new Refusal(404, 0, '404: Not Found');
      const result = this.route(call);
      status = result.status ?? 200;
      response = result.body;
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      status = err.status;
      response = err.toJSON();
    }
    call.status = status;
    call.response = response;
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.pred(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
    if (status === 204) {
      res.writeHead(204);
      res.end();
    } else {
      const retry = status === 429 ? Number((response as Json).retry_after) : undefined;
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(retry !== undefined && {
          'retry-after': String(Math.ceil(retry)),
          'x-ratelimit-scope': 'user',
          'x-ratelimit-reset-after': String(retry),
        }),
      });
      res.end(JSON.stringify(response ?? null));
    }
  }

  private async parseBody(call: RecordedCall, raw: Buffer, contentType: string): Promise<void> {
    if (!raw.length) return;
    if (contentType.startsWith('application/json')) {
      call.body = JSON.parse(raw.toString('utf8')) as Json;
      return;
    }
    if (contentType.startsWith('multipart/form-data')) {
      call.multipart = true;
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
      for (const [field, value] of form) {
        if (typeof value === 'string') {
          if (field === 'payload_json') call.body = JSON.parse(value) as Json;
        } else {
          call.files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
        }
      }
      return;
    }
    throw new Refusal(415, 0, `unsupported content type ${contentType}`);
  }

  private requireBot(call: RecordedCall): void {
    if (call.headers.authorization !== `Bot ${this.token}`) throw new Refusal(401, 0, '401: Unauthorized');
  }

  private route(call: RecordedCall): { status?: number; body?: unknown } {
    const { method, path } = call;
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      this.requireBot(call);
      return {
        body: {
          url: `ws://127.0.0.1:${this.port}`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      };
    }
    if (method === 'GET' && path === '/applications/@me') {
      this.requireBot(call);
      return {
        body: { id: this.appId, name: 'studybot', description: '', bot_public: true, bot_require_code_grant: false, verify_key: 'x', flags: 0 },
      };
    }
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') return this.interactionCallback(call, m[1]!, m[2]!);
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) return this.webhookMessage(call, m[1]!, m[2]!, m[3]!);
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') return this.followUp(call, m[1]!, m[2]!);
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') return this.channelMessage(call, m[1]!);
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') return this.editChannelMessage(call, m[1]!, m[2]!);
    if (path === '/users/@me/channels' && method === 'POST') {
      this.requireBot(call);
      const recipient = String(call.body?.recipient_id);
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      return { body: { id, type: 1, recipients: [{ id: recipient }] } };
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && method === 'PUT') return this.bulkOverwrite(call, m[1]!, m[2]);
    throw new Refusal(404, 0, '404: Not Found');
  }

  private interactionCallback(call: RecordedCall, id: string, token: string): { status?: number; body?: unknown } {
    const state = this.interactions.get(id);
    if (!state || state.token !== token || Date.now() - state.createdAt > this.ackWindowMs) throw new Refusal(404, 10062, 'Unknown interaction');
    if (state.ack !== undefined) throw new Refusal(400, 40060, 'Interaction has already been acknowledged.');
    const body = call.body ?? {};
    const type = body.type as number;
    const data = (body.data as Json | undefined) ?? {};
    const problems: string[] = [];
    const autocomplete = state.type === 4;
    if (autocomplete !== (type === 8)) problems.push(`type: ${type} is not a valid response to interaction type ${state.type}`);
    if ((type === 6 || type === 7) && !state.messageId) problems.push(`type: ${type} needs an interaction on a message`);
    if (type === 9 && state.type === 5) problems.push('type: a modal cannot answer a modal submission');
    if (type === 4 || type === 7) problems.push(...messageProblems(data));
    if (type === 9) problems.push(...modalProblems(data));
    if (type === 8) problems.push(...choiceProblems(data));
    if (![4, 5, 6, 7, 8, 9].includes(type)) problems.push(`type: unsupported ${type}`);
    if (problems.length) throw invalidBody(problems);
    const attachments = this.attachmentsFrom(call, undefined);
    if (type === 4 && isEmptyMessage({ ...data, attachments })) throw new Refusal(400, 50006, 'Cannot send an empty message');
    if (type === 7 && isEmptyMessage({ ...this.messages.get(state.messageId!), ...data, ...(attachments.length && { attachments }) })) {
      throw new Refusal(400, 50006, 'Cannot send an empty message');
    }

    state.ack = type;
    let message: FakeMessage | undefined;
    if (type === 4 || type === 5) {
      const flags = ((data.flags as number | undefined) ?? 0) & EPHEMERAL;
      message = this.newMessage(state.channelId, type === 4 ? { ...data, attachments } : { content: '', embeds: [], components: [] }, this.bot, {
        flags: flags | (type === 5 ? LOADING : 0),
        interaction: state,
      });
      state.originalId = message.id;
    } else if (type === 6 || type === 7) {
      state.originalId = state.messageId;
      if (type === 7) message = this.edit(state.messageId!, data, call);
    } else if (type === 8) state.choices = (data.choices as Json[]) ?? [];
    else if (type === 9) state.modal = data;

    if (call.query.with_response === 'true') {
      return { body: { interaction: { id: state.id, type: state.type }, resource: { type, ...(message && { message }) } } };
    }
    return { status: 204 };
  }

  private liveInteraction(appId: string, token: string): InteractionState {
    const state = this.byToken.get(token);
    if (!state || appId !== this.appId) throw new Refusal(404, 10015, 'Unknown Webhook');
    if (Date.now() - state.createdAt > this.tokenLifetimeMs) throw new Refusal(401, 50027, 'Invalid Webhook Token');
    // Follow-ups and edits before any acknowledgement, or after an autocomplete or modal answer.
    if (state.ack === undefined || state.ack === 8 || state.ack === 9) throw new Refusal(404, 10015, 'Unknown Webhook');
    return state;
  }

  /**
   * Interaction webhooks are authenticated by their token alone. Discord would ignore a bot token
   * sent along; the fake refuses it, so sending one (a leak to a URL-authenticated route) fails.
   */
  private webhookMessage(call: RecordedCall, appId: string, token: string, which: string): { status?: number; body?: unknown } {
    if (call.headers.authorization) throw new Refusal(401, 0, 'interaction webhooks take no Authorization header');
    const state = this.liveInteraction(appId, token);
    const id = which === '@original' ? state.originalId : which;
    const message = id ? this.messages.get(id) : undefined;
    if (!message) throw new Refusal(404, 10008, 'Unknown Message');
    if (call.method === 'DELETE') {
      this.messages.delete(message.id);
      return { status: 204 };
    }
    if (call.method === 'GET') return { body: message };
    if (call.method !== 'PATCH') throw new Refusal(405, 0, '405: Method Not Allowed');
    const problems = messageProblems(call.body ?? {});
    if (problems.length) throw invalidBody(problems);
    // Edits through an interaction's webhook are limited per interaction token, not per channel.
    this.takeEdit(`webhook:${token}`);
    return { body: this.edit(message.id, call.body ?? {}, call) };
  }

  /** A bot-token edit of one of the bot's own messages (after an interaction token has expired, or a message it posted itself). */
  private editChannelMessage(call: RecordedCall, channelId: string, messageId: string): { status?: number; body?: unknown } {
    this.requireBot(call);
    const message = this.messages.get(messageId);
    if (!message || message.channel_id !== channelId || message.flags & EPHEMERAL) throw new Refusal(404, 10008, 'Unknown Message');
    if ((message.author as Json | undefined)?.id !== this.appId) throw new Refusal(403, 50005, 'Cannot edit a message authored by another user');
    const problems = messageProblems(call.body ?? {});
    if (problems.length) throw invalidBody(problems);
    this.takeEdit(channelId);
    return { body: this.edit(message.id, call.body ?? {}, call) };
  }

  /**
   * Message edits by the bot share a bucket per channel (and those through an interaction's webhook
   * one per interaction token): five per five seconds. Over it, Discord answers 429
   * (the client waits and retries, and the edit arrives late); tests assert that never happens.
   */
  private takeEdit(bucket: string): void {
    const now = this.clock();
    const recent = (this.editTimes.get(bucket) ?? []).filter((t) => now - t < EDIT_WINDOW_MS);
    if (recent.length >= EDITS_PER_WINDOW) {
      const retryAfter = (recent[0]! + EDIT_WINDOW_MS - now) / 1000;
      throw new RateLimited(retryAfter);
    }
    recent.push(now);
    this.editTimes.set(bucket, recent);
  }

  private followUp(call: RecordedCall, appId: string, token: string): { status?: number; body?: unknown } {
    if (call.headers.authorization) throw new Refusal(401, 0, 'interaction webhooks take no Authorization header');
    const state = this.liveInteraction(appId, token);
    const body = call.body ?? {};
    const problems = messageProblems(body);
    if (problems.length) throw invalidBody(problems);
    const attachments = this.attachmentsFrom(call, undefined);
    if (isEmptyMessage({ ...body, attachments })) throw new Refusal(400, 50006, 'Cannot send an empty message');
    // Discord turns the first follow-up of a deferred reply into that reply (keeping its flags).
    const loading = state.ack === 5 && state.originalId ? this.messages.get(state.originalId) : undefined;
    let message: FakeMessage;
    if (loading && loading.flags & LOADING) message = this.edit(loading.id, body, call);
    else
      message = this.newMessage(state.channelId, { ...body, attachments }, this.bot, {
        flags: ((body.flags as number | undefined) ?? 0) & EPHEMERAL,
        interaction: state,
      });
    return call.query.wait === 'true' ? { body: message } : { status: 204 };
  }

  private channelMessage(call: RecordedCall, channelId: string): { status?: number; body?: unknown } {
    this.requireBot(call);
    if (![this.channelId, this.studyChannelId, ...this.dmChannels.values()].includes(channelId)) throw new Refusal(404, 10003, 'Unknown Channel');
    const body = call.body ?? {};
    const problems = messageProblems(body);
    if (problems.length) throw invalidBody(problems);
    const attachments = this.attachmentsFrom(call, undefined);
    if (isEmptyMessage({ ...body, attachments })) throw new Refusal(400, 50006, 'Cannot send an empty message');
    return { body: this.newMessage(channelId, { ...body, attachments }, this.bot, { flags: 0 }) };
  }

  private bulkOverwrite(call: RecordedCall, appId: string, guildId: string | undefined): { status?: number; body?: unknown } {
    this.requireBot(call);
    if (appId !== this.appId) throw new Refusal(403, 20012, 'You are not authorized to perform this action on this application');
    if (guildId !== undefined && guildId !== this.guildId) throw new Refusal(404, 10004, 'Unknown Guild');
    const list = Array.isArray(call.body) ? (call.body as Json[]) : [];
    const problems = list.flatMap((c, i) => commandProblems(c, String(i)));
    if (list.length > 110) problems.push('at most 100 chat input and 5 context menu commands of each type');
    if (problems.length) throw invalidBody(problems);
    const saved = list.map((c) => ({
      ...c,
      id: snowflake(),
      application_id: this.appId,
      version: snowflake(),
      ...(guildId && { guild_id: guildId }),
    }));
    this.commands.set(guildId ?? 'global', saved);
    return { body: saved };
  }

  // ─── Messages ─────────────────────────────────────────────────────────────────────────────────

  /** Attachments of a create/edit: kept ones by id, new ones matched to uploaded files[n]. */
  private attachmentsFrom(call: RecordedCall, existing: Json[] | undefined): Json[] {
    const listed = call.body?.attachments as Json[] | undefined;
    const uploaded = call.files.map((f) => {
      const n = /^files\[(\w+)\]$/.exec(f.field)?.[1] ?? '';
      const a = this.upload(f.name, f.data, f.contentType || 'application/octet-stream');
      return { n, attachment: { ...a, filename: f.name } };
    });
    if (!listed) return [...(existing ?? []), ...uploaded.map((u) => u.attachment)];
    return listed.flatMap((entry) => {
      const fresh = uploaded.find((u) => u.n === String(entry.id));
      if (fresh) return [{ ...fresh.attachment, ...(entry.description !== undefined && { description: entry.description }) }];
      const kept = existing?.find((a) => a.id === String(entry.id));
      return kept ? [kept] : [];
    });
  }

  private newMessage(channelId: string, data: Json, author: Json, opts: { flags?: number; interaction?: InteractionState } = {}): FakeMessage {
    const id = snowflake();
    const i = opts.interaction;
    const user = i ? Object.values(this.users).find((u) => u.id === i.userId) : undefined;
    const message: FakeMessage = {
      id,
      channel_id: channelId,
      guild_id: this.guildId,
      author,
      content: (data.content as string | undefined) ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: (data.attachments as Json[] | undefined) ?? [],
      embeds: (data.embeds as Json[] | undefined) ?? [],
      components: (data.components as Json[] | undefined) ?? [],
      pinned: false,
      type: i ? (i.type === 2 ? 20 : 19) : 0,
      flags: opts.flags ?? 0,
      ...(author.bot === true && { application_id: this.appId }),
      ...(i && { webhook_id: this.appId }),
      ...(i &&
        user && {
          interaction_metadata: { id: i.id, type: i.type, user: this.userPayload(user), authorizing_integration_owners: { '0': this.guildId } },
        }),
    };
    this.messages.set(id, message);
    return message;
  }

  private edit(id: string, data: Json, call: RecordedCall): FakeMessage {
    const message = this.messages.get(id)!;
    const attachments =
      call.files.length || data.attachments ? this.attachmentsFrom(call, message.attachments as Json[]) : (message.attachments as Json[]);
    const next: FakeMessage = {
      ...message,
      ...(data.content !== undefined && { content: data.content }),
      ...(data.embeds !== undefined && { embeds: data.embeds as Json[] }),
      ...(data.components !== undefined && { components: data.components as Json[] }),
      attachments,
      flags: message.flags & ~LOADING,
      edited_timestamp: new Date().toISOString(),
    };
    if (isEmptyMessage(next)) throw new Refusal(400, 50006, 'Cannot send an empty message');
    this.messages.set(id, next);
    return next;
  }
}

// ─── Helpers for assertions ─────────────────────────────────────────────────────────────────────

/** All the text a message body shows: content, embed titles and descriptions. */
export function shownText(body: Json | undefined): string {
  if (!body) return '';
  const data = (body.data as Json | undefined) ?? body;
  const embeds = (data.embeds as Json[] | undefined) ?? [];
  return [String(data.content ?? ''), ...embeds.flatMap((e) => [String(e.title ?? ''), String(e.description ?? '')])].filter(Boolean).join('\n');
}

/** Every custom_id in a message body's components. */
export function customIds(body: Json | undefined): string[] {
  const data = (body?.data as Json | undefined) ?? body ?? {};
  return ((data.components as Json[] | undefined) ?? []).flatMap((row) => ((row.components as Json[]) ?? []).map((c) => String(c.custom_id)));
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Slack's side of the wire: the Web API (pointed at with SLACK_API_URL /
 * clientOptions.slackApiUrl), the response_urls handed out with commands and clicks, and the
 * file upload URLs. It answers with bodies shaped like Slack's, refuses what Slack refuses
 * (invalid_auth, invalid_blocks over Block Kit's limits, expired trigger_ids, used-up or expired
 * response_urls) and records everything, so tests can assert what a user would see.
 */

export interface SlackUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  locale?: string;
}

export interface ApiCall {
  /** Order of arrival among every call and post the recorder saw. */
  seq: number;
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  ok: boolean;
  error?: string;
}

/** Anything a user sees in a conversation: a response_url post or a chat.* call that succeeded. */
export interface Visible {
  /** Order of arrival among every call and post the recorder saw. */
  seq: number;
  via: 'response_url' | 'chat.postMessage' | 'chat.postEphemeral' | 'chat.update';
  /** The response_url posted to (response_url only). */
  url?: string;
  /** Which message the response_url belongs to: the command's or the clicked message's. */
  channel?: string;
  /** Ephemeral: shown to this user only. */
  user?: string;
  ephemeral: boolean;
  replaceOriginal: boolean;
  text: string;
  blocks: Block[];
  threadTs?: string;
  /** The ts Slack gave the message (a replacement keeps the original's). */
  ts: string;
}

export type Block = Record<string, unknown> & { type: string; block_id?: string };

export interface Upload {
  fileId: string;
  filename: string;
  length: number;
  body: Buffer;
}

interface IssuedUrl {
  channel: string;
  user: string;
  issuedAt: number;
  uses: number;
  /** The ts of the message a click's response_url belongs to (replace_original edits it). */
  messageTs?: string;
  ephemeral?: boolean;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8' });
  res.end(text);
}

/** Block Kit's rules as Slack enforces them; each problem reads like Slack's own messages. */
export function blockProblems(blocks: unknown, maxBlocks: number, at = '/blocks'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${at}]`];
  if (blocks.length > maxBlocks) problems.push(`[ERROR] no more than ${maxBlocks} items allowed [json-pointer:${at}]`);
  const len = (v: unknown) => (typeof v === 'string' ? v.length : -1);
  const text = (t: unknown, max: number, where: string, kind?: 'plain_text' | 'mrkdwn') => {
    const obj = t as { type?: string; text?: unknown } | undefined;
    if (!obj || typeof obj.text !== 'string') return problems.push(`[ERROR] missing required field: text [json-pointer:${where}]`);
    if (kind && obj.type !== kind) problems.push(`[ERROR] must be a ${kind} text object [json-pointer:${where}]`);
    if (obj.text.length < 1) problems.push(`[ERROR] must be more than 0 characters [json-pointer:${where}/text]`);
    if (obj.text.length > max) problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${where}/text]`);
    return 0;
  };
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const b = raw as Block;
    const p = `${at}/${i}`;
    if (b.block_id !== undefined) {
      if (blockIds.has(b.block_id)) problems.push(`[ERROR] duplicate block_id [json-pointer:${p}/block_id]`);
      blockIds.add(b.block_id);
      if (b.block_id.length > 255) problems.push(`[ERROR] must be less than 256 characters [json-pointer:${p}/block_id]`);
    }
    switch (b.type) {
      case 'section':
        text(b.text, 3000, `${p}/text`);
        break;
      case 'header':
        text(b.text, 150, `${p}/text`, 'plain_text');
        break;
      case 'context': {
        const els = b.elements as unknown[];
        if (!Array.isArray(els) || els.length < 1 || els.length > 10) problems.push(`[ERROR] must have 1-10 elements [json-pointer:${p}/elements]`);
        else for (const [j, e] of els.entries()) text(e, 3000, `${p}/elements/${j}`);
        break;
      }
      case 'divider':
        break;
      case 'image':
        if (len(b.image_url) < 1 || len(b.image_url) > 3000) problems.push(`[ERROR] invalid image_url [json-pointer:${p}/image_url]`);
        if (len(b.alt_text) < 1 || len(b.alt_text) > 2000) problems.push(`[ERROR] invalid alt_text [json-pointer:${p}/alt_text]`);
        break;
      case 'actions': {
        const els = b.elements as Record<string, unknown>[];
        if (!Array.isArray(els) || els.length < 1 || els.length > 25) {
          problems.push(`[ERROR] must have 1-25 elements [json-pointer:${p}/elements]`);
          break;
        }
        const ids = new Set<string>();
        els.forEach((e, j) => {
          const ep = `${p}/elements/${j}`;
          const id = e.action_id as string;
          if (len(id) < 1 || len(id) > 255) problems.push(`[ERROR] must be 1-255 characters [json-pointer:${ep}/action_id]`);
          if (ids.has(id)) problems.push(`[ERROR] duplicate action_id [json-pointer:${ep}/action_id]`);
          ids.add(id);
          if (e.type === 'button') {
            text(e.text, 75, `${ep}/text`, 'plain_text');
            if (e.value !== undefined && len(e.value) > 2000) problems.push(`[ERROR] must be less than 2001 characters [json-pointer:${ep}/value]`);
            if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
              problems.push(`[ERROR] invalid style [json-pointer:${ep}/style]`);
          } else if (e.type === 'static_select') {
            text(e.placeholder, 150, `${ep}/placeholder`, 'plain_text');
            const opts = e.options as Record<string, unknown>[];
            if (!Array.isArray(opts) || opts.length < 1 || opts.length > 100)
              problems.push(`[ERROR] must have 1-100 options [json-pointer:${ep}/options]`);
            else
              opts.forEach((o, k) => {
                text(o.text, 75, `${ep}/options/${k}/text`, 'plain_text');
                if (len(o.value) < 1 || len(o.value) > 150) problems.push(`[ERROR] must be 1-150 characters [json-pointer:${ep}/options/${k}/value]`);
                if (o.description !== undefined) text(o.description, 75, `${ep}/options/${k}/description`, 'plain_text');
              });
          } else problems.push(`[ERROR] unsupported element type ${String(e.type)} [json-pointer:${ep}]`);
        });
        break;
      }
      case 'input': {
        text(b.label, 2000, `${p}/label`, 'plain_text');
        const e = b.element as Record<string, unknown>;
        if (e?.type === 'file_input') {
          // Block Kit's file_input: 1 to 10 files, file types as bare extensions.
          const maxFiles = (e.max_files as number | undefined) ?? 10;
          if (!Number.isInteger(maxFiles) || maxFiles < 1 || maxFiles > 10)
            problems.push(`[ERROR] must be 1-10 [json-pointer:${p}/element/max_files]`);
          const types = e.filetypes as unknown;
          if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !/^[a-z0-9]+$/.test(t))))
            problems.push(`[ERROR] invalid filetypes [json-pointer:${p}/element/filetypes]`);
          break;
        }
        if (e?.type !== 'plain_text_input') problems.push(`[ERROR] unsupported element [json-pointer:${p}/element]`);
        const max = (e?.max_length as number | undefined) ?? 3000;
        if (max > 3000) problems.push(`[ERROR] must be at most 3000 [json-pointer:${p}/element/max_length]`);
        if (e?.initial_value !== undefined && len(e.initial_value) > max)
          problems.push(`[ERROR] longer than max_length [json-pointer:${p}/element/initial_value]`);
        if (e?.placeholder !== undefined) text(e.placeholder, 150, `${p}/element/placeholder`, 'plain_text');
        break;
      }
      default:
        problems.push(`[ERROR] unsupported block type ${String(b.type)} [json-pointer:${p}]`);
    }
  });
  return problems;
}

function viewProblems(view: Record<string, unknown> | undefined, type: 'modal' | 'home'): string[] {
  if (!view || view.type !== type) return [`[ERROR] view.type must be ${type}`];
  const problems = blockProblems(view.blocks, 100, '/view/blocks');
  if (type === 'modal') {
    const title = view.title as { text?: string } | undefined;
    if (!title?.text || title.text.length > 24) problems.push('[ERROR] must be 1-24 characters [json-pointer:/view/title/text]');
    for (const k of ['submit', 'close'] as const) {
      const t = view[k] as { text?: string } | undefined;
      if (t && (!t.text || t.text.length > 24)) problems.push(`[ERROR] must be 1-24 characters [json-pointer:/view/${k}/text]`);
    }
    if ((view.blocks as Block[]).some((b) => b.type === 'input') && !view.submit) problems.push('[ERROR] submit is required with input blocks');
    if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('[ERROR] callback_id too long');
    if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('[ERROR] private_metadata too long');
  }
  return problems;
}

export class SlackRecorder {
  readonly calls: ApiCall[] = [];
  readonly visible: Visible[] = [];
  /** Calls refused with 429 because the bot went over a rate limit ("method channel"); tests expect none. */
  readonly rateLimited: string[] = [];
  private readonly methodTimes = new Map<string, number[]>();
  /** The time rate limits are measured in (a test running the bot's timers on a manual clock sets it). */
  clock: () => number = Date.now;
  readonly uploads: Upload[] = [];
  /** Files people uploaded through a modal's file_input, served at their url_private_download. */
  private readonly hosted = new Map<string, { name: string; body: Buffer }>();
  /** Downloads of hosted files, with the token each came with. */
  readonly downloads: { fileId: string; token: string | undefined; ok: boolean }[] = [];
  readonly teamId: string;
  readonly botUserId = 'U0STUDYBOT';
  readonly botId = 'B0STUDYBOT';
  readonly appId = 'A0STUDYBOT';
  private readonly users = new Map<string, SlackUser>();
  private readonly usergroups: Record<string, { handle: string; members: string[] }>;
  private readonly urls = new Map<string, IssuedUrl>();
  private readonly triggers = new Map<string, number>();
  private readonly pendingUploads = new Map<string, { filename: string; length: number }>();
  private counter = 0;
  private tsCounter = 0;
  private seq = 0;
  /** Milliseconds a trigger_id lives (Slack: 3 seconds). */
  triggerTtlMs = 3000;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode), with the app-level token. */
  socketMode: { appToken: string; url: string } | undefined;

  private constructor(
    private readonly server: Server,
    private readonly opts: {
      botToken: string;
      teamId: string;
      users: SlackUser[];
      usergroups?: Record<string, { handle: string; members: string[] }>;
    },
  ) {
    this.teamId = opts.teamId;
    for (const u of opts.users) this.users.set(u.id, u);
    this.usergroups = opts.usergroups ?? {};
  }

  static async start(opts: {
    botToken: string;
    teamId: string;
    users: SlackUser[];
    usergroups?: Record<string, { handle: string; members: string[] }>;
  }): Promise<SlackRecorder> {
    let recorder: SlackRecorder | undefined;
    const server = createServer((req, res) => {
      recorder!.handle(req, res).catch((err: unknown) => send(res, 500, String(err)));
    });
    recorder = new SlackRecorder(server, opts);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** SLACK_API_URL for the adapter. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /**
   * A file a person uploads in a modal's file_input: what the view_submission carries for it. Its
   * bytes are served, as Slack does, only to a request with the bot token.
   */
  hostFile(name: string, body: Buffer | string, user = 'U0ADMIN'): Record<string, unknown> {
    const id = `F${String(++this.counter).padStart(8, '0')}`;
    this.hosted.set(id, { name, body: Buffer.from(body) });
    const ext = name.split('.').pop() ?? '';
    return {
      id,
      created: Math.floor(Date.now() / 1000),
      timestamp: Math.floor(Date.now() / 1000),
      name,
      title: name,
      mimetype: 'text/plain',
      filetype: ext,
      pretty_type: ext.toUpperCase(),
      user,
      user_team: this.teamId,
      size: Buffer.byteLength(body),
      mode: 'hosted',
      is_external: false,
      is_public: false,
      url_private: `${this.base}/files-pri/${this.teamId}-${id}/${encodeURIComponent(name)}`,
      url_private_download: `${this.base}/files-pri/${this.teamId}-${id}/download/${encodeURIComponent(name)}`,
      permalink: `https://study-group.slack.com/files/${user}/${id}/${encodeURIComponent(name)}`,
    };
  }

  /** A fresh response_url, as Slack hands out with each command and click. */
  responseUrl(channel: string, user: string, message?: { ts: string; ephemeral: boolean }): string {
    const id = `T${this.counter++}${randomBytes(6).toString('hex')}`;
    this.urls.set(id, { channel, user, issuedAt: Date.now(), uses: 0, ...(message && { messageTs: message.ts, ephemeral: message.ephemeral }) });
    return `${this.base}/commands/${this.teamId}/${id}/${randomBytes(8).toString('hex')}`;
  }

  /** Ages a response_url past Slack's 30 minutes. */
  expire(url: string): void {
    const issued = this.urls.get(this.urlId(url));
    if (issued) issued.issuedAt -= 31 * 60_000;
  }

  triggerId(): string {
    const id = `${Date.now()}.${this.counter++}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, Date.now());
    return id;
  }

  private urlId(url: string): string {
    return new URL(url).pathname.split('/')[3] ?? '';
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  /** Polls until `pick` returns something, or fails after `timeoutMs` saying what was awaited. */
  async waitFor<T>(what: string, pick: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = pick();
      if (got) return got;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; seen:\n${this.visible.map((v) => `  ${v.via} ${v.channel ?? ''} ${v.text.slice(0, 80)}`).join('\n')}\ncalls: ${this.calls.map((c) => `${c.method}${c.ok ? '' : `(${c.error})`}`).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits for the `n`th (1-based) visible message matching `match`. */
  waitForVisible(what: string, match: (v: Visible) => boolean, n = 1, timeoutMs?: number): Promise<Visible> {
    return this.waitFor(what, () => this.visible.filter(match)[n - 1], timeoutMs);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const raw = await readBody(req);
    const [, area, ...rest] = url.pathname.split('/');
    if (req.method === 'POST' && area === 'api') return this.api(rest.join('/'), req, raw, res);
    if (req.method === 'POST' && area === 'commands') return this.responsePost(url.toString(), raw, res);
    if (req.method === 'POST' && area === 'upload') return this.upload(rest[0] ?? '', raw, res);
    if (req.method === 'GET' && area === 'files-pri') return this.download(rest[0] ?? '', req, res);
    send(res, 404, 'not found');
  }

  /** Slack answers a file request without the bot token with its sign-in page, not an error status. */
  private download(key: string, req: IncomingMessage, res: ServerResponse): void {
    const fileId = key.split('-').pop() ?? '';
    const file = this.hosted.get(fileId);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const ok = Boolean(file) && token === this.opts.botToken;
    this.downloads.push({ fileId, token, ok });
    if (!file) return send(res, 404, 'file_not_found');
    if (!ok) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.body.length) });
    res.end(file.body);
  }

  private parseArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const args: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
      // The Web API client sends objects and arrays as JSON strings inside the form.
      args[k] = /^[[{]/.test(v) ? (JSON.parse(v) as unknown) : v;
    }
    return args;
  }

  /**
   * Slack's rate limits for the methods that post and edit: chat.update is Tier 3 (about 50 a
   * minute per workspace), chat.postMessage about one a second per channel (60 a minute, short
   * bursts allowed). Returns the seconds to wait when over, or undefined.
   */
  private rateLimit(method: string, args: Record<string, unknown>): number | undefined {
    const rule =
      method === 'chat.update'
        ? { key: method, max: 50 }
        : method === 'chat.postMessage'
          ? { key: `${method}:${String(args.channel)}`, max: 60 }
          : undefined;
    if (!rule) return undefined;
    const now = this.clock();
    const recent = (this.methodTimes.get(rule.key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= rule.max) return Math.ceil((recent[0]! + 60_000 - now) / 1000);
    recent.push(now);
    this.methodTimes.set(rule.key, recent);
    return undefined;
  }

  private api(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const args = this.parseArgs(req, raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const call: ApiCall = { seq: ++this.seq, method, args, token, ok: true };
    this.calls.push(call);
    const reply = (body: Record<string, unknown>) => {
      if (body.ok === false) {
        call.ok = false;
        call.error = String(body.error);
      }
      send(res, 200, body);
    };
    if (method === 'apps.connections.open') {
      // The one method called with the app-level token; bot tokens are refused.
      if (!this.socketMode || token !== this.socketMode.appToken)
        return reply({ ok: false, error: token?.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' });
      return reply({ ok: true, url: `${this.socketMode.url}?ticket=${randomBytes(8).toString('hex')}&app_id=${this.appId}` });
    }
    if (token !== this.opts.botToken) return reply({ ok: false, error: 'invalid_auth' });
    const limited = this.rateLimit(method, args);
    if (limited !== undefined) {
      call.ok = false;
      call.error = 'ratelimited';
      this.rateLimited.push(`${method} ${String(args.channel ?? '')}`);
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const invalidBlocks = (problems: string[]) => reply({ ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } });
    const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);

    switch (method) {
      case 'auth.test':
        return reply({
          ok: true,
          url: 'https://study-group.slack.com/',
          team: 'Study Group',
          user: 'studybot',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        });
      case 'users.info': {
        const u = this.users.get(str('user') ?? '');
        if (!u) return reply({ ok: false, error: 'user_not_found' });
        return reply({
          ok: true,
          user: {
            id: u.id,
            team_id: this.teamId,
            name: u.name,
            deleted: false,
            real_name: u.realName ?? u.name,
            tz: 'Europe/Rome',
            tz_label: 'Central European Time',
            tz_offset: 3600,
            profile: {
              real_name: u.realName ?? u.name,
              display_name: u.displayName ?? '',
              real_name_normalized: u.realName ?? u.name,
              display_name_normalized: u.displayName ?? '',
              team: this.teamId,
            },
            is_admin: Boolean(u.isAdmin),
            is_owner: Boolean(u.isOwner),
            is_primary_owner: Boolean(u.isPrimaryOwner),
            is_restricted: false,
            is_ultra_restricted: false,
            is_bot: false,
            is_app_user: false,
            updated: 1_700_000_000,
            ...(args.include_locale !== undefined && { locale: u.locale ?? 'en-US' }),
          },
        });
      }
      case 'usergroups.list':
        return reply({
          ok: true,
          usergroups: Object.entries(this.usergroups).map(([id, g]) => ({
            id,
            team_id: this.teamId,
            is_usergroup: true,
            name: g.handle,
            handle: g.handle,
            user_count: g.members.length,
          })),
        });
      case 'usergroups.users.list': {
        const g = this.usergroups[str('usergroup') ?? ''];
        if (!g) return reply({ ok: false, error: 'no_such_subteam' });
        return reply({ ok: true, users: g.members });
      }
      case 'conversations.open': {
        const user = str('users');
        if (!user || !this.users.has(user)) return reply({ ok: false, error: 'user_not_found' });
        return reply({ ok: true, channel: { id: `D${user.slice(1)}` } });
      }
      case 'chat.postMessage': {
        const channel = str('channel');
        if (!channel) return reply({ ok: false, error: 'channel_not_found' });
        if (!str('text') && !args.blocks) return reply({ ok: false, error: 'no_text' });
        const problems = args.blocks === undefined ? [] : blockProblems(args.blocks, 50);
        if (problems.length) return invalidBlocks(problems);
        const ts = this.nextTs();
        this.visible.push({
          seq: ++this.seq,
          via: 'chat.postMessage',
          channel,
          ephemeral: false,
          replaceOriginal: false,
          text: str('text') ?? '',
          blocks: (args.blocks as Block[] | undefined) ?? [],
          ...(str('thread_ts') && { threadTs: str('thread_ts') }),
          ts,
        });
        return reply({
          ok: true,
          channel,
          ts,
          message: {
            type: 'message',
            subtype: 'bot_message',
            text: str('text') ?? '',
            user: this.botUserId,
            bot_id: this.botId,
            blocks: args.blocks,
            ts,
            app_id: this.appId,
            team: this.teamId,
          },
        });
      }
      case 'chat.postEphemeral': {
        const channel = str('channel');
        const user = str('user');
        if (!channel || !user) return reply({ ok: false, error: !channel ? 'channel_not_found' : 'user_not_in_channel' });
        const problems = args.blocks === undefined ? [] : blockProblems(args.blocks, 50);
        if (problems.length) return invalidBlocks(problems);
        const ts = this.nextTs();
        this.visible.push({
          seq: ++this.seq,
          via: 'chat.postEphemeral',
          channel,
          user,
          ephemeral: true,
          replaceOriginal: false,
          text: str('text') ?? '',
          blocks: (args.blocks as Block[] | undefined) ?? [],
          ts,
        });
        return reply({ ok: true, message_ts: ts });
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        if (!channel || !ts) return reply({ ok: false, error: 'message_not_found' });
        const problems = args.blocks === undefined ? [] : blockProblems(args.blocks, 50);
        if (problems.length) return invalidBlocks(problems);
        this.visible.push({
          seq: ++this.seq,
          via: 'chat.update',
          channel,
          ephemeral: false,
          replaceOriginal: true,
          text: str('text') ?? '',
          blocks: (args.blocks as Block[] | undefined) ?? [],
          ts,
        });
        return reply({ ok: true, channel, ts, text: str('text') ?? '', message: { text: str('text') ?? '', blocks: args.blocks } });
      }
      case 'views.open': {
        const trigger = str('trigger_id') ?? '';
        const issued = this.triggers.get(trigger);
        if (issued === undefined) return reply({ ok: false, error: 'invalid_trigger_id' });
        if (Date.now() - issued > this.triggerTtlMs) return reply({ ok: false, error: 'expired_trigger_id' });
        const view = args.view as Record<string, unknown> | undefined;
        const problems = viewProblems(view, 'modal');
        if (problems.length) return invalidBlocks(problems);
        return reply({
          ok: true,
          view: {
            id: `V${this.counter++}`,
            team_id: this.teamId,
            state: { values: {} },
            hash: randomBytes(8).toString('hex'),
            app_id: this.appId,
            bot_id: this.botId,
            root_view_id: null,
            previous_view_id: null,
            ...view,
          },
        });
      }
      case 'views.publish': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!str('user_id')) return reply({ ok: false, error: 'invalid_arguments' });
        const problems = viewProblems(view, 'home');
        if (problems.length) return invalidBlocks(problems);
        return reply({
          ok: true,
          view: {
            id: `V${this.counter++}`,
            team_id: this.teamId,
            type: 'home',
            hash: randomBytes(8).toString('hex'),
            app_id: this.appId,
            bot_id: this.botId,
            ...view,
          },
        });
      }
      case 'files.getUploadURLExternal': {
        const filename = str('filename');
        const length = Number(args.length);
        if (!filename || !Number.isFinite(length) || length < 1) return reply({ ok: false, error: 'invalid_arguments' });
        const fileId = `F${String(this.counter++).padStart(8, '0')}`;
        this.pendingUploads.set(fileId, { filename, length });
        return reply({ ok: true, upload_url: `${this.base}/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        const files = args.files as { id: string; title?: string }[] | undefined;
        if (!Array.isArray(files) || !files.length) return reply({ ok: false, error: 'invalid_arguments' });
        const missing = files.find((f) => !this.uploads.some((u) => u.fileId === f.id));
        if (missing) return reply({ ok: false, error: 'file_not_found' });
        return reply({
          ok: true,
          files: files.map((f) => {
            const u = this.uploads.find((x) => x.fileId === f.id)!;
            return {
              id: f.id,
              created: Math.floor(Date.now() / 1000),
              name: u.filename,
              title: f.title ?? u.filename,
              mimetype: 'text/plain',
              filetype: 'text',
              user: this.botUserId,
              size: u.length,
            };
          }),
        });
      }
      default:
        return reply({ ok: false, error: 'unknown_method' });
    }
  }

  private upload(fileId: string, raw: Buffer, res: ServerResponse): void {
    const pending = this.pendingUploads.get(fileId);
    if (!pending) return send(res, 404, 'unknown upload');
    this.pendingUploads.delete(fileId);
    this.uploads.push({ fileId, filename: pending.filename, length: pending.length, body: raw });
    send(res, 200, `OK - ${raw.length}`);
  }

  private responsePost(url: string, raw: Buffer, res: ServerResponse): void {
    const issued = this.urls.get(this.urlId(url));
    if (!issued) return send(res, 404, { ok: false, error: 'no_url' });
    if (Date.now() - issued.issuedAt > 30 * 60_000) return send(res, 404, { ok: false, error: 'expired_url' });
    if (issued.uses >= 5) return send(res, 404, { ok: false, error: 'used_url' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return send(res, 400, { ok: false, error: 'invalid_json' });
    }
    const problems = body.blocks === undefined ? [] : blockProblems(body.blocks, 50);
    if (problems.length) return send(res, 400, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } });
    issued.uses += 1;
    const replace = body.replace_original === true || body.replace_original === 'true';
    // A replacement keeps the replaced message's ts and visibility; a new post is ephemeral by default.
    const ephemeral = replace && issued.ephemeral !== undefined ? issued.ephemeral : body.response_type !== 'in_channel';
    const ts = replace && issued.messageTs ? issued.messageTs : this.nextTs();
    // A command's first answer is the "original" its later replace_original posts edit.
    if (!issued.messageTs) {
      issued.messageTs = ts;
      issued.ephemeral = ephemeral;
    }
    this.visible.push({
      seq: ++this.seq,
      via: 'response_url',
      url,
      channel: issued.channel,
      ...(ephemeral && { user: issued.user }),
      ephemeral,
      replaceOriginal: replace,
      text: typeof body.text === 'string' ? body.text : '',
      blocks: (body.blocks as Block[] | undefined) ?? [],
      ts,
    });
    send(res, 200, { ok: true });
  }
}

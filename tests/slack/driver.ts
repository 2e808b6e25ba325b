import { createHmac, randomBytes } from 'node:crypto';
import type { Block, SlackRecorder, SlackUser, Visible } from './recorder.js';
import type { Services } from '../../src/services.js';
import { quizButtons } from '../support/quiz.js';

/**
 * Plays Slack's part towards the bot's HTTP receiver: every request signed as Slack signs it
 * (v0 HMAC-SHA256 of `v0:{timestamp}:{raw body}`), slash commands as form fields with exactly
 * `application/x-www-form-urlencoded`, interactions as a `payload=` form field holding JSON,
 * events as JSON. response_urls and trigger_ids come from the recorder, so what the bot sends
 * back lands there.
 */

export interface Sent {
  status: number;
  body: string;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * mrkdwn as a reader sees it: formatting marks gone (bold, italics, strike, headings), links shown
 * as their labels, entities decoded, zero-width spaces gone. Code keeps its backticks.
 */
export function seen(s: string): string {
  return s
    .replace(/\u200B[*_~]|[*_~]\u200B/g, '')
    .replace(/^\*(.+)\*$/gm, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<(https?:[^|>]+)>/g, '$1')
    .replace(/\u200B/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every piece of text in a message's blocks, in order (as sent, i.e. mrkdwn). */
export function blockTexts(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const t = b.text as { text?: string } | undefined;
    if (t?.text) out.push(t.text);
    for (const e of (b.elements as Record<string, unknown>[] | undefined) ?? []) {
      const et = e.text as { text?: string } | string | undefined;
      if (typeof et === 'string') out.push(et);
      else if (et?.text) out.push(`[${et.text}]`);
      const ph = e.placeholder as { text?: string } | undefined;
      if (ph?.text) out.push(`[${ph.text}]`);
    }
  }
  return out;
}

/** What a reader sees of a message, as one string. */
/** Matches what was posted to one command's response_url. */
export const on = (url: string) => (v: Visible) => v.via === 'response_url' && v.url === url;

/** Code as a ```python block, as a learner pastes it. */
export const fence = (code: string) => `\`\`\`python\n${code}\n\`\`\``;

export function shown(v: Pick<Visible, 'blocks'>): string {
  return seen(blockTexts(v.blocks).join('\n'));
}

export interface FoundControl {
  blockId: string | undefined;
  element: Record<string, unknown>;
}

/** The first button whose label contains `label`. */
export function findButton(blocks: Block[], label: string | RegExp): FoundControl {
  for (const b of blocks) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements as Record<string, unknown>[]) {
      const text = (e.text as { text: string } | undefined)?.text ?? '';
      if (e.type === 'button' && (typeof label === 'string' ? text.includes(label) : label.test(text))) return { blockId: b.block_id, element: e };
    }
  }
  throw new Error(`no button "${String(label)}" in: ${blockTexts(blocks).join(' | ')}`);
}

export function buttonLabels(blocks: Block[]): string[] {
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Record<string, unknown>[]).filter((e) => e.type === 'button').map((e) => (e.text as { text: string }).text));
}

/**
 * A quiz post's buttons by label: the right one and the wrong ones (each post shuffles its
 * options; the order is read from the post the buttons name).
 */
export function answerLabels(services: Pick<Services, 'db' | 'content'>, blocks: Block[]): { right: RegExp; wrong: RegExp[] } {
  const found = blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Record<string, unknown>[]).filter((e) => e.type === 'button'))
    .map((e) => ({ id: String(e.action_id), label: (e.text as { text: string }).text }));
  const { right, wrong } = quizButtons(
    services,
    found.map((f) => f.id),
  );
  const label = (id: string) => new RegExp(`^${found.find((f) => f.id === id)!.label}$`);
  return { right: label(right), wrong: wrong.map(label) };
}

export class SlackDriver {
  readonly teamId: string;
  readonly domain = 'study-group';

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly recorder: SlackRecorder,
  ) {
    this.teamId = recorder.teamId;
  }

  /** Sends a raw body the way Slack does; `signAs`/`timestamp` forge or age the request. */
  async send(body: string, contentType: string, opts: { timestamp?: number; secret?: string; signature?: string } = {}): Promise<Sent> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': opts.signature ?? slackSignature(opts.secret ?? this.secret, timestamp, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  /** The form body of `/study <text>` as Slack sends it. */
  commandBody(user: SlackUser, text: string, channel = 'C0GENERAL'): { body: string; responseUrl: string; triggerId: string } {
    const { fields, responseUrl, triggerId } = this.commandFields(user, text, channel);
    return { body: new URLSearchParams(fields).toString(), responseUrl, triggerId };
  }

  /** The fields of `/study <text>` (form fields over HTTP, the payload in Socket Mode). */
  commandFields(user: SlackUser, text: string, channel = 'C0GENERAL'): { fields: Record<string, string>; responseUrl: string; triggerId: string } {
    const responseUrl = this.recorder.responseUrl(channel, user.id);
    const triggerId = this.recorder.triggerId();
    const fields = {
      token: 'legacy-verification-token',
      team_id: this.teamId,
      team_domain: this.domain,
      channel_id: channel,
      channel_name: channel === 'C0GENERAL' ? 'general' : channel.toLowerCase(),
      user_id: user.id,
      user_name: user.name,
      command: '/study',
      // Slack writes &, < and > as entities in what the user typed.
      text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      api_app_id: this.recorder.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    return { fields, responseUrl, triggerId };
  }

  /** `/study <text>` typed by `user` in `channel`. */
  async command(user: SlackUser, text: string, channel = 'C0GENERAL', opts: { timestamp?: number; secret?: string } = {}) {
    const { body, responseUrl, triggerId } = this.commandBody(user, text, channel);
    const sent = await this.send(body, 'application/x-www-form-urlencoded', opts);
    return { ...sent, responseUrl, triggerId };
  }

  private interaction(payload: Record<string, unknown>): Promise<Sent> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }

  /** A click on the button labelled `label` of a message the user sees (channel or DM). */
  async click(user: SlackUser, on: Visible, label: string | RegExp) {
    const { payload, responseUrl } = this.clickPayload(user, on, label);
    const sent = await this.interaction(payload);
    return { ...sent, responseUrl };
  }

  /** The block_actions payload of a click. */
  clickPayload(user: SlackUser, on: Visible, label: string | RegExp): { payload: Record<string, unknown>; responseUrl: string } {
    const { blockId, element } = findButton(on.blocks, label);
    const channel = on.channel ?? 'C0GENERAL';
    const responseUrl = this.recorder.responseUrl(channel, user.id, { ts: on.ts, ephemeral: on.ephemeral });
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: this.teamId },
      api_app_id: this.recorder.appId,
      token: 'legacy-verification-token',
      container: {
        type: 'message',
        message_ts: on.ts,
        channel_id: channel,
        is_ephemeral: on.ephemeral,
        ...(on.threadTs && { thread_ts: on.threadTs }),
      },
      trigger_id: this.recorder.triggerId(),
      team: { id: this.teamId, domain: this.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: channel === 'C0GENERAL' ? 'general' : channel.toLowerCase() },
      // Slack does not send the message for ephemeral ones.
      ...(!on.ephemeral && {
        message: { type: 'message', subtype: 'bot_message', text: on.text, ts: on.ts, bot_id: this.recorder.botId, blocks: on.blocks },
      }),
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          action_id: element.action_id,
          block_id: blockId ?? randomBytes(3).toString('hex'),
          text: element.text,
          value: element.value,
          ...(element.style !== undefined && { style: element.style }),
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    return { payload, responseUrl };
  }

  /** A click on a button of the App Home tab (no channel, no response_url). */
  async clickHome(user: SlackUser, view: { blocks: Block[] }, label: string | RegExp): Promise<Sent> {
    const { blockId, element } = findButton(view.blocks, label);
    return this.interaction({
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: this.teamId },
      api_app_id: this.recorder.appId,
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: 'V0HOME' },
      trigger_id: this.recorder.triggerId(),
      team: { id: this.teamId, domain: this.domain },
      enterprise: null,
      is_enterprise_install: false,
      view: {
        id: 'V0HOME',
        team_id: this.teamId,
        type: 'home',
        blocks: view.blocks,
        private_metadata: '',
        callback_id: '',
        state: { values: {} },
        hash: 'h',
        app_id: this.recorder.appId,
        bot_id: this.recorder.botId,
      },
      actions: [
        {
          action_id: element.action_id,
          block_id: blockId ?? 'b',
          text: element.text,
          value: element.value,
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
  }

  /** Submits a modal the bot opened (the view from its views.open call) with field values. */
  submit(
    user: SlackUser,
    view: Record<string, unknown>,
    values: Record<string, string>,
    /** For file_input fields: the files uploaded (from recorder.hostFile), by action id. */
    files: Record<string, Record<string, unknown>[]> = {},
  ): Promise<Sent> {
    const state: Record<string, Record<string, { type: string; value?: string | null; files?: Record<string, unknown>[] }>> = {};
    for (const b of view.blocks as Block[]) {
      if (b.type !== 'input') continue;
      const element = b.element as { action_id: string; type: string };
      state[b.block_id!] =
        element.type === 'file_input'
          ? { [element.action_id]: { type: 'file_input', files: files[element.action_id] ?? [] } }
          : { [element.action_id]: { type: 'plain_text_input', value: values[element.action_id] ?? null } };
    }
    return this.interaction({
      type: 'view_submission',
      team: { id: this.teamId, domain: this.domain },
      user: { id: user.id, username: user.name, name: user.name, team_id: this.teamId },
      api_app_id: this.recorder.appId,
      token: 'legacy-verification-token',
      trigger_id: this.recorder.triggerId(),
      view: {
        id: 'V0MODAL',
        team_id: this.teamId,
        type: 'modal',
        blocks: view.blocks,
        private_metadata: view.private_metadata ?? '',
        callback_id: view.callback_id ?? '',
        state: { values: state },
        hash: randomBytes(6).toString('hex'),
        title: view.title,
        clear_on_close: false,
        notify_on_close: false,
        close: view.close ?? null,
        submit: view.submit ?? null,
        previous_view_id: null,
        root_view_id: 'V0MODAL',
        app_id: this.recorder.appId,
        external_id: '',
        app_installed_team_id: this.teamId,
        bot_id: this.recorder.botId,
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /** The user opens the app's Home tab. */
  homeOpened(user: SlackUser): Promise<Sent> {
    return this.send(JSON.stringify(this.homeOpenedEvent(user)), 'application/json');
  }

  /** The event_callback body of app_home_opened. */
  homeOpenedEvent(user: SlackUser): Record<string, unknown> {
    return {
      token: 'legacy-verification-token',
      team_id: this.teamId,
      api_app_id: this.recorder.appId,
      event: { type: 'app_home_opened', user: user.id, channel: `D${user.id.slice(1)}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.recorder.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
  }
}

import type { BlockAction, BlockElementAction, ViewOutput } from '@slack/bolt';
import type { Command } from '../../chat/command.js';
import { parseCommandLine } from '../../chat/parse.js';
import type { ChatEvent } from '../../chat/command.js';

/** The characters Slack writes as entities in text it sends (&amp; first on the way back). */
function unescapeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack rewrites what a user typed before sending it: `&`, `<` and `>` become entities and, with
 * the command's "escape channels, users and links" setting (on in the manifest, so channel
 * options arrive as ids), `#general` becomes `<#C123|general>`, `@ada` becomes `<@U123|ada>` and
 * URLs become `<https://…>`. This undoes it, so code runs exactly as typed, and keeps channel
 * references outside code blocks for the parser, which reads `<#C123|name>` as a channel id.
 */
export function decodeCommandText(text: string): string {
  const parts = text.split(/(```[\s\S]*?```)/);
  return parts
    .map((part, i) => {
      const inCode = i % 2 === 1;
      const readable = part.replace(/<([^<>]*)>/g, (token, inner: string) => {
        const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
        if (target.startsWith('#')) return inCode ? `#${label ?? target.slice(1)}` : token;
        if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
        if (target.startsWith('!subteam^')) return label ?? `@${target.slice(9)}`;
        if (target.startsWith('!')) return label ?? `@${target.slice(1)}`;
        return label ?? target.replace(/^mailto:/, '');
      });
      return unescapeEntities(readable);
    })
    .join('');
}

/** `/study <text>` as a neutral command; `/study` alone is help. Throws a UserError for bad input. */
export function commandEvent(text: string, commands: readonly Command<unknown>[]): Extract<ChatEvent, { type: 'command' }> {
  const decoded = decodeCommandText(text).trim();
  return parseCommandLine(`/${decoded || 'help'}`, commands);
}

/** A click or a choice as a neutral component event, or undefined for controls we did not make. */
export function componentEvent(action: BlockElementAction): Extract<ChatEvent, { type: 'component' }> | undefined {
  switch (action.type) {
    case 'button':
      // The value holds the full neutral id (action_ids are capped at 255 characters).
      return { type: 'component', id: action.value ?? action.action_id };
    case 'static_select':
      return { type: 'component', id: action.action_id, values: [action.selected_option.value] };
    default:
      return undefined;
  }
}

/** Field values of a submitted modal, by field id (our block and action ids are the field ids). */
export function formFields(view: ViewOutput): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(view.state.values)) {
    for (const [actionId, state] of Object.entries(actions)) {
      // Uploaded files are not text: they travel as files (see files.ts).
      if (state.type === 'file_input') continue;
      const value = state.value ?? state.selected_option?.value ?? '';
      fields[actionId === blockId ? blockId : actionId] = value;
    }
  }
  return fields;
}

/** Where a block_actions payload came from. Clicks in the App Home tab have no channel or response_url. */
export function actionOrigin(body: BlockAction): {
  teamId: string;
  userId: string;
  channelId: string | undefined;
  threadTs: string | undefined;
  responseUrl: string | undefined;
  fromHome: boolean;
} {
  const container = body.container as { type?: string; channel_id?: string; thread_ts?: string; message_ts?: string };
  const message = body.message as { thread_ts?: string; ts?: string } | undefined;
  return {
    teamId: body.team?.id ?? body.user.team_id ?? body.enterprise?.id ?? 'unknown',
    userId: body.user.id,
    channelId: body.channel?.id ?? container.channel_id,
    threadTs: container.thread_ts ?? message?.thread_ts,
    responseUrl: body.response_url || undefined,
    fromHome: container.type === 'view' && body.view?.type === 'home',
  };
}

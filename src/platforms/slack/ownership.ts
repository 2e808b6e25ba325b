import type { BlockAction, types } from '@slack/bolt';
import type { ClickedMessage } from '../../chat/command.js';

type KnownBlock = types.KnownBlock;
import type { SlackMessage } from './blocks.js';

/**
 * Who a message was made for travels with it in the block ids of its controls ("so:<user>:<n>"),
 * so a click on it can tell the router whose message it is: only they may have a click edit it.
 */
const PREFIX = 'so:';

export function withOwner(m: SlackMessage, owner: string | undefined): SlackMessage {
  if (!owner) return m;
  let n = 0;
  const blocks = m.blocks.map((b): KnownBlock => (b.type === 'actions' ? { ...b, block_id: `${PREFIX}${owner}:${n++}` } : b));
  return { ...m, blocks };
}

interface ActionElement {
  action_id?: string;
  value?: string;
}

/** The message a click came from, as Slack describes it (Slack signs every request it sends). */
export function clickedMessage(body: BlockAction): ClickedMessage {
  const container = body.container as { type?: string; is_ephemeral?: boolean };
  const action = body.actions[0] as ActionElement & { block_id?: string };
  // The App Home tab and ephemeral messages are seen by the clicker alone.
  if (container.type === 'view' || container.is_ephemeral || !body.message) {
    return { private: true, owner: body.user.id, hasControl: true };
  }
  const blocks = (body.message as { blocks?: { type?: string; block_id?: string; elements?: ActionElement[] }[] }).blocks ?? [];
  const hasControl = blocks.some((b) =>
    b.elements?.some((e) => e.action_id === action.action_id && (action.value === undefined || e.value === action.value)),
  );
  const marked = action.block_id?.startsWith(PREFIX) ? action.block_id.slice(PREFIX.length).split(':')[0] : undefined;
  return { private: false, owner: marked, hasControl };
}

import { expect } from 'vitest';
import type { Button, Message, Reply } from '../../src/chat/reply.js';
import { plainText } from '../../src/chat/reply.js';

/** The one message a command or click answered with. */
export function onlyMessage(replies: Reply[]): Message {
  expect(replies).toHaveLength(1);
  const r = replies[0]!;
  if (r.kind !== 'message') throw new Error('expected a message');
  return r.message;
}

/** Every button of a message, in order. */
export const buttonsOf = (m: Message): Button[] => m.blocks.flatMap((b) => (b.kind === 'buttons' ? b.buttons : []));

/** The id of the button whose label matches, or a failure that shows the message. */
export function buttonId(m: Message, label: RegExp): string {
  const b = buttonsOf(m).find((x) => label.test(x.label));
  if (!b) throw new Error(`no button ${label} in:\n${plainText(m)}`);
  return b.id;
}

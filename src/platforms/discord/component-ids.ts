import { createHash, randomBytes } from 'node:crypto';
import type { Form } from '../../chat/reply.js';
import { LIMITS } from './limits.js';

/**
 * Ids the adapter itself puts in custom_id fields start with this; neutral ids never do (they
 * start with a command name, which is lowercase letters, digits, - and _).
 */
const OWN = '!';
const KEEP = 5000;

export type DecodedId = { kind: 'neutral'; id: string } | { kind: 'form'; form: Form } | { kind: 'expired' };

/**
 * Maps neutral component ids to Discord custom_ids. Ids within Discord's 100 characters pass
 * through unchanged (so they survive restarts); longer ones get a short hash remembered in memory.
 * Also keeps forms that could not be shown as a modal (a deferred interaction cannot open one)
 * behind an "open the form" button.
 */
export class ComponentIds {
  private readonly long = new Map<string, string>();
  private readonly forms = new Map<string, Form>();

  encode(id: string): string {
    if (id.length <= LIMITS.customId && (!id.startsWith(OWN) || this.forms.has(id))) return id;
    const key = `${OWN}h:${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
    remember(this.long, key, id);
    return key;
  }

  /** A custom_id for a button that opens `form` when clicked. */
  stashForm(form: Form): string {
    const key = `${OWN}form:${randomBytes(9).toString('base64url')}`;
    remember(this.forms, key, form);
    return key;
  }

  decode(customId: string): DecodedId {
    if (!customId.startsWith(OWN)) return { kind: 'neutral', id: customId };
    const id = this.long.get(customId);
    if (id !== undefined) return { kind: 'neutral', id };
    const form = this.forms.get(customId);
    if (form) return { kind: 'form', form };
    return { kind: 'expired' };
  }
}

/** A bounded map: the oldest entries go first. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > KEEP) map.delete(map.keys().next().value!);
}

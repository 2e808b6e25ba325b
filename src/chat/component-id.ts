/**
 * Component ids: what a button, a select menu or a form carries back to the command that made it.
 * Each command declares its ids with `componentId` beside the handler that receives them, so the
 * one definition both encodes and decodes them:
 *
 *   const answerId = componentId('quiz', 'answer', { post: 'str', option: 'int' });
 *   answerId.encode({ post: 'x1', option: 2 })   // "quiz:answer:1:x1:2"
 *   answerId.decode('quiz:answer:1:x1:2')         // { post: 'x1', option: 2 }
 *
 * The id is `<command>:<action>:<version>:<field>…`. The version lets a command change an id's
 * fields: a click on a message sent before the change no longer decodes and gets a clear "run the
 * command again" instead of being misread. An id is a claim made by whoever clicks (a modified
 * client can send any id), so handlers check what it names against the server's state.
 */

export type FieldKind = 'str' | 'int';
export type FieldSpec = Readonly<Record<string, FieldKind>>;
export type FieldValues<F extends FieldSpec> = { [K in keyof F]: F[K] extends 'int' ? number : string };

export interface ComponentIdCodec<V> {
  readonly command: string;
  readonly action: string;
  readonly version: number;
  encode(values: V): string;
  /** The values an id carries, or undefined when it is not this codec's id (or an older version). */
  decode(id: string): V | undefined;
}

const NAME = /^[a-z0-9_-]{1,32}$/;

/** `:` separates fields and `%` escapes; ids otherwise stay readable in logs. */
const escapeField = (s: string) => s.replace(/%/g, '%25').replace(/:/g, '%3A');
const unescapeField = (s: string) => s.replace(/%3A/g, ':').replace(/%25/g, '%');

/** The `<command>:<action>` an id is routed by. */
export function routeOf(id: string): { command: string; action: string } {
  const [command = '', action = ''] = id.split(':', 2);
  return { command, action };
}

export function componentId<const F extends FieldSpec = Record<never, FieldKind>>(
  command: string,
  action: string,
  fields: F = {} as F,
  version = 1,
): ComponentIdCodec<FieldValues<F>> {
  if (!NAME.test(command) || !NAME.test(action)) throw new Error(`invalid component id name ${command}:${action}`);
  const keys = Object.keys(fields) as (keyof F & string)[];
  const head = `${command}:${action}:${version}`;
  return {
    command,
    action,
    version,
    encode(values) {
      const parts = keys.map((k) => {
        const v = values[k];
        if (fields[k] === 'int' && !Number.isInteger(v)) throw new Error(`${head}: ${k} must be an integer`);
        return escapeField(String(v));
      });
      return parts.length ? `${head}:${parts.join(':')}` : head;
    },
    decode(id) {
      const parts = id.split(':');
      if (parts[0] !== command || parts[1] !== action || parts[2] !== String(version)) return undefined;
      const rest = parts.slice(3);
      if (rest.length !== keys.length) return undefined;
      const out: Record<string, string | number> = {};
      for (const [i, k] of keys.entries()) {
        const raw = unescapeField(rest[i]!);
        if (fields[k] === 'int') {
          if (!/^-?\d{1,15}$/.test(raw)) return undefined;
          out[k] = Number(raw);
        } else out[k] = raw;
      }
      return out as FieldValues<F>;
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { Services } from '../services.js';
import { touchUser } from '../learning/users.js';
import { autocomplete } from './autocomplete.js';
import type { Choice, Command, CommandCall, ComponentCall, OptionValue } from './command.js';
import { resolveLeaf, validateCommand } from './command.js';
import type { ChatContext } from './context.js';
import { workspaceKey } from './context.js';
import { formatWait, PermissionError, RateLimitError, UserError } from './errors.js';
import type { Reply } from './reply.js';
import { note, privateMessage, text } from './reply.js';

export type ChatEvent =
  | { type: 'command'; name: string; path: string[]; options: Record<string, OptionValue | undefined> }
  | { type: 'component'; id: string; values?: string[] }
  | { type: 'form'; id: string; fields: Record<string, string> };

type Next = () => Promise<Reply[]>;
export type Middleware = (event: ChatEvent, ctx: ChatContext, next: Next) => Promise<Reply[]>;

/** Sliding one-minute window per user. In memory: one bot process owns its chat connections. */
class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Returns 0 if allowed (and counts it), else the milliseconds to wait. */
  take(key: string, now: number): number {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return recent[0]! + 60_000 - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }
}

/** The reply shown for any error: what went wrong and what to do, always private. */
export function errorReply(err: unknown, logRef?: string): Reply {
  if (err instanceof UserError) {
    return privateMessage([text(`⚠️ ${err.message}`), ...(err.hint ? [note(err.hint)] : [])]);
  }
  return privateMessage([
    text(`😵 Something went wrong on our side${logRef ? ` (ref \`${logRef}\`)` : ''}. It has been logged; please try again.`),
  ]);
}

/**
 * Routes chat events to command handlers through one middleware chain: error replies, user
 * bookkeeping, rate limits and permission checks live here, not in each command.
 */
export class Router {
  private readonly byName = new Map<string, Command>();
  private readonly limiter: RateLimiter;
  private readonly chain: Middleware[];

  constructor(
    readonly commands: Command[],
    private readonly services: Services,
  ) {
    for (const c of commands) {
      const problems = validateCommand(c);
      if (problems.length) throw new Error(`Invalid command definition:\n${problems.join('\n')}`);
      if (this.byName.has(c.name)) throw new Error(`Two commands are named /${c.name}`);
      this.byName.set(c.name, c);
    }
    this.limiter = new RateLimiter(services.config.commandsPerMinute);
    this.chain = [this.catchErrors, this.recordUser, this.rateLimit, this.checkPermission];
  }

  command(name: string): Command | undefined {
    return this.byName.get(name);
  }

  /** Runs an event through the middleware to its handler; always resolves to replies. */
  dispatch(event: ChatEvent, ctx: ChatContext): Promise<Reply[]> {
    const run = (i: number): Promise<Reply[]> => {
      const mw = this.chain[i];
      return mw ? mw(event, ctx, () => run(i + 1)) : this.invoke(event, ctx);
    };
    return run(0);
  }

  /** Suggestions for an option being typed (Discord autocomplete, terminal hints). */
  async autocomplete(name: string, path: string[], option: string, value: string, ctx: ChatContext): Promise<Choice[]> {
    const command = this.byName.get(name);
    const leaf = command && resolveLeaf(command, path);
    const def = leaf?.options.find((o) => o.name === option);
    if (!def || def.type !== 'string' || !def.autocomplete) return [];
    try {
      return (await autocomplete(def.autocomplete, value, ctx, this.services)).slice(0, 25);
    } catch (err) {
      this.services.logger.error({ err, name, option }, 'autocomplete failed');
      return [];
    }
  }

  private readonly catchErrors: Middleware = async (event, ctx, next) => {
    try {
      return await next();
    } catch (err) {
      if (err instanceof UserError) return [errorReply(err)];
      const ref = randomBytes(3).toString('hex');
      this.services.logger.error({ err, ref, event, user: ctx.userId, ws: workspaceKey(ctx) }, 'command failed');
      return [errorReply(err, ref)];
    }
  };

  private readonly recordUser: Middleware = (_event, ctx, next) => {
    touchUser(this.services.db, ctx, this.services.clock.now());
    return next();
  };

  /** Commands and forms count against the per-user limit; clicks on the bot's own buttons do not. */
  private readonly rateLimit: Middleware = (event, ctx, next) => {
    if (event.type !== 'component') {
      const wait = this.limiter.take(`${workspaceKey(ctx)}:${ctx.userId}`, this.services.clock.now());
      if (wait > 0) throw new RateLimitError(`You're sending commands too quickly. Try again in ${formatWait(wait)}.`, wait);
    }
    return next();
  };

  private readonly checkPermission: Middleware = (event, ctx, next) => {
    if (event.type === 'command') {
      const command = this.byName.get(event.name);
      const leaf = command && resolveLeaf(command, event.path);
      if (leaf?.adminOnly && !ctx.isAdmin) {
        const what = `/${[event.name, ...event.path].join(' ')}`;
        const who =
          ctx.platform === 'discord'
            ? 'members with the Manage Server permission'
            : ctx.platform === 'slack'
              ? `workspace admins and owners${this.services.config.slack?.adminUsergroup ? ' (and the bot’s admin user group)' : ''}`
              : 'admins';
        throw new PermissionError(`Only ${who} can use ${what}.`);
      }
    }
    return next();
  };

  private async invoke(event: ChatEvent, ctx: ChatContext): Promise<Reply[]> {
    const asList = (r: Reply | Reply[]) => (Array.isArray(r) ? r : [r]);
    if (event.type === 'command') {
      const command = this.byName.get(event.name);
      if (!command) throw new UserError(`There is no /${event.name} command.`, 'Type /help to see them all.');
      const leaf = resolveLeaf(command, event.path);
      if (!leaf) throw new UserError(`/${[event.name, ...event.path].join(' ')} is not a command.`, 'Type /help to see them all.');
      const call: CommandCall = { path: event.path, options: event.options };
      return asList(await leaf.handle(call, ctx, this.services));
    }
    const [name = '', action = '', ...args] = event.id.split(':');
    const handler = this.byName.get(name)?.components?.[action];
    if (!handler) {
      throw new UserError('That button or form is no longer in use.', 'Run the command again for a fresh one.');
    }
    const call: ComponentCall = {
      id: event.id,
      args,
      ...(event.type === 'component' && event.values && { values: event.values }),
      ...(event.type === 'form' && { fields: event.fields }),
    };
    return asList(await handler(call, ctx, this.services));
  }
}

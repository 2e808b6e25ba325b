import { echo } from '../chat/user-text.js';
import type { ChatEvent, Choice, Command, ComponentHandler } from '../chat/command.js';
import { answersWithForm, resolveLeaf, validateCommand } from '../chat/command.js';
import { routeOf } from '../chat/component-id.js';
import type { ChatContext, Scope } from '../chat/context.js';
import { workspaceKey } from '../chat/context.js';
import { formatWait, PermissionError, RateLimitError, UserError } from '../chat/errors.js';
import type { PostedMessage } from '../chat/outbox.js';
import type { Message, Reply } from '../chat/reply.js';
import { observeInteraction } from '../infra/metrics.js';
import { withWorkspaceContent, workspaceContent } from '../learning/decks.js';
import { enterLearner } from '../learning/users.js';
import type { Services } from '../services.js';
import { autocomplete } from './autocomplete.js';
import { ErrorSink } from './error-sink.js';
import { kb } from '../text/sizes.js';

/** One call on its way through the middleware: the scope is filled in once the learner is known. */
interface CallState {
  event: ChatEvent;
  ctx: ChatContext;
  scope?: Scope;
}

type Next = () => Promise<Reply[]>;
export type Middleware = (call: CallState, next: Next) => Promise<Reply[]>;

const asList = (r: Reply | Reply[]) => (Array.isArray(r) ? r : [r]);

/**
 * Routes chat events to command handlers through one middleware chain: the error sink, the
 * learner's scope (recorded once per call), rate limits and permission checks live here, not in
 * each command or adapter.
 */
export class Router {
  private readonly byName = new Map<string, Command<Services>>();
  private readonly chain: Middleware[];
  readonly errors: ErrorSink;

  constructor(
    readonly commands: readonly Command<Services>[],
    private readonly services: Services,
  ) {
    for (const c of commands) {
      const problems = validateCommand(c);
      if (problems.length) throw new Error(`Invalid command definition:\n${problems.join('\n')}`);
      if (this.byName.has(c.name)) throw new Error(`Two commands are named /${c.name}`);
      this.byName.set(c.name, c);
    }
    this.errors = new ErrorSink(services.logger);
    this.chain = [this.catchErrors, this.checkControl, this.enterScope, this.rateLimit, this.checkPermission, this.fetchFiles];
  }

  command(name: string): Command<Services> | undefined {
    return this.byName.get(name);
  }

  /** True when the command at `path` would answer with a form given only these options (no defer first). */
  answersWithForm(name: string, path: readonly string[], given: ReadonlySet<string>): boolean {
    const command = this.byName.get(name);
    return answersWithForm(command && resolveLeaf(command, path), given);
  }

  /** The command an event belongs to, for platforms that plan their response (defer, privacy). */
  commandOf(event: ChatEvent): Command<Services> | undefined {
    if (event.type === 'command') return this.byName.get(event.name);
    if (event.type === 'view') return undefined;
    return this.byName.get(routeOf(event.id).command);
  }

  /** Runs an event through the middleware to its handler; always resolves to replies. */
  async dispatch(event: ChatEvent, ctx: ChatContext): Promise<Reply[]> {
    const call: CallState = { event, ctx };
    const run = (i: number): Promise<Reply[]> => {
      const mw = this.chain[i];
      return mw ? mw(call, () => run(i + 1)) : this.invoke(call);
    };
    return (await observeInteraction(ctx.platform, this.commandOf(event)?.name ?? event.type, () => run(0))).map((r) => this.placed(r, event, ctx));
  }

  /**
   * Where a reply goes: it is stamped with the learner it was made for, and a reply that would edit
   * the clicked message does so only when that message is private to the clicker or theirs;
   * otherwise it comes to the clicker as a private message of their own.
   */
  private placed(reply: Reply, event: ChatEvent, ctx: ChatContext): Reply {
    if (reply.kind !== 'message') return reply;
    const message = { ...reply.message, owner: reply.message.owner ?? ctx.userId };
    const on = event.type === 'component' || event.type === 'form' ? event.on : undefined;
    if (reply.update && on && !on.private && on.owner !== ctx.userId) return { kind: 'message', message: { ...message, private: true } };
    return { ...reply, message };
  }

  /** Where a live message went, as the adapter that posted it as a reply reports it. */
  noteLive(key: string, posted: PostedMessage): void {
    this.services.outbox.noteLive(key, posted);
  }

  /** A screen shown outside a conversation (Slack's App Home), rendered by the command that owns it. */
  async view(name: string, ctx: ChatContext): Promise<Message> {
    const replies = await this.dispatch({ type: 'view', name }, ctx);
    const first = replies[0];
    if (first?.kind !== 'message') throw new Error(`view ${name} did not render`);
    return first.message;
  }

  /** Suggestions for an option being typed (Discord autocomplete, terminal hints). */
  async autocomplete(name: string, path: string[], option: string, value: string, ctx: ChatContext): Promise<Choice[]> {
    // Suggestions as someone types are cheap but unbounded: past a generous budget, none.
    const { limits, config, clock } = this.services;
    if ((await limits.take(`${ctx.platform}:${ctx.userId}:autocomplete`, config.commandsPerMinute * 4, clock.now())) > 0) return [];
    const command = this.byName.get(name);
    const leaf = command && resolveLeaf(command, path);
    const def = leaf?.options.find((o) => o.name === option);
    if (def?.type !== 'string' || !def.autocomplete) return [];
    try {
      return autocomplete(def.autocomplete, value, workspaceContent(this.services.db, this.services.content, workspaceKey(ctx))).slice(0, 25);
    } catch (err) {
      this.services.logger.error({ err, name, option }, 'autocomplete failed');
      return [];
    }
  }

  /** A click whose id is not on the message it claims to come from was made up: nothing runs. */
  private readonly checkControl: Middleware = (call, next) => {
    const { event } = call;
    if ((event.type === 'component' || event.type === 'form') && event.on && !event.on.hasControl) {
      this.services.logger.warn({ user: call.ctx.userId, id: event.id.slice(0, 120) }, 'a click named a control its message does not have');
      throw new UserError(
        'That button is not on the message it was clicked on, so nothing was done.',
        'Use the buttons the bot posted, or run the command again.',
      );
    }
    return next();
  };

  private readonly catchErrors: Middleware = async (call, next) => {
    try {
      return await next();
    } catch (err) {
      return [this.errors.reply(err, { event: summarize(call.event), user: call.ctx.userId, ws: workspaceKey(call.ctx) })];
    }
  };

  /** Records the learner (a write only when new or renamed) and works out their zones (one read), once per call. */
  private readonly enterScope: Middleware = (call, next) => {
    const { db, clock, config } = this.services;
    const ws = workspaceKey(call.ctx);
    const now = clock.now();
    const entered = enterLearner(db, { ws, userId: call.ctx.userId, name: call.ctx.userName }, now, config.defaultTimeZone);
    call.scope = { ws, now, zone: entered.zone, workspaceZone: entered.workspaceZone };
    return next();
  };

  /**
   * Limits per person, whatever server or workspace they act in: commands and forms share one
   * budget, clicks another (a flashcard session clicks twice a card). Screens such as the App Home
   * are not counted.
   */
  private readonly rateLimit: Middleware = async (call, next) => {
    const { event, ctx } = call;
    if (event.type !== 'view') {
      const { config, clock, limits } = this.services;
      const clicks = event.type === 'component';
      const wait = await limits.take(
        `${ctx.platform}:${ctx.userId}:${clicks ? 'clicks' : 'commands'}`,
        clicks ? config.clicksPerMinute : config.commandsPerMinute,
        clock.now(),
      );
      if (wait > 0) {
        throw new RateLimitError(`You're ${clicks ? 'clicking' : 'sending commands'} too quickly. Try again in ${formatWait(wait)}.`, wait);
      }
    }
    return next();
  };

  private readonly checkPermission: Middleware = (call, next) => {
    const { event, ctx } = call;
    if (event.type === 'command') {
      const command = this.byName.get(event.name);
      const leaf = command && resolveLeaf(command, event.path);
      if ((leaf?.adminOnly || command?.adminOnly) && !ctx.isAdmin) {
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

  /**
   * Uploaded files are fetched last, once the call is allowed: a file with the wrong name or a size
   * over the limit is refused before a byte is downloaded, and every download counts against the
   * person's rate limit like the command it came with.
   */
  private readonly fetchFiles: Middleware = async (call, next) => {
    const { event } = call;
    if (event.type !== 'command') return next();
    const command = this.byName.get(event.name);
    const leaf = command && resolveLeaf(command, event.path);
    for (const [name, value] of Object.entries(event.options)) {
      if (typeof value !== 'object' || !('pending' in value)) continue;
      const def = leaf?.options.find((o) => o.name === name);
      const extensions = def?.type === 'attachment' ? def.extensions : undefined;
      const maxBytes = (def?.type === 'attachment' ? def.maxBytes : undefined) ?? this.services.config.runs.codeMaxBytes;
      if (extensions && !extensions.some((e) => value.name.toLowerCase().endsWith(e))) {
        throw new UserError(
          `"${echo(value.name)}" is not a ${extensions.join(' or ')} file.`,
          extensions.includes('.py')
            ? 'Attach the right kind of file, or paste your code in a code block.'
            : `Attach a ${extensions.join(' or ')} file.`,
        );
      }
      if (value.size > maxBytes) {
        throw new UserError(`"${echo(value.name)}" is ${kb(value.size)}; the limit is ${kb(maxBytes)}.`, 'Trim it down and attach it again.');
      }
      event.options[name] = await value.fetch(maxBytes);
    }
    return next();
  };

  private async invoke(call: CallState): Promise<Reply[]> {
    const { event, ctx } = call;
    const scope = call.scope!;
    // Each workspace sees the course plus its own deck, if it imported one (/config import).
    const services = withWorkspaceContent(this.services, scope.ws);
    if (event.type === 'command') {
      const command = this.byName.get(event.name);
      if (!command) throw new UserError(`There is no /${echo(event.name)} command.`, 'Type /help to see them all.');
      const leaf = resolveLeaf(command, event.path);
      if (!leaf) throw new UserError(`/${[event.name, ...event.path].join(' ')} is not a command.`, 'Type /help to see them all.');
      return asList(await leaf.handle({ options: event.options, ctx, scope, services }));
    }
    if (event.type === 'view') {
      const view = this.commands.flatMap((c) => c.views ?? []).find((v) => v.name === event.name);
      if (!view) throw new Error(`no command renders the view "${event.name}"`);
      return [{ kind: 'message', message: await view.render({ ctx, scope, services }) }];
    }
    const { command: name, action } = routeOf(event.id);
    const handler: ComponentHandler<Services> | undefined = this.byName.get(name)?.components?.find((h) => h.codec.action === action);
    const id = handler?.codec.decode(event.id);
    if (!handler || id === undefined) {
      throw new UserError('That button or form is from an older message and no longer works.', 'Run the command again for a fresh one.');
    }
    return asList(
      await handler.handle({
        id,
        selected: event.type === 'component' ? (event.values ?? []) : [],
        fields: event.type === 'form' ? event.fields : {},
        files: event.type === 'form' ? (event.files ?? {}) : {},
        ctx,
        scope,
        services,
      }),
    );
  }
}

/** An event for the logs: never the code or the files a learner sent. */
function summarize(event: ChatEvent): Record<string, unknown> {
  if (event.type === 'command') return { type: 'command', name: event.name, path: event.path, options: Object.keys(event.options) };
  if (event.type === 'view') return { type: 'view', name: event.name };
  return { type: event.type, id: event.id };
}

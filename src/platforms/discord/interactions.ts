import {
  ComponentType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionDeferReplyOptions,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { ChatEvent, ClickedMessage, FileInput, OptionValue, PendingFile } from '../../chat/command.js';
import type { ChatContext } from '../../chat/context.js';
import type { Form, Reply } from '../../chat/reply.js';
import { buttons, privateMessage, text } from '../../chat/reply.js';
import type { Logger } from '../../logger.js';
import type { Router } from '../../router/router.js';
import type { Clock } from '../../time.js';
import type { ComponentIds } from './component-ids.js';
import { interactionContext } from './context.js';
import { DEFAULT_ACK_AFTER_MS } from './limits.js';
import { codeFromMessage } from './message-code.js';
import { commandPath, downloadAttachment, neutralOptions, type DownloadLimits, type RemoteFile } from './options.js';
import { editOptions, replyOptions } from './payload.js';
import { RUN_PYTHON } from './registration.js';
import { renderChoices, renderMessage, renderModal, type DiscordMessage } from './render.js';

/** The interactions the bot answers with messages. */
type Repliable =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ButtonInteraction
  | StringSelectMenuInteraction
  | ModalSubmitInteraction;

/** The response methods every repliable interaction shares, as one callable shape. */
interface Responses {
  readonly ephemeral: boolean | null;
  reply(options: InteractionReplyOptions): Promise<unknown>;
  deferReply(options?: InteractionDeferReplyOptions): Promise<unknown>;
  editReply(options: InteractionEditReplyOptions): Promise<unknown>;
  deleteReply(): Promise<void>;
  followUp(options: InteractionReplyOptions): Promise<unknown>;
}

/** Interactions tied to a message (button, select, a modal opened from one): they can update it. */
interface Updatable {
  update(options: InteractionUpdateOptions): Promise<unknown>;
}

interface Plan {
  /** Defer before any work: the handler is known to take long (queueing, downloads). */
  deferFirst: boolean;
  /** A deferred reply starts private (the command's replies are private). */
  ephemeral: boolean;
}

export interface InteractionDeps {
  router: Router;
  clock: Clock;
  logger: Logger;
  ids: ComponentIds;
  download: Omit<DownloadLimits, 'maxBytes'>;
  ackAfterMs?: number;
}

type MessageReply = Extract<Reply, { kind: 'message' }>;

/** The builders that make messages return the wider Reply type. */
function asMessage(reply: Reply): MessageReply {
  if (reply.kind !== 'message') throw new Error('expected a message reply');
  return reply;
}

const sleep = (ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
};

/** Every custom_id among a message's components (rows, and anything nested in them). */
function customIdsOf(components: readonly { toJSON(): unknown }[]): Set<string> {
  const ids = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.custom_id === 'string') ids.add(o.custom_id);
      for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
    }
  };
  walk(components.map((c) => c.toJSON()));
  return ids;
}

/** The message a button or menu sits on, as Discord (not the clicking client) describes it. */
function clickedMessage(i: ButtonInteraction | StringSelectMenuInteraction): ClickedMessage {
  const m = i.message;
  return {
    private: m.flags.has(MessageFlags.Ephemeral),
    owner: m.interactionMetadata?.user.id,
    hasControl: customIdsOf(m.components).has(i.customId),
  };
}

/**
 * Turns Discord interactions into router events and the router's replies into interaction
 * responses, within Discord's timing rules: one response within 3 s (a reply, an update, a modal or
 * a defer), then edits and follow-ups. Modals and autocomplete can never follow a defer.
 */
export class InteractionHandler {
  /** Responses in progress per interaction token, so a later delivery never overtakes them. */
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly deps: InteractionDeps) {}

  /** Resolves once the response to the interaction with this token has been sent. */
  settled(token: string): Promise<void> {
    return this.inflight.get(token) ?? Promise.resolve();
  }

  async handle(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    if (!interaction.isRepliable()) return;
    const started = Date.now();
    const work = this.dispatchInteraction(interaction as Repliable).catch((err: unknown) => this.failed(interaction as Repliable, err));
    this.inflight.set(interaction.token, work);
    try {
      await work;
    } finally {
      this.inflight.delete(interaction.token);
    }
    this.deps.logger.info(
      {
        interaction: interaction.id,
        name: interaction.isCommand() ? interaction.commandName : 'customId' in interaction ? interaction.customId : undefined,
        user: interaction.user.id,
        guild: interaction.guildId,
        deferred: interaction.deferred,
        ms: Date.now() - started,
      },
      'discord interaction answered',
    );
  }

  private context(interaction: Interaction): ChatContext {
    return interactionContext(interaction, this.deps.clock.now());
  }

  private async dispatchInteraction(i: Repliable): Promise<void> {
    if (i.isChatInputCommand()) return this.command(i);
    if (i.isMessageContextMenuCommand()) return this.runPython(i);
    if (i.isButton() || i.isStringSelectMenu()) return this.component(i);
    if (i.isModalSubmit()) return this.modal(i);
  }

  private async command(i: ChatInputCommandInteraction): Promise<void> {
    const { path, options } = commandPath(i.options.data);
    const command = this.deps.router.command(i.commandName);
    // A command that answers with a form (e.g. /run without code) must not defer: a modal cannot follow a defer.
    const mayAskForm = this.deps.router.answersWithForm(i.commandName, path, new Set(options.map((o) => o.name)));
    const plan = { deferFirst: Boolean(command?.slow) && !mayAskForm, ephemeral: Boolean(command?.private) };
    const ctx = this.context(i);
    await this.respond(i, plan, async () => {
      const values = neutralOptions(options, (f, maxBytes) => this.download(f, maxBytes));
      return this.deps.router.dispatch({ type: 'command', name: i.commandName, path, options: values }, ctx);
    });
  }

  /** "Run Python" on a message: its code goes through /run like typed code. */
  private async runPython(i: MessageContextMenuCommandInteraction): Promise<void> {
    if (i.commandName !== RUN_PYTHON) return;
    const target = i.targetMessage;
    const found = codeFromMessage(
      target.content,
      target.embeds.map((e) => e.description ?? ''),
    );
    const pyFile = target.attachments.find((a) => /\.py$/i.test(a.name));
    if (!found && !pyFile) {
      await this.sendNow(i, [
        privateMessage([
          text('⚠️ That message has no code to run.'),
          text('**Run Python** runs the ```python code blocks of a message (or its attached .py file, or its text).'),
        ]),
      ]);
      return;
    }
    const ctx = this.context(i);
    await this.respond(i, { deferFirst: true, ephemeral: false }, async () => {
      // Code blocks first, then an attached .py file, then the bare text.
      const options: Record<string, OptionValue | undefined> =
        found && (found.from === 'blocks' || !pyFile)
          ? { code: found.code, ...(found.stdin !== undefined && { stdin: found.stdin }) }
          : { file: this.pendingFile({ name: pyFile!.name, url: pyFile!.url, size: pyFile!.size }) };
      return this.deps.router.dispatch({ type: 'command', name: 'run', path: [], options }, ctx);
    });
  }

  private async component(i: ButtonInteraction | StringSelectMenuInteraction): Promise<void> {
    const decoded = this.deps.ids.decode(i.customId);
    if (decoded.kind === 'form') {
      await i.showModal(renderModal(decoded.form, this.deps.ids.encode(decoded.form.id)));
      return;
    }
    // An id this process no longer knows goes to the router, which explains that it expired.
    const id = decoded.kind === 'neutral' ? decoded.id : i.customId;
    const event: ChatEvent = { type: 'component', id, ...(i.isStringSelectMenu() && { values: i.values }), on: clickedMessage(i) };
    const ctx = this.context(i);
    await this.respond(i, { deferFirst: false, ephemeral: false }, () => this.deps.router.dispatch(event, ctx));
  }

  private async modal(i: ModalSubmitInteraction): Promise<void> {
    const decoded = this.deps.ids.decode(i.customId);
    const id = decoded.kind === 'neutral' ? decoded.id : i.customId;
    const fields: Record<string, string> = {};
    for (const [key, field] of i.fields.fields) {
      if (field.type === ComponentType.TextInput) fields[key] = field.value;
    }
    const command = this.deps.router.commandOf({ type: 'form', id, fields });
    const ctx = this.context(i);
    await this.respond(i, { deferFirst: Boolean(command?.slow), ephemeral: Boolean(command?.private) }, () =>
      this.deps.router.dispatch({ type: 'form', id, fields }, ctx),
    );
  }

  private async autocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const { path } = commandPath(i.options.data);
    const choices = await this.deps.router.autocomplete(i.commandName, path, focused.name, String(focused.value), this.context(i));
    try {
      await i.respond(renderChoices(choices));
    } catch (err) {
      this.deps.logger.warn({ err, interaction: i.id, command: i.commandName }, 'autocomplete response failed');
    }
  }

  private download(f: RemoteFile, maxBytes: number): Promise<FileInput> {
    return downloadAttachment(f, { ...this.deps.download, maxBytes });
  }

  /** An attachment the router fetches once the call is allowed (see Router.fetchFiles). */
  private pendingFile(f: RemoteFile): PendingFile {
    return { pending: true, name: f.name, size: f.size, fetch: (maxBytes) => this.download(f, maxBytes) };
  }

  /**
   * Runs the work and answers: at once when it is done within the ack budget, otherwise after a
   * defer (or defers first when the plan says so). Work errors become the core's error replies.
   */
  private async respond(i: Repliable, plan: Plan, work: () => Promise<Reply[]>): Promise<void> {
    const safeWork = () => work().catch((err: unknown) => [this.errorReplyFor(i, err)]);
    const budget = this.deps.ackAfterMs ?? DEFAULT_ACK_AFTER_MS;
    if (plan.deferFirst || budget <= 0) {
      await this.defer(i, plan.ephemeral);
      await this.sendDeferred(i, await safeWork());
      return;
    }
    const pending = safeWork();
    const timer = sleep(budget);
    const early = await Promise.race([pending, timer.promise]);
    timer.cancel();
    if (early) {
      await this.sendNow(i, early);
      return;
    }
    this.deps.logger.info({ interaction: i.id, budgetMs: budget }, 'slow handler: deferring the response');
    await this.defer(i, plan.ephemeral);
    await this.sendDeferred(i, await pending);
  }

  private errorReplyFor(i: Repliable, err: unknown): Reply {
    return this.deps.router.errors.reply(err, { interaction: i.id, platform: 'discord' });
  }

  private updatable(i: Repliable): (Repliable & Updatable) | undefined {
    if (i.isMessageComponent()) return i;
    if (i.isModalSubmit() && i.isFromMessage()) return i;
    return undefined;
  }

  private defer(i: Repliable, ephemeral: boolean): Promise<unknown> {
    // On a message's control the defer keeps that message; the reply decides later whether to edit it.
    if (i.isMessageComponent()) return i.deferUpdate();
    const r: Responses = i;
    return r.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  }

  private render(reply: MessageReply): DiscordMessage[] {
    return renderMessage(reply.message, this.deps.ids);
  }

  /** A form that can no longer open as a modal (after a defer): a private button that opens it. */
  private formFallback(form: Form): MessageReply {
    return asMessage(
      privateMessage([
        text(`**${form.title}** — open the form to continue.`),
        buttons({ id: this.deps.ids.stashForm(form), label: 'Open the form', style: 'primary' }),
      ]),
    );
  }

  /** The first response, sent within the ack window. */
  private async sendNow(i: Repliable, replies: Reply[]): Promise<void> {
    const r: Responses = i;
    const [first = privateMessage([text('✅ Done.')]), ...rest] = replies;
    if (first.kind === 'form') {
      if (i.isModalSubmit()) {
        await this.sendNow(i, [this.formFallback(first.form), ...rest]);
        return;
      }
      await i.showModal(renderModal(first.form, this.deps.ids.encode(first.form.id)));
      // Nothing can follow a modal: the submission arrives as a new interaction.
      if (rest.length) this.deps.logger.warn({ interaction: i.id, dropped: rest.length }, 'replies after a form were dropped');
      return;
    }
    const [head, ...tail] = this.render(first);
    const target = first.update ? this.updatable(i) : undefined;
    if (target) await target.update(editOptions(head!));
    else {
      await r.reply(replyOptions(head!));
      if (first.message.live) this.noteLive(i, first.message.live, await i.fetchReply());
    }
    await this.followUps(r, tail, rest);
  }

  /** The response after a defer: edit the deferred reply, or follow up. */
  private async sendDeferred(i: Repliable, replies: Reply[]): Promise<void> {
    const r: Responses = i;
    const [firstReply = privateMessage([text('✅ Done.')]), ...rest] = replies;
    const first = firstReply.kind === 'form' ? this.formFallback(firstReply.form) : firstReply;
    const [head, ...tail] = this.render(first);
    if (i.isMessageComponent()) {
      // deferUpdate: @original is the message the control is on.
      if (first.update) await r.editReply(editOptions(head!));
      else await r.followUp(replyOptions(head!));
    } else if (head!.ephemeral && !i.ephemeral) {
      // A private answer (an error, usually) to a public defer: a public edit would show it to all.
      await r.deleteReply();
      await r.followUp(replyOptions(head!));
    } else {
      const sent = await r.editReply(editOptions(head!));
      if (first.message.live) this.noteLive(i, first.message.live, sent);
    }
    await this.followUps(r, tail, rest);
  }

  private async followUps(r: Responses, parts: DiscordMessage[], replies: Reply[]): Promise<void> {
    for (const p of parts) await r.followUp(replyOptions(p));
    for (const reply of replies) {
      const m = reply.kind === 'form' ? this.formFallback(reply.form) : reply;
      for (const p of this.render(m)) await r.followUp(replyOptions(p));
    }
  }

  /** Records where a live message went, with the interaction's webhook for editing it while the token lives. */
  private noteLive(i: Repliable, key: string, sent: unknown): void {
    const m = sent as { id?: string; channelId?: string } | undefined;
    if (!m?.id || !m.channelId) return;
    const { conversation } = this.context(i);
    this.deps.router.noteLive(key, {
      platform: 'discord',
      channelId: m.channelId,
      messageId: m.id,
      ...(conversation.handle && { handle: conversation.handle, handleExpiresAt: conversation.handleExpiresAt }),
    });
  }

  /** Last resort when answering failed: tell the user privately, if Discord still lets us. */
  private async failed(i: Repliable, err: unknown): Promise<void> {
    const [part] = this.render(
      asMessage(this.deps.router.errors.reply(err, { interaction: i.id, platform: 'discord', acked: i.deferred || i.replied })),
    );
    const options = { ...replyOptions(part!), flags: MessageFlags.Ephemeral } as const;
    const r: Responses = i;
    try {
      if (i.deferred || i.replied) await r.followUp(options);
      else await r.reply(options);
    } catch (again) {
      this.deps.logger.warn({ err: again, interaction: i.id }, 'could not tell the user about the failure');
    }
  }
}

import { componentId } from '../src/chat/component-id.js';
import type { ChatContext, Scope } from '../src/chat/context.js';
import type { FileInput } from '../src/chat/command.js';
import { PermissionError, UserError } from '../src/chat/errors.js';
import { form, message, note, privateMessage, type Reply, text } from '../src/chat/reply.js';
import { echo, plainName, userText } from '../src/chat/user-text.js';
import { DECK_MAX_BYTES, DECK_MAX_ITEMS, parseDeck } from '../src/content/deck-file.js';
import { formatProblem } from '../src/content/problems.js';
import { courseOf, DEFAULT_DECK_TITLE, DEFAULT_DECK_TRACK, deckOf, deckTrackId, removeDeck, storeDeck } from '../src/learning/decks.js';
import type { Services } from '../src/services.js';
import { kb } from '../src/text/sizes.js';
import { on, sub } from './kit.js';

/** `/config import`: the group's own questions and flashcards, as a track of this workspace. */

const EXTENSIONS = ['.yaml', '.yml', '.csv'] as const;
/** At most this many problems are listed; the count says how many more there are. */
const LISTED_PROBLEMS = 15;

/** config:import:1:<name> — the form Slack opens for the file (the name typed with the command rides along). */
const importFormId = componentId('config', 'import', { name: 'str' });

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const mention = (platform: string, channelId: string) => (platform === 'terminal' ? `#${channelId}` : `<#${channelId}>`);

async function importDeck(services: Services, scope: Scope, ctx: ChatContext, file: FileInput, name: string | undefined): Promise<Reply> {
  const parsed = parseDeck(file.name, file.data);
  if (!parsed.ok) {
    // Shown in a code block, exactly as content:check prints problems: file:line: field: message.
    const shown = parsed.problems.slice(0, LISTED_PROBLEMS).map((p) => plainName(formatProblem(p), 300).replace(/`/g, "'"));
    const more = parsed.problems.length - shown.length;
    throw new UserError(
      `Nothing was imported: ${userText(file.name, 80)} has ${count(parsed.problems.length, 'problem')}.\n\`\`\`\n${shown.join('\n')}${
        more > 0 ? `\n…and ${more} more` : ''
      }\n\`\`\``,
      deckOf(services.db, scope.ws)
        ? 'The deck this workspace had is unchanged. Fix the file and import it again.'
        : 'Fix the file and import it again.',
    );
  }
  const course = courseOf(services.content);
  const before = deckOf(services.db, scope.ws);
  const wanted = name?.trim();
  const trackId = wanted ? deckTrackId(wanted) : (before?.trackId ?? DEFAULT_DECK_TRACK);
  if (!trackId) throw new UserError(`"${echo(wanted ?? '')}" makes no track id: use letters or digits in the name.`);
  if (course.trackById.has(trackId)) {
    throw new UserError(`"${trackId}" is one of the course's tracks.`, 'Give the deck another name, e.g. name:"Our deck".');
  }
  // The title is shown wherever tracks are named (question footers, daily posts): no hidden or reordering characters.
  const title = plainName(wanted || parsed.items.title || before?.title || DEFAULT_DECK_TITLE, 80);
  const change = storeDeck(services.db, { ws: scope.ws, items: parsed.items, trackId, title, fileName: file.name, by: ctx.userId, now: scope.now });
  // Daily posts that walked the deck under its old track id follow it to the new one.
  const moved = before && before.trackId !== trackId ? services.daily.list(scope.ws).filter((c) => c.track === before.trackId) : [];
  for (const c of moved) await services.daily.moveTrack(scope.ws, c.channelId, trackId);
  const lines = [
    `📥 Imported **${userText(title, 80)}** from ${userText(file.name, 80)}: ${count(change.questions, 'question')} and ${count(change.cards, 'flashcard')}, for this workspace only.`,
  ];
  if (change.previous) {
    lines.push(
      `It replaces the deck imported before (${count(change.previous.questions, 'question')}, ${count(change.previous.cards, 'card')}): ` +
        `${change.kept} kept their ids and with them learners' answers and review history; ${change.removed} ${change.removed === 1 ? 'is' : 'are'} gone.`,
    );
  }
  lines.push(
    `Its track is \`${trackId}\`: \`/quiz ${trackId}\`, \`/round ${trackId}\`, \`/flashcards review ${trackId}\`, or a daily question with \`/config daily time:09:00 track:${trackId}\`.`,
  );
  if (moved.length) lines.push(`The daily post in ${moved.map((c) => mention(ctx.platform, c.channelId)).join(', ')} now asks from \`${trackId}\`.`);
  const blocks = [text(lines.join('\n\n'))];
  if (parsed.warnings.length) {
    blocks.push(
      note(
        `⚠️ Imported, but the right answers are easy to guess by their form:\n${parsed.warnings
          .slice(0, 5)
          .map((w) => `• ${userText(formatProblem(w), 400)}`)
          .join('\n')}`,
      ),
    );
  }
  if (parsed.rendering.length) {
    blocks.push(
      note(
        `⚠️ Imported, but some text will not read well on Discord, Slack or in the terminal:\n${parsed.rendering
          .slice(0, 5)
          .map((w) => `• ${userText(formatProblem(w), 400)}`)
          .join('\n')}${parsed.rendering.length > 5 ? `\n…and ${parsed.rendering.length - 5} more.` : ''}`,
      ),
    );
  }
  return message(blocks, { title: 'Deck imported' });
}

async function removeReply(services: Services, scope: Scope, ctx: ChatContext): Promise<Reply> {
  const removed = removeDeck(services.db, scope.ws);
  if (!removed) return privateMessage([text('This workspace has no imported deck: there was nothing to remove.')]);
  const feeds = services.daily.list(scope.ws).filter((c) => c.track === removed.trackId);
  const blocks = [
    text(
      `🗑️ Removed **${userText(removed.title, 80)}** (track \`${removed.trackId}\`): ${count(removed.questions, 'question')} and ${count(removed.cards, 'flashcard')}, ` +
        "with learners' review state of them. Points already earned stay.",
    ),
  ];
  if (feeds.length) {
    blocks.push(
      note(
        `The daily post in ${feeds.map((c) => mention(ctx.platform, c.channelId)).join(', ')} walked this deck: it now posts the course's lessons. ` +
          'Choose its track again with `/config daily`.',
      ),
    );
  }
  return message(blocks, { title: 'Deck removed' });
}

/** Where to get the file when none came with the command: a form on Slack, a hint elsewhere. */
function askForFile(services: Services, scope: Scope, ctx: ChatContext, name: string | undefined): Reply {
  if (ctx.platform === 'slack') {
    return form({
      id: importFormId.encode({ name: name ?? '' }),
      title: 'Import a deck',
      fields: [{ id: 'file', label: 'Questions and flashcards (.yaml or .csv)', style: 'file', required: true, extensions: EXTENSIONS }],
    });
  }
  const deck = deckOf(services.db, scope.ws);
  const now = deck
    ? `This workspace's deck: **${userText(deck.title, 80)}** (track \`${deck.trackId}\`, ${count(deck.questions, 'question')}, ${count(deck.cards, 'card')}, from ${userText(deck.fileName, 80)}).`
    : 'This workspace has no imported deck yet.';
  throw new UserError(
    ctx.platform === 'discord'
      ? `Attach the deck: \`/config import file:\` and pick a .yaml or .csv file. ${now}`
      : `Give the deck file's path: \`/config import ./deck.yaml\`. ${now}`,
    'The format (YAML or CSV) is in the README, under "Your group\'s own deck"; `/config import remove` removes it.',
  );
}

export const importSub = sub({
  name: 'import',
  description: "Import the group's own questions and flashcards (.yaml or .csv) as a track, or remove them",
  options: [
    {
      name: 'file',
      description: 'A .yaml or .csv file of questions and flashcards (format: see the README)',
      type: 'attachment',
      extensions: EXTENSIONS,
      maxBytes: DECK_MAX_BYTES,
    },
    { name: 'name', description: `The track's name (default: ${DEFAULT_DECK_TITLE}, track id ${DEFAULT_DECK_TRACK})`, type: 'string', maxLength: 80 },
    { name: 'remove', description: 'Remove the imported deck instead', type: 'boolean' },
  ],
  formUnless: ['file', 'remove'],
  async handle({ options, ctx, scope, services }) {
    if (options.remove) {
      if (options.file) throw new UserError('Either import a file or remove the deck, not both at once.');
      return removeReply(services, scope, ctx);
    }
    if (!options.file) return askForFile(services, scope, ctx, options.name);
    return importDeck(services, scope, ctx, options.file, options.name);
  },
});

export const importForm = on(importFormId, async ({ id, files, ctx, scope, services }) => {
  // A form is no command: the router's admin check does not see it, so it is made here.
  if (!ctx.isAdmin) throw new PermissionError('Only workspace admins and owners can import a deck.');
  const file = files.file;
  if (!file) throw new UserError('No file came with the form.', 'Run `/study config import` again and choose a .yaml or .csv file.');
  if (!EXTENSIONS.some((e) => file.name.toLowerCase().endsWith(e))) {
    throw new UserError(`"${echo(file.name)}" is not a .yaml, .yml or .csv file.`, 'Choose a deck file in one of those formats.');
  }
  if (file.size > DECK_MAX_BYTES) {
    throw new UserError(
      `"${echo(file.name)}" is ${kb(file.size)}; a deck file is at most ${kb(DECK_MAX_BYTES)} (and ${DECK_MAX_ITEMS} items).`,
      'Split it, or trim it down.',
    );
  }
  return importDeck(services, scope, ctx, await file.fetch(DECK_MAX_BYTES), id.name || undefined);
});

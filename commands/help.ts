import { echo } from '../src/chat/user-text.js';
import type { Command } from '../src/chat/command.js';
import { leaves } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import type { Block } from '../src/chat/reply.js';
import { code, message, note, text } from '../src/chat/reply.js';
import { usage } from '../src/chat/parse.js';
import type { Services } from '../src/services.js';
import { command } from './kit.js';

type Commands = () => readonly Command<Services>[];

/** One command in detail: every form of it with its usage, then its examples (multi-line ones as code). */
function detail(c: Command<Services>): Block[] {
  const lines = [`**/${c.name}** — ${c.description}${c.adminOnly ? ' *(admins)*' : ''}`];
  for (const { path, leaf, description } of leaves(c)) {
    const form = `\`${usage(`/${[c.name, ...path].join(' ')}`, leaf.options)}\``;
    lines.push(path.length ? `• ${form} — ${description}` : `• ${form}`);
  }
  const blocks: Block[] = [text(lines.join('\n'))];
  if (c.about) blocks.push(text(c.about));
  const examples = c.examples ?? [];
  const short = examples.filter((e) => !e.includes('\n'));
  if (short.length) blocks.push(text(`**Examples**\n${short.map((e) => `\`${e}\``).join('\n')}`));
  for (const e of examples.filter((x) => x.includes('\n'))) blocks.push(code(e, 'text', 'Example'));
  return blocks;
}

/** /help lists every command the bot has, which the index hands it once they are all defined. */
export function helpCommand(all: Commands): Command<Services> {
  return command({
    name: 'help',
    description: 'What the bot can do, or how to use one command',
    examples: ['/help', '/help quiz'],
    options: [{ name: 'command', description: 'A command name, e.g. quiz', type: 'string' }],
    async handle({ options, ctx }) {
      const commands = all();
      const name = options.command?.replace(/^\//, '').trim().toLowerCase();
      if (name) {
        const c = commands.find((x) => x.name === name);
        if (!c) throw new UserError(`There is no /${echo(name)} command.`, `Commands: ${commands.map((x) => `/${x.name}`).join(' ')}`);
        return message(detail(c), { title: `/${c.name}`, private: true });
      }
      const list = commands.map((c) => `**/${c.name}** — ${c.description}${c.adminOnly ? ' *(admins)*' : ''}`).join('\n');
      const tip =
        ctx.platform === 'terminal'
          ? 'Buttons appear as numbered choices: type the number to pick one. Paste code between ``` lines. Type /quit to leave.'
          : 'Start with /lesson, then /quiz and /flashcards review every day to build your streak.';
      return message([text(list), note(`${tip} · /help <command> for details`)], {
        title: 'studybot — learn advanced Python together',
        private: true,
      });
    },
  });
}

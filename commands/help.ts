import type { Command } from '../src/chat/command.js';
import { isGroup } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { message, note, text } from '../src/chat/reply.js';
import { usageHint } from '../src/chat/parse.js';

/** Set by commands/index.ts once every command is loaded (help lists the others). */
let registry: Command[] = [];
export function setHelpRegistry(commands: Command[]): void {
  registry = commands;
}

function detail(c: Command): string {
  const lines = [`**/${c.name}** — ${c.description}${c.adminOnly ? ' *(admins)*' : ''}`];
  if (c.subcommands) {
    for (const s of c.subcommands) {
      if (isGroup(s)) {
        for (const leaf of s.subcommands) {
          lines.push(`• ${usageHint(`/${c.name} ${s.name} ${leaf.name}`, leaf.options ?? []).replace('Usage: ', '')} — ${leaf.description}`);
        }
      } else lines.push(`• ${usageHint(`/${c.name} ${s.name}`, s.options ?? []).replace('Usage: ', '')} — ${s.description}`);
    }
  } else lines.push(`• ${usageHint(`/${c.name}`, c.options ?? []).replace('Usage: ', '')}`);
  if (c.examples?.length) lines.push(`Examples:\n${c.examples.map((e) => `\`${e.split('\n')[0]}\``).join('\n')}`);
  return lines.join('\n');
}

export default {
  name: 'help',
  description: 'What the bot can do, or how to use one command',
  options: [{ name: 'command', description: 'A command name, e.g. quiz', type: 'string' }],
  async handle(call, ctx) {
    const name = call.options.command === undefined ? undefined : String(call.options.command).replace(/^\//, '').toLowerCase();
    if (name) {
      const c = registry.find((x) => x.name === name);
      if (!c) throw new UserError(`There is no /${name} command.`, `Commands: ${registry.map((x) => `/${x.name}`).join(' ')}`);
      return message([text(detail(c))], { title: `/${c.name}`, private: true });
    }
    const list = registry.map((c) => `**/${c.name}** — ${c.description}${c.adminOnly ? ' *(admins)*' : ''}`).join('\n');
    const tip =
      ctx.platform === 'terminal'
        ? 'Buttons appear as numbered choices: type the number to pick one. Paste code between ``` lines. Type /quit to leave.'
        : 'Start with /lesson, then /quiz and /flashcards review every day to build your streak.';
    return message([text(list), note(`${tip} · /help <command> for details`)], { title: 'studybot — learn advanced Python together', private: true });
  },
} satisfies Command;

import { parseArgs } from 'node:util';
import { DiscordAPIError, REST, Routes, type APIApplication } from 'discord.js';
import type { Command } from '../../chat/command.js';
import { validateCommand } from '../../chat/command.js';
import type { Config } from '../../config.js';
import { applicationCommands } from './registration.js';

interface Output {
  write(s: string): unknown;
}

const USAGE = `Usage: studybot discord:deploy [--print]

Registers the slash commands and the "Run Python" message menu with Discord, replacing whatever
the application had registered before:
  - in the server DISCORD_GUILD_ID when it is set (available at once),
  - globally otherwise (every server the bot is in).
Needs DISCORD_TOKEN (and DISCORD_APP_ID, or it is looked up with the token).

  --print   print the JSON that would be sent and touch nothing (no token needed)
`;

/**
 * `studybot discord:deploy`: one bulk overwrite of the application's commands. Run it when the
 * commands change, not on every start: Discord allows 200 command creations a day per server.
 * Returns the exit code.
 */
export async function deployCommands(
  config: Config,
  argv: string[],
  commands: readonly Command<unknown>[],
  io: { stdout: Output; stderr: Output } = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let print: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { print: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    print = values.print;
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const problems = commands.flatMap(validateCommand);
  if (problems.length) {
    io.stderr.write(`The command definitions are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  const body = applicationCommands(commands);
  const discord = config.discord;
  const where = discord?.guildId ? `to the server ${discord.guildId}` : 'globally';

  if (print) {
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    io.stderr.write(`(${body.length} commands; nothing was sent. Without --print they would be registered ${where}.)\n`);
    return 0;
  }
  if (!discord) {
    io.stderr.write('DISCORD_TOKEN is not set: it is needed to register commands (use --print to see them without one).\n');
    return 1;
  }

  const rest = new REST({ version: '10', ...(discord.apiUrl && { api: discord.apiUrl }) }).setToken(discord.token);
  try {
    const appId = discord.appId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
    const route = discord.guildId ? Routes.applicationGuildCommands(appId, discord.guildId) : Routes.applicationCommands(appId);
    const saved = (await rest.put(route, { body })) as unknown[];
    io.stdout.write(
      `Registered ${saved.length} commands ${where}.` +
        (discord.guildId ? ' They are available now.\n' : ' Global commands can take a few minutes to appear in every server.\n'),
    );
    return 0;
  } catch (err) {
    const detail = err instanceof DiscordAPIError ? `${err.message} (HTTP ${err.status}, code ${err.code})` : (err as Error).message;
    io.stderr.write(`Registering the commands failed: ${detail}\n`);
    return 1;
  }
}

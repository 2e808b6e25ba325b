import { DateTime } from 'luxon';
import type { Command } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { privateMessage, text, note } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { allTimeZones } from '../src/chat/autocomplete.js';
import { normalizeTimeZone } from '../src/learning/time.js';
import { getUser, setUserTimeZone } from '../src/learning/users.js';

/** A valid zone, or a UserError naming the bad one and suggesting close matches. */
export function zoneOrFail(input: string): string {
  const zone = normalizeTimeZone(input);
  if (zone) return zone;
  const q = input.trim().toLowerCase().replace(/\s+/g, '_');
  const close = allTimeZones()
    .filter((z) => q.length >= 3 && z.toLowerCase().includes(q.split('/').pop()!))
    .slice(0, 5);
  throw new UserError(
    `"${input}" is not a time zone I know.${close.length ? ` Did you mean ${close.join(', ')}?` : ''}`,
    'Use an IANA name such as Europe/Rome, America/New_York or Asia/Kolkata (or UTC).',
  );
}

export default {
  name: 'settings',
  description: 'Your personal settings, such as your time zone',
  examples: ['/settings timezone Europe/Rome', '/settings show'],
  defaultSubcommand: 'show',
  private: true,
  subcommands: [
    {
      name: 'timezone',
      description: 'Set the time zone your streak days are counted in',
      options: [
        {
          name: 'zone',
          description: 'An IANA zone such as Europe/Rome, or "default" for the workspace zone',
          type: 'string',
          required: true,
          autocomplete: 'timezones',
        },
      ],
      async handle(call, ctx, services) {
        const { ws, now, workspaceZone } = scope(ctx, services);
        const input = String(call.options.zone);
        if (/^(default|reset|none)$/i.test(input.trim())) {
          setUserTimeZone(services.db, ws, ctx.userId, null);
          return privateMessage([text(`Your days now follow the workspace's time zone, **${workspaceZone}**.`)]);
        }
        const zone = zoneOrFail(input);
        setUserTimeZone(services.db, ws, ctx.userId, zone);
        const local = DateTime.fromMillis(now, { zone }).toFormat('HH:mm, ccc d LLL');
        return privateMessage([
          text(`Your time zone is now **${zone}** (it is ${local} there).`),
          note('Your streak days are counted in it from now on.'),
        ]);
      },
    },
    {
      name: 'show',
      description: 'Show your settings',
      async handle(_call, ctx, services) {
        const { ws, zone, workspaceZone } = scope(ctx, services);
        const own = getUser(services.db, ws, ctx.userId)?.timezone;
        return privateMessage(
          [
            text(
              `**Time zone:** ${zone}${own ? '' : ` (the workspace's; set your own with \`/settings timezone <zone>\`)`}\n` +
                `**Workspace time zone:** ${workspaceZone}\n**New flashcards per day:** ${services.config.newCardsPerDay}`,
            ),
          ],
          { title: 'Your settings' },
        );
      },
    },
  ],
} satisfies Command;

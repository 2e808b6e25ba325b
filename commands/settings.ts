import { DateTime } from 'luxon';
import { note, privateMessage, text } from '../src/chat/reply.js';
import { rezoneStreak } from '../src/learning/streaks.js';
import { getUser, setUserTimeZone } from '../src/learning/users.js';
import { command, sub } from './kit.js';
import { requireZone } from './lookups.js';

export default command({
  name: 'settings',
  description: 'Your personal settings, such as your time zone',
  examples: ['/settings timezone Europe/Rome', '/settings show'],
  defaultSubcommand: 'show',
  private: true,
  subcommands: [
    sub({
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
      async handle({ options, ctx, scope, services }) {
        if (/^(default|reset|none)$/i.test(options.zone.trim())) {
          setUserTimeZone(services.db, scope.ws, ctx.userId, null);
          rezoneStreak(services.db, scope.ws, ctx.userId, scope.workspaceZone, scope.now);
          return privateMessage([text(`Your days now follow the workspace's time zone, **${scope.workspaceZone}**.`)]);
        }
        const zone = requireZone(options.zone);
        setUserTimeZone(services.db, scope.ws, ctx.userId, zone);
        rezoneStreak(services.db, scope.ws, ctx.userId, zone, scope.now);
        const local = DateTime.fromMillis(scope.now, { zone }).toFormat('HH:mm, ccc d LLL');
        return privateMessage([
          text(`Your time zone is now **${zone}** (it is ${local} there).`),
          note('Your streak days are counted in it from now on.'),
        ]);
      },
    }),
    sub({
      name: 'show',
      description: 'Show your settings',
      async handle({ ctx, scope, services }) {
        const own = getUser(services.db, scope.ws, ctx.userId)?.timezone;
        return privateMessage(
          [
            text(
              `**Time zone:** ${scope.zone}${own ? '' : ` (the workspace's; set your own with \`/settings timezone <zone>\`)`}\n` +
                `**Workspace time zone:** ${scope.workspaceZone}\n**New flashcards per day:** ${services.config.newCardsPerDay}`,
            ),
          ],
          { title: 'Your settings' },
        );
      },
    }),
  ],
});

import { DateTime } from 'luxon';
import { note, privateMessage, text } from '../src/chat/reply.js';
import { rezoneStreak } from '../src/learning/streaks.js';
import { REVIEW_SIZE, reviewSize, setReviewSize } from '../src/learning/review.js';
import { getUser, setUserTimeZone } from '../src/learning/users.js';
import { command, sub } from './kit.js';
import { requireZone } from './lookups.js';

export default command({
  name: 'settings',
  description: 'Your personal settings: time zone, size of your daily review',
  examples: ['/settings timezone Europe/Rome', '/settings review 20', '/settings show'],
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
      name: 'review',
      description: 'How many items your daily /review holds',
      options: [
        {
          name: 'size',
          description: `Items per review (${REVIEW_SIZE.min}-${REVIEW_SIZE.max}, default ${REVIEW_SIZE.default})`,
          type: 'integer',
          required: true,
          min: REVIEW_SIZE.min,
          max: REVIEW_SIZE.max,
        },
      ],
      async handle({ options, ctx, scope, services }) {
        setReviewSize(services.db, scope.ws, ctx.userId, options.size);
        return privateMessage([
          text(`Your daily \`/review\` now holds up to **${options.size}** items.`),
          note('Due cards come first, then questions from shaky lessons, then a challenge to try again.'),
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
                `**Workspace time zone:** ${scope.workspaceZone}\n**New flashcards per day:** ${services.config.newCardsPerDay}\n` +
                `**Review size:** ${reviewSize(services.db, scope.ws, ctx.userId)} items (change with \`/settings review <size>\`)`,
            ),
          ],
          { title: 'Your settings' },
        );
      },
    }),
  ],
});

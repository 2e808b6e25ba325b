import { echo } from '../src/chat/user-text.js';
import { DateTime } from 'luxon';
import { UserError } from '../src/chat/errors.js';
import { message, note, privateMessage, text } from '../src/chat/reply.js';
import { rebuildBoards } from '../src/learning/boards.js';
import { deckTrackOf } from '../src/learning/decks.js';
import { milestonesOn, setMilestones, setWorkspaceTimeZone } from '../src/learning/users.js';
import { parseTime } from '../src/schedule/daily.js';
import { importForm, importSub } from './deck-import.js';
import { command, group, sub } from './kit.js';
import { requireTrack, requireZone, trackName } from './lookups.js';

const mention = (platform: string, channelId: string) => (platform === 'terminal' ? `#${channelId}` : `<#${channelId}>`);
const AFTER = { next: ', then the next track', restart: ', then the same track again', stop: ', then stop' } as const;

/** The channel an option names, or the one the command was typed in. */
const channelOf = (options: { channel?: string | undefined }, ctx: { channelId: string }) => options.channel ?? ctx.channelId;

export default command({
  name: 'config',
  description: "Admin: the daily lesson post, the time zone, streak milestones, the group's own deck",
  examples: [
    '/config daily time:09:00 timezone:Europe/Rome',
    '/config daily off',
    '/config daily show',
    '/config timezone Europe/Rome',
    '/config milestones off',
    '/config import file:deck.yaml name:"Our deck"',
    '/config import remove',
  ],
  adminOnly: true,
  components: [importForm],
  subcommands: [
    group({
      name: 'daily',
      description: 'Daily lesson posts',
      defaultSubcommand: 'set',
      subcommands: [
        sub({
          name: 'set',
          description: "Post the channel's next lesson and a question every day at a time",
          options: [
            { name: 'time', description: 'Local time, 24h, e.g. 09:00 (or 9:30am)', type: 'string', required: true },
            { name: 'timezone', description: "IANA zone, e.g. Europe/Rome (default: the workspace's)", type: 'string', autocomplete: 'timezones' },
            { name: 'channel', description: 'Channel to post in (default: this one)', type: 'channel' },
            { name: 'track', description: 'Walk this track in order (default: the whole course)', type: 'string', autocomplete: 'tracks' },
            {
              name: 'after',
              description: 'When the track is done: go on to the next track (default), start it again, or stop',
              type: 'string',
              choices: [
                { name: 'Next track', value: 'next' },
                { name: 'Start the track again', value: 'restart' },
                { name: 'Stop posting', value: 'stop' },
              ],
            },
          ],
          async handle({ options, ctx, scope, services }) {
            const { ws, workspaceZone } = scope;
            const rawTime = options.time;
            const time = parseTime(rawTime);
            if (!time) throw new UserError(`"${echo(rawTime)}" is not a time I understand.`, 'Use 24-hour HH:MM such as 09:00 or 18:30 (or 9:30am).');
            const timezone = options.timezone === undefined ? workspaceZone : requireZone(options.timezone);
            const channelId = channelOf(options, ctx);
            const track = requireTrack(services.content, options.track);
            const existed = services.daily.list(ws).some((c) => c.channelId === channelId);
            const isDeck = track !== undefined && track === deckTrackOf(services.content)?.id;
            await services.daily.configure({ ws, channelId, time, timezone, track, afterTrack: options.after, createdBy: ctx.userId });
            const next = await services.daily.nextRun(ws, channelId);
            const nextText = next ? DateTime.fromMillis(next, { zone: timezone }).toFormat("ccc d LLL 'at' HH:mm ZZZZ") : 'soon';
            return message([
              text(
                `📅 Daily lesson ${existed ? 'updated' : 'set up'}: every day at **${time} ${timezone}** in ${mention(ctx.platform, channelId)}` +
                  `${
                    isDeck
                      ? `, asking a question of *${trackName(services.content, track)}*, this group's own deck`
                      : track
                        ? `, walking the *${trackName(services.content, track)}* track${AFTER[options.after ?? 'next']}`
                        : ''
                  }.`,
              ),
              // A deck is not walked lesson by lesson: it never ends, so what follows its end means nothing.
              ...(isDeck && options.after !== undefined
                ? [note(`after:${options.after} is for the course's tracks, which end: a deck's questions come round again, new ones first.`)]
                : []),
              note(`Next post: ${nextText}. Change it by running this again; stop it with /config daily off.`),
            ]);
          },
        }),
        sub({
          name: 'off',
          description: 'Stop the daily lesson post',
          options: [{ name: 'channel', description: 'Channel (default: this one)', type: 'channel' }],
          async handle({ options, ctx, scope, services }) {
            const { ws } = scope;
            const channelId = channelOf(options, ctx);
            const removed = await services.daily.remove(ws, channelId);
            return message([
              text(
                removed
                  ? `Daily lessons in ${mention(ctx.platform, channelId)} are off.`
                  : `There was no daily lesson set up in ${mention(ctx.platform, channelId)}.`,
              ),
            ]);
          },
        }),
        sub({
          name: 'show',
          description: 'List the daily posts of this workspace',
          async handle({ ctx, scope, services }) {
            const { ws } = scope;
            const rows = services.daily.list(ws);
            if (!rows.length) return privateMessage([text('No daily lessons are set up. Start one with `/config daily time:09:00`.')]);
            const lines = await Promise.all(
              rows.map(async (r) => {
                const next = await services.daily.nextRun(ws, r.channelId);
                const when = next ? `next ${DateTime.fromMillis(next, { zone: r.timezone }).toFormat('ccc d LLL HH:mm')}` : 'finished: no more posts';
                const last = r.lastPostAt
                  ? ` · last posted ${DateTime.fromMillis(r.lastPostAt, { zone: r.timezone }).toFormat('ccc d LLL HH:mm')}`
                  : '';
                const problem = r.lastError ? `\n  ⚠️ ${r.lastError}` : '';
                return `• ${mention(ctx.platform, r.channelId)} at **${r.time} ${r.timezone}**${r.track ? ` (track ${r.track}${AFTER[r.afterTrack]})` : ''} — ${when}${last}${problem}`;
              }),
            );
            return privateMessage([text(lines.join('\n'))], { title: 'Daily lessons' });
          },
        }),
        sub({
          name: 'now',
          description: "Post the channel's next daily lesson right away",
          options: [{ name: 'channel', description: 'Channel (default: this one)', type: 'channel' }],
          async handle({ options, ctx, scope, services }) {
            const { ws } = scope;
            const channelId = channelOf(options, ctx);
            if (!services.daily.list(ws).some((c) => c.channelId === channelId)) {
              throw new UserError(
                `There is no daily lesson set up in ${mention(ctx.platform, channelId)}.`,
                'Set one up first with `/config daily time:09:00`.',
              );
            }
            if (services.daily.get(ws, channelId)?.finishedAt) {
              throw new UserError(
                `The daily feed in ${mention(ctx.platform, channelId)} has finished its track.`,
                'Start it again with `/config daily time:…`.',
              );
            }
            await services.daily.post(ws, channelId);
            return privateMessage([text(`Posted the next lesson in ${mention(ctx.platform, channelId)}.`)]);
          },
        }),
      ],
    }),
    sub({
      name: 'timezone',
      description: "Set the workspace's time zone (weekly leaderboard reset, default for members)",
      options: [{ name: 'zone', description: 'IANA zone, e.g. Europe/Rome', type: 'string', required: true, autocomplete: 'timezones' }],
      async handle({ options, scope, services }) {
        const { ws, now } = scope;
        const zone = requireZone(options.zone);
        setWorkspaceTimeZone(services.db, ws, zone, now);
        // This week now began at another instant: the weekly board is worked out again from the points.
        rebuildBoards(services.db, ws, { now, defaultZone: services.config.defaultTimeZone });
        return message([
          text(`The workspace's time zone is now **${zone}**.`),
          note('The weekly leaderboard resets on Monday at 00:00 there; members without their own zone count their days in it.'),
        ]);
      },
    }),
    sub({
      name: 'milestones',
      description: 'Announce streak milestones (7, 30, 100, 365 days) in the channel, or not',
      options: [
        {
          name: 'announce',
          description: 'on or off',
          type: 'string',
          required: true,
          choices: [
            { name: 'On', value: 'on' },
            { name: 'Off', value: 'off' },
          ],
        },
      ],
      async handle({ options, scope, services }) {
        const on = options.announce === 'on';
        const was = milestonesOn(services.db, scope.ws);
        setMilestones(services.db, scope.ws, on, scope.now);
        const change = was === on ? 'already ' : '';
        return message([
          text(
            on
              ? `Streak milestones are ${change}announced: when a learner reaches 7, 30, 100 or 365 days, the channel they studied in hears about it.`
              : `Streak milestones are ${change}off: reaching 7, 30, 100 or 365 days is told to the learner alone.`,
          ),
        ]);
      },
    }),
    importSub,
  ],
});

import { and, eq } from 'drizzle-orm';
import type { Command } from '../src/chat/command.js';
import { UserError } from '../src/chat/errors.js';
import { message, note, text } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { points } from '../src/db/schema.js';
import { renderChallenge } from '../src/learning/render.js';
import type { Services } from '../src/services.js';

export function solvedChallenges(services: Services, ws: string, userId: string): Set<string> {
  return new Set(
    services.db
      .select({ ref: points.ref })
      .from(points)
      .where(and(eq(points.workspace, ws), eq(points.userId, userId), eq(points.reason, 'challenge')))
      .all()
      .map((r) => r.ref),
  );
}

function showChallenge(services: Services, id: string) {
  const ch = services.content.challengeById.get(id.trim().toLowerCase());
  if (!ch) throw new UserError(`There is no challenge "${id}".`, 'See `/challenges list` for them all.');
  return { kind: 'message' as const, message: renderChallenge(ch, services.content) };
}

export default {
  name: 'challenges',
  description: 'Browse the graded coding challenges',
  examples: ['/challenges', '/challenges list asyncio', '/challenges show recursive-factorial'],
  defaultSubcommand: 'list',
  subcommands: [
    {
      name: 'list',
      description: 'List challenges, optionally of one track',
      options: [{ name: 'track', description: 'Track id, e.g. asyncio', type: 'string', autocomplete: 'tracks' }],
      async handle(call, ctx, services) {
        const { ws } = scope(ctx, services);
        const { content } = services;
        const track = call.options.track === undefined ? undefined : String(call.options.track).toLowerCase();
        if (track && !content.trackById.has(track)) {
          throw new UserError(`There is no track "${track}".`, `Tracks: ${content.tracks.map((t) => t.id).join(', ')}`);
        }
        const solved = solvedChallenges(services, ws, ctx.userId);
        const all = [...content.challengeById.values()]
          .filter((c) => !track || c.track === track)
          .sort((a, b) => content.trackById.get(a.track)!.index - content.trackById.get(b.track)!.index || a.points - b.points);
        const lines = all.map((c) => `${solved.has(c.id) ? '✅' : '▫️'} **${c.title}** — \`${c.id}\` · ${c.difficulty}, ${c.points} pts`);
        return message(
          [
            text(lines.join('\n') || 'No challenges here yet.'),
            ...(all.length
              ? [
                  {
                    kind: 'select' as const,
                    id: 'challenges:open',
                    placeholder: 'Open a challenge…',
                    options: all.slice(0, 25).map((c) => ({ label: c.title.slice(0, 100), value: c.id, description: `${c.difficulty} · ${c.points} points` })),
                  },
                ]
              : []),
            note(`${solved.size} solved · open one with /challenges show <id>, solve it with /submit <id>`),
          ],
          { title: track ? `Challenges — ${content.trackById.get(track)!.title}` : 'Challenges' },
        );
      },
    },
    {
      name: 'show',
      description: "A challenge's statement and starter code",
      options: [{ name: 'id', description: 'Challenge id', type: 'string', required: true, autocomplete: 'challenges' }],
      async handle(call, _ctx, services) {
        return showChallenge(services, String(call.options.id));
      },
    },
  ],
  components: {
    async open(call, _ctx, services) {
      return showChallenge(services, call.values?.[0] ?? '');
    },
  },
} satisfies Command;

import { componentId } from '../src/chat/component-id.js';
import type { Message } from '../src/chat/reply.js';
import { code, message, note, text } from '../src/chat/reply.js';
import type { Challenge, Content } from '../src/content/types.js';
import { unwrapParagraphs } from '../src/text/paragraphs.js';
import { solvedChallenges } from '../src/learning/progress.js';
import { command, on, sub } from './kit.js';
import { requireChallenge, requireTrack, trackName } from './lookups.js';

/** challenges:open:1 — the "Open a challenge…" select; the challenge is the chosen value. */
const openId = componentId('challenges', 'open');

export function renderChallenge(ch: Challenge, content: Content): Message {
  const visible = ch.cases.filter((c) => !c.hidden);
  const hidden = ch.cases.length - visible.length;
  const track = trackName(content, ch.track);
  return {
    title: `Challenge: ${ch.title}`,
    blocks: [
      text(unwrapParagraphs(ch.statement.trim())),
      code(ch.starter.replace(/\n+$/, ''), 'python', 'Starter code'),
      note(
        `${track} · ${ch.difficulty} · ${ch.points} points · ${visible.length} visible + ${hidden} hidden tests · ` +
          `submit with \`/submit ${ch.id}\` and your code in a code block`,
      ),
    ],
  };
}

export default command({
  name: 'challenges',
  description: 'Browse the graded coding challenges',
  examples: ['/challenges', '/challenges list asyncio', '/challenges show recursive-factorial'],
  defaultSubcommand: 'list',
  subcommands: [
    sub({
      name: 'list',
      description: 'List challenges, optionally of one track',
      options: [{ name: 'track', description: 'Track id, e.g. asyncio', type: 'string', autocomplete: 'tracks' }],
      async handle({ options, ctx, scope, services }) {
        const { content } = services;
        const track = requireTrack(content, options.track);
        const solved = solvedChallenges(services.db, scope.ws, ctx.userId);
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
                    id: openId.encode({}),
                    placeholder: 'Open a challenge…',
                    options: all
                      .slice(0, 25)
                      .map((c) => ({ label: c.title.slice(0, 100), value: c.id, description: `${c.difficulty} · ${c.points} points` })),
                  },
                ]
              : []),
            note(
              `${[...solved].filter((id) => content.challengeById.has(id)).length} solved · open one with /challenges show <id>, solve it with /submit <id>`,
            ),
          ],
          { title: track ? `Challenges — ${content.trackById.get(track)!.title}` : 'Challenges' },
        );
      },
    }),
    sub({
      name: 'show',
      description: "A challenge's statement and starter code",
      options: [{ name: 'id', description: 'Challenge id', type: 'string', required: true, autocomplete: 'challenges' }],
      async handle({ options, services }) {
        return { kind: 'message', message: renderChallenge(requireChallenge(services.content, options.id), services.content) };
      },
    }),
  ],
  components: [
    on(openId, async ({ selected, services }) => ({
      kind: 'message',
      message: renderChallenge(requireChallenge(services.content, selected[0] ?? ''), services.content),
    })),
  ],
});

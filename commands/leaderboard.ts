import { userText } from '../src/chat/user-text.js';
import { DateTime } from 'luxon';
import { componentId } from '../src/chat/component-id.js';
import type { Block, Message } from '../src/chat/reply.js';
import { note, text } from '../src/chat/reply.js';
import { leaderboard, type Board, type LeaderboardView } from '../src/learning/leaderboard.js';
import type { Scope } from '../src/chat/context.js';
import type { Services } from '../src/services.js';
import { command, on } from './kit.js';
import { MEDALS } from './views/format.js';

const BOARDS = [
  { name: 'This week', value: 'week' },
  { name: 'All time', value: 'all' },
  { name: 'Streaks', value: 'streaks' },
] as const satisfies readonly { name: string; value: Board }[];

const TITLES: Record<Board, string> = { week: 'Leaderboard — this week', all: 'Leaderboard — all time', streaks: 'Leaderboard — streaks' };

/** leaderboard:show:1:<board> — a button that shows a board (the Slack Home tab). */
export const showId = componentId('leaderboard', 'show', { board: 'str' });

export function renderLeaderboard(view: LeaderboardView, title: string, unit: string): Message {
  const line = (s: { rank: number; name: string; score: number }) =>
    `${MEDALS[s.rank - 1] ?? `**${s.rank}.**`} ${userText(s.name)} — ${s.score} ${unit}`;
  const blocks: Block[] = [];
  if (view.top.length === 0) blocks.push(text('Nobody is on this board yet. Answer a `/quiz` to be the first!'));
  else blocks.push(text(view.top.map(line).join('\n')));
  if (view.me && !view.top.some((s) => s.userId === view.me!.userId)) blocks.push(text(`…\n${line(view.me)} (you)`));
  else if (!view.me) blocks.push(note('You are not on this board yet.'));
  return { title, blocks };
}

function boardMessage(services: Services, scope: Scope, userId: string, board: Board): Message {
  const { ws, now, workspaceZone } = scope;
  const view = leaderboard(services.db, ws, board, userId, { now, workspaceZone });
  const m = renderLeaderboard(view, TITLES[board], board === 'streaks' ? 'days' : 'points');
  if (view.since !== undefined) {
    const start = DateTime.fromMillis(view.since, { zone: workspaceZone }).toFormat('ccc d LLL HH:mm');
    m.blocks.push(note(`Since ${start} (${workspaceZone}); resets every Monday at 00:00.`));
  }
  return m;
}

export default command({
  name: 'leaderboard',
  description: 'Top learners this week, of all time, or by streak',
  examples: ['/leaderboard', '/leaderboard all', '/leaderboard streaks'],
  options: [{ name: 'board', description: 'Which board (default: this week)', type: 'string', choices: BOARDS }],
  async handle({ options, ctx, scope, services }) {
    return { kind: 'message', message: boardMessage(services, scope, ctx.userId, options.board ?? 'week') };
  },
  components: [
    on(showId, async ({ id, ctx, scope, services }) => {
      const board = BOARDS.find((b) => b.value === id.board)?.value ?? 'week';
      return { kind: 'message', message: boardMessage(services, scope, ctx.userId, board) };
    }),
  ],
});

import { DateTime } from 'luxon';
import type { Command } from '../src/chat/command.js';
import { note } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { leaderboard, type Board } from '../src/learning/leaderboard.js';
import { renderLeaderboard } from '../src/learning/render.js';

const TITLES: Record<Board, string> = { week: 'Leaderboard — this week', all: 'Leaderboard — all time', streaks: 'Leaderboard — streaks' };

export default {
  name: 'leaderboard',
  description: 'Top learners this week, of all time, or by streak',
  examples: ['/leaderboard', '/leaderboard all', '/leaderboard streaks'],
  options: [
    {
      name: 'board',
      description: 'Which board (default: this week)',
      type: 'string',
      choices: [
        { name: 'This week', value: 'week' },
        { name: 'All time', value: 'all' },
        { name: 'Streaks', value: 'streaks' },
      ],
    },
  ],
  async handle(call, ctx, services) {
    const { ws, now, workspaceZone } = scope(ctx, services);
    const board = (call.options.board as Board | undefined) ?? 'week';
    const view = leaderboard(services.db, ws, board, ctx.userId, {
      now,
      workspaceZone,
      zoneOf: (u) => u.timezone ?? workspaceZone,
    });
    const m = renderLeaderboard(view, TITLES[board], board === 'streaks' ? 'days' : 'points');
    if (view.since !== undefined) {
      const start = DateTime.fromMillis(view.since, { zone: workspaceZone }).toFormat("ccc d LLL HH:mm");
      m.blocks.push(note(`Since ${start} (${workspaceZone}); resets every Monday at 00:00.`));
    }
    return { kind: 'message', message: m };
  },
} satisfies Command;

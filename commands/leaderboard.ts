import { userText } from '../src/chat/user-text.js';
import { DateTime } from 'luxon';
import { componentId } from '../src/chat/component-id.js';
import type { Block, Message } from '../src/chat/reply.js';
import { note, text } from '../src/chat/reply.js';
import { leaderboard, type Board, type LeaderboardView } from '../src/learning/leaderboard.js';
import { hasPinnedBoards, markShown, pinBoard, pinnedBoardsOf, unpinBoard } from '../src/learning/pinned-boards.js';
import { workspaceTimeZone } from '../src/learning/users.js';
import { masteryBoard, type MasteryStanding } from '../src/learning/mastery.js';
import { UserError } from '../src/chat/errors.js';
import type { Services } from '../src/services.js';
import { withinEditBudget } from './edits.js';
import { command, on } from './kit.js';
import { MEDALS } from './views/format.js';

const BOARDS = [
  { name: 'This week', value: 'week' },
  { name: 'All time', value: 'all' },
  { name: 'Streaks', value: 'streaks' },
  { name: 'Mastery', value: 'mastery' },
  { name: 'Most improved', value: 'improved' },
] as const satisfies readonly { name: string; value: Board | KnowledgeBoard }[];

/** Boards of knowledge rather than activity (src/learning/mastery.ts). */
type KnowledgeBoard = 'mastery' | 'improved';
const isKnowledge = (b: string): b is KnowledgeBoard => b === 'mastery' || b === 'improved';

/** The mastery board or the most improved one, for one learner. */
function knowledgeMessage(
  services: Services,
  at: { ws: string; now: number; workspaceZone: string },
  userId: string,
  board: KnowledgeBoard,
): Message {
  const improved = board === 'improved';
  const view = masteryBoard(services.db, services.content, { ...at, callerId: userId, improved });
  const fmt = (n: number) => `${improved ? '+' : ''}${n.toFixed(1)}`;
  const line = (s: MasteryStanding) => `${MEDALS[s.rank - 1] ?? `**${s.rank}.**`} ${userText(s.name)} — ${fmt(s.score)} lessons`;
  const blocks: Block[] = [
    text(
      view.top.length
        ? view.top.map(line).join('\n')
        : improved
          ? 'Nobody has moved up yet this week: `/review` is a good start.'
          : 'Nobody is on this board yet.',
    ),
  ];
  if (view.me && !view.top.some((s) => s.userId === view.me!.userId)) blocks.push(text(`…\n${line(view.me)} (you)`));
  else if (!view.me) blocks.push(note('You are not on this board yet.'));
  blocks.push(
    note(
      improved
        ? 'How much each learner’s mastery grew since Monday 00:00: lessons’ worth of knowledge gained, not points.'
        : 'Knowledge retained: the sum of each learner’s lesson mastery (what they would recall of the cards now, recent quiz answers, challenges), in lessons’ worth. Activity alone does not raise it.',
    ),
  );
  return { title: improved ? 'Most improved — this week' : 'Leaderboard — mastery', blocks };
}

const TITLES: Record<Board, string> = { week: 'Leaderboard — this week', all: 'Leaderboard — all time', streaks: 'Leaderboard — streaks' };

/** leaderboard:show:1:<board> — a button that shows a board (the Slack Home tab). */
export const showId = componentId('leaderboard', 'show', { board: 'str' });

/** A board, for one learner (their own line even outside the top) or, pinned, for the whole channel. */
export function renderLeaderboard(view: LeaderboardView, title: string, unit: string, opts: { shared?: boolean } = {}): Message {
  const line = (s: { rank: number; name: string; score: number }) =>
    `${MEDALS[s.rank - 1] ?? `**${s.rank}.**`} ${userText(s.name)} — ${s.score} ${unit}`;
  const blocks: Block[] = [];
  if (view.top.length === 0) blocks.push(text('Nobody is on this board yet. Answer a `/quiz` to be the first!'));
  else blocks.push(text(view.top.map(line).join('\n')));
  if (opts.shared) return { title, blocks };
  if (view.me && !view.top.some((s) => s.userId === view.me!.userId)) blocks.push(text(`…\n${line(view.me)} (you)`));
  else if (!view.me) blocks.push(note('You are not on this board yet.'));
  return { title, blocks };
}

function boardMessage(
  services: Services,
  at: { ws: string; now: number; workspaceZone: string; channelId?: string },
  userId: string | undefined,
  board: Board,
): Message {
  const { ws, now, workspaceZone } = at;
  const view = leaderboard(services.db, ws, board, userId ?? '', { now, workspaceZone });
  const m = renderLeaderboard(view, TITLES[board], board === 'streaks' ? 'days' : 'points', { shared: userId === undefined });
  const notes: string[] = [];
  if (view.since !== undefined) {
    const start = DateTime.fromMillis(view.since, { zone: workspaceZone }).toFormat('ccc d LLL HH:mm');
    notes.push(`Since ${start} (${workspaceZone}); resets every Monday at 00:00.`);
  }
  if (userId === undefined) {
    notes.push(`📌 Kept up to date · last change ${DateTime.fromMillis(now, { zone: workspaceZone }).toFormat('ccc HH:mm')}`);
    m.live = pinnedKey(ws, at.channelId ?? '', board);
  }
  if (notes.length) m.blocks.push(note(notes.join(' ')));
  return m;
}

/** The live key of a pinned board message. */
const pinnedKey = (ws: string, channelId: string, board: Board) => `board:${ws}:${channelId}:${board}`;

/** How long points wait before pinned boards are edited: a busy hour becomes a few edits. */
export const BOARD_REFRESH_MS = 10_000;

/** What a pinned board shows, to tell whether it needs an edit. */
const standingsShown = (view: LeaderboardView) => JSON.stringify([view.since ?? 0, view.top.map((s) => [s.userId, s.name, s.score])]);

/** Points changed in a workspace: its pinned boards are refreshed once the burst is over. */
export async function boardsChanged(services: Services, ws: string): Promise<void> {
  if (hasPinnedBoards(services.db, ws)) await services.timers.throttle('board-refresh', ws, BOARD_REFRESH_MS, { ws });
}

/** Edits every pinned board of a workspace whose standings changed since its last edit. */
export async function refreshPinnedBoards(services: Services, ws: string): Promise<void> {
  const { db, clock, config } = services;
  const now = clock.now();
  const workspaceZone = workspaceTimeZone(db, ws, config.defaultTimeZone);
  for (const pin of pinnedBoardsOf(db, ws)) {
    const shown = standingsShown(leaderboard(db, ws, pin.board, '', { now, workspaceZone }));
    if (shown === pin.shown) continue;
    if (!(await withinEditBudget(services, { ws, channelId: pin.channelId }, { kind: 'board-refresh', key: ws }))) return;
    const edited = await services.outbox.editLive(
      pinnedKey(ws, pin.channelId, pin.board),
      boardMessage(services, { ws, now, workspaceZone, channelId: pin.channelId }, undefined, pin.board),
    );
    // A board whose message is gone (deleted, or its platform's record lost) is no longer pinned.
    if (!edited) unpinBoard(db, pin);
    else markShown(db, pin, shown);
  }
}

export default command({
  name: 'leaderboard',
  description: 'Top learners this week, of all time, by streak, by mastery, or most improved',
  examples: ['/leaderboard', '/leaderboard all', '/leaderboard mastery', '/leaderboard improved', '/leaderboard week pin:true'],
  about:
    'The weekly board starts again every Monday at 00:00 in the workspace’s time zone; the streak board ranks streaks still alive. ' +
    'The mastery board ranks knowledge retained (the sum of lesson mastery), not activity; most improved ranks how much it grew this week. ' +
    'With **pin**, the board is posted for the whole channel and then kept up to date as points change (edited at most every few seconds), ' +
    'instead of a new message each time; pinning the same board again in the channel moves it down.',
  options: [
    { name: 'board', description: 'Which board (default: this week)', type: 'string', choices: BOARDS },
    { name: 'pin', description: 'Post it for the channel and keep it up to date as points change', type: 'boolean' },
  ],
  async handle({ options, ctx, scope, services }) {
    const board = options.board ?? 'week';
    if (isKnowledge(board)) {
      if (options.pin) throw new UserError('Only the points and streak boards can be pinned.', 'Try `/leaderboard week pin:true`.');
      return { kind: 'message', message: knowledgeMessage(services, scope, ctx.userId, board) };
    }
    if (!options.pin) return { kind: 'message', message: boardMessage(services, scope, ctx.userId, board) };
    const { db } = services;
    const m = boardMessage(services, { ...scope, channelId: ctx.channelId }, undefined, board);
    const shown = standingsShown(leaderboard(db, scope.ws, board, '', scope));
    const replaced = pinBoard(db, { ws: scope.ws, channelId: ctx.channelId, board, pinnedBy: ctx.userId, now: scope.now, shown });
    if (replaced) {
      // One pinned board of a kind per channel: the older message says where it went, then stays still.
      await services.outbox
        .editLive(pinnedKey(scope.ws, ctx.channelId, board), {
          title: TITLES[board],
          blocks: [note('📌 This board moved: a newer copy further down the channel is kept up to date.')],
        })
        .catch((err) => services.logger.warn({ err }, 'could not retire an older pinned board'));
    }
    return { kind: 'message', message: m };
  },
  components: [
    on(showId, async ({ id, ctx, scope, services }) => {
      const board = BOARDS.find((b) => b.value === id.board)?.value ?? 'week';
      if (isKnowledge(board)) return { kind: 'message', message: knowledgeMessage(services, scope, ctx.userId, board) };
      return { kind: 'message', message: boardMessage(services, scope, ctx.userId, board) };
    }),
  ],
});

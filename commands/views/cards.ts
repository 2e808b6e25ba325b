import type { Picture, Reply } from '../../src/chat/reply.js';
import type { MasteryLabel, TrackMastery } from '../../src/learning/mastery.js';
import type { ProgressSummary } from '../../src/learning/progress.js';
import {
  BOARD_ROWS,
  boardCard,
  type BoardCardData,
  describeBoard,
  describeProfile,
  describeStreak,
  picture,
  profileCard,
  streakCard,
} from '../../src/pictures/index.js';
import type { Services } from '../../src/services.js';

/** Days the heatmaps show: twelve weeks. */
export const HEAT_DAYS = 84;

type Heat = { day: string; count: number; frozen: boolean }[];

/**
 * Adds a drawn card to a message, unless pictures are switched off (PICTURES=false). The card only
 * illustrates what the text says, so a card that fails to draw is logged and the text goes alone.
 */
export async function withPicture(services: Services, reply: Reply, draw: () => Promise<Picture>): Promise<Reply> {
  if (!services.config.pictures || reply.kind !== 'message') return reply;
  try {
    return { ...reply, message: { ...reply.message, image: await draw() } };
  } catch (err) {
    services.logger.warn({ err }, 'drawing a picture failed; the message goes without it');
    return reply;
  }
}

/**
 * The tracks as the card lists them: the ones the learner has started first, in course order, then
 * the rest. The card has room for five, and five untouched tracks would hide the one being studied.
 */
export function cardTracks(tracks: readonly TrackMastery[]): { title: string; mastery: number; label: MasteryLabel }[] {
  const started = (t: TrackMastery) => t.label !== 'new' || t.counts.mastered + t.counts.solid + t.counts.shaky > 0;
  return [...tracks.filter(started), ...tracks.filter((t) => !started(t))].map((t) => ({ title: t.title, mastery: t.score, label: t.label }));
}

export async function profilePicture(name: string, p: ProgressSummary, heat: Heat): Promise<Picture> {
  const data = {
    name,
    points: p.points,
    ...(p.weekRank !== undefined && { rank: p.weekRank }),
    streak: { current: p.streak.current, longest: p.streak.longest, freezes: p.streak.freezes },
    heatmap: heat.map(({ day, count }) => ({ day, count })),
    tracks: cardTracks(p.mastery.tracks),
  };
  return picture('progress', await profileCard(data), describeProfile(data));
}

export async function streakPicture(name: string, s: { current: number; longest: number; freezes: number }, heat: Heat): Promise<Picture> {
  const data = {
    name,
    streak: { current: s.current, longest: s.longest, freezes: s.freezes, frozenDays: heat.filter((d) => d.frozen).map((d) => d.day) },
    heatmap: heat.map(({ day, count }) => ({ day, count })),
  };
  return picture('streak', await streakCard(data), describeStreak(data));
}

/** A board as a card: the top rows and, when they are further down, the caller's own. */
export async function boardPicture(
  file: string,
  board: { title: string; subtitle?: string; unit: string },
  top: { rank: number; userId: string; name: string; score: number }[],
  me: { rank: number; userId: string; name: string; score: number } | undefined,
): Promise<Picture> {
  const rows: BoardCardData['rows'] = top.map((s) => ({ rank: s.rank, name: s.name, score: s.score, ...(me?.userId === s.userId && { me: true }) }));
  if (me && !top.some((s) => s.userId === me.userId)) {
    rows.splice(Math.min(rows.length, BOARD_ROWS - 1));
    rows.push({ rank: me.rank, name: me.name, score: me.score, me: true });
  }
  const data: BoardCardData = { ...board, rows };
  return picture(file, await boardCard(data), describeBoard(data));
}

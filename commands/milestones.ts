import { type ChatContext, workspaceKey } from '../src/chat/context.js';
import { text } from '../src/chat/reply.js';
import { userText } from '../src/chat/user-text.js';
import { MAX_FREEZES, type StreakUpdate } from '../src/learning/streaks.js';
import { milestonesOn } from '../src/learning/users.js';
import type { Services } from '../src/services.js';

const MILESTONE_WORDS: Record<number, string> = {
  7: 'a full week',
  30: 'a month',
  100: 'a hundred days',
  365: 'a whole year',
};

/**
 * What a learning action did to the learner's streak beyond the day counting: a freeze spent or
 * earned, a milestone reached. The milestone is announced in the channel the learner studied in
 * (unless an admin switched announcements off); the returned lines are for the learner's own reply.
 */
export async function celebrate(services: Services, ctx: ChatContext, streak: StreakUpdate | undefined): Promise<string[]> {
  if (!streak?.extended) return [];
  const lines: string[] = [];
  if (streak.frozenDays.length) {
    const n = streak.frozenDays.length;
    lines.push(`🧊 A streak freeze covered the ${n === 1 ? 'day' : `${n} days`} you missed, so your streak goes on (${streak.freezes} left).`);
  }
  if (streak.earnedFreeze) {
    lines.push(`🧊 ${streak.current} days in a row earn you a streak freeze: it covers a day you miss (${streak.freezes} of ${MAX_FREEZES} held).`);
  }
  const days = streak.milestone;
  if (days !== undefined) {
    if (milestonesOn(services.db, workspaceKey(ctx)) && services.outbox.has(ctx.platform)) {
      await services.outbox.deliver(
        { platform: ctx.platform, workspaceId: ctx.workspaceId, channelId: ctx.channelId },
        {
          title: 'Streak milestone',
          blocks: [
            text(`🏆 **${userText(ctx.userName)}** has studied ${days} days in a row: ${MILESTONE_WORDS[days] ?? `${days} days`} of learning!`),
          ],
        },
      );
    } else {
      lines.push(`🏆 ${days} days in a row: ${MILESTONE_WORDS[days] ?? `${days} days`} of learning!`);
    }
  }
  return lines;
}

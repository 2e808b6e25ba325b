import { plainName } from '../src/chat/user-text.js';
import { message, note, text } from '../src/chat/reply.js';
import { activityHeat, streakOf } from '../src/learning/progress.js';
import { FREEZE_EVERY, MAX_FREEZES } from '../src/learning/streaks.js';
import { command } from './kit.js';
import { HEAT_DAYS, streakPicture, withPicture } from './views/cards.js';

export default command({
  name: 'streak',
  description: 'Your current and longest study streak',
  async handle({ ctx, scope, services }) {
    const who = { ...scope, userId: ctx.userId };
    const s = streakOf(services.db, who);
    // One read of the history serves the picture's heatmap and the text's last two weeks.
    const heat = activityHeat(services.db, who, HEAT_DAYS);
    const strip = heat
      .slice(-14)
      .map((d) => (d.count ? '🟩' : d.frozen ? '🧊' : '⬜'))
      .join('');
    const frozen = strip.includes('🧊');
    const headline =
      s.current === 0
        ? 'No streak running. Answer a `/quiz`, review `/flashcards` or pass a challenge to start one today.'
        : `🔥 **${s.current} day${s.current === 1 ? '' : 's'}**${s.activeToday ? ' — today counts already.' : ' — study today to keep it going!'}`;
    const reply = message(
      [
        text(`${headline}\nLongest streak: **${s.longest} day${s.longest === 1 ? '' : 's'}**`),
        text(
          `🧊 Streak freezes: **${s.freezes} of ${MAX_FREEZES}**` +
            (s.freezes ? ` — ${s.freezes === 1 ? 'a missed day is' : 'up to two missed days are'} covered automatically.` : ''),
        ),
        text(`Last 14 days: ${strip}${frozen ? '\n🧊 marks a day a freeze covered.' : ''}`),
        note(
          `Days are counted in ${scope.zone} (change with /settings timezone). A day counts when you answer a question, review flashcards or pass a challenge. ` +
            `Every ${FREEZE_EVERY} days in a row earn a freeze (at most ${MAX_FREEZES} held).`,
        ),
      ],
      { title: `${plainName(ctx.userName)}'s streak` },
    );
    return withPicture(services, reply, () => streakPicture(ctx.userName, s, heat));
  },
});

import { and, eq, gte } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Command } from '../src/chat/command.js';
import { message, note, text } from '../src/chat/reply.js';
import { scope } from '../src/chat/scope.js';
import { activityDays } from '../src/db/schema.js';
import { streakAt } from '../src/learning/streaks.js';
import { localDay } from '../src/learning/time.js';
import { getUser } from '../src/learning/users.js';

export default {
  name: 'streak',
  description: 'Your current and longest study streak',
  async handle(_call, ctx, services) {
    const { ws, now, zone } = scope(ctx, services);
    const user = getUser(services.db, ws, ctx.userId)!;
    const s = streakAt(user, zone, now);
    const today = localDay(now, zone);
    const days = Array.from({ length: 14 }, (_, i) => DateTime.fromISO(today, { zone: 'UTC' }).minus({ days: 13 - i }).toISODate()!);
    const active = new Set(
      services.db
        .select({ day: activityDays.day })
        .from(activityDays)
        .where(and(eq(activityDays.workspace, ws), eq(activityDays.userId, ctx.userId), gte(activityDays.day, days[0]!)))
        .all()
        .map((r) => r.day),
    );
    const strip = days.map((d) => (active.has(d) ? '🟩' : '⬜')).join('');
    const headline =
      s.current === 0
        ? 'No streak running. Answer a `/quiz`, review `/flashcards` or pass a challenge to start one today.'
        : `🔥 **${s.current} day${s.current === 1 ? '' : 's'}**${s.activeToday ? ' — today counts already.' : ' — study today to keep it going!'}`;
    return message(
      [
        text(`${headline}\nLongest streak: **${s.longest} day${s.longest === 1 ? '' : 's'}**`),
        text(`Last 14 days: ${strip}`),
        note(`Days are counted in ${zone} (change with /settings timezone). A day counts when you answer a question, review flashcards or pass a challenge.`),
      ],
      { title: `${ctx.userName}'s streak` },
    );
  },
} satisfies Command;

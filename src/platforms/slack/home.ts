import type { webApi } from '@slack/bolt';
import { bar, progressSummary, type ProgressSummary } from '../../../commands/progress.js';
import type { ChatContext } from '../../chat/context.js';
import type { Button, Message } from '../../chat/reply.js';
import { buttons, note, text } from '../../chat/reply.js';
import type { ChatEvent } from '../../chat/router.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';
import { LIMITS, renderMessage, type RenderOptions } from './blocks.js';

/** Home tab buttons run a command; the answer goes to the user's DM with the app. */
const HOME = 'home';

export function homeCommand(id: string): Extract<ChatEvent, { type: 'command' }> | undefined {
  const [prefix, action, ...args] = id.split(':');
  if (prefix !== HOME) return undefined;
  switch (action) {
    case 'flashcards':
      return { type: 'command', name: 'flashcards', path: ['review'], options: {} };
    case 'quiz':
      return { type: 'command', name: 'quiz', path: [], options: {} };
    case 'lesson':
      return args[0] ? { type: 'command', name: 'lesson', path: ['show'], options: { id: args.join(':') } } : undefined;
    case 'leaderboard':
      return { type: 'command', name: 'leaderboard', path: [], options: {} };
    case 'progress':
      return { type: 'command', name: 'progress', path: [], options: {} };
    default:
      return undefined;
  }
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The Home tab as a neutral message, rendered by the same code as every other reply. */
export function homeMessage(name: string, p: ProgressSummary, command: string): Message {
  const streak =
    p.streak.current === 0
      ? '🔥 **Streak:** none running: answer a quiz, review flashcards or pass a challenge to start one today'
      : `🔥 **Streak:** ${plural(p.streak.current, 'day')} (longest ${p.streak.longest})${p.streak.activeToday ? ' — today counts ✅' : ' — study today to keep it!'}`;
  const controls: Button[] = [
    { id: `${HOME}:flashcards`, label: p.dueCards ? `Review flashcards (${p.dueCards} due)` : 'Review flashcards', style: p.dueCards ? 'primary' : 'secondary' },
    { id: `${HOME}:quiz`, label: 'Quiz me', style: 'secondary' },
    { id: `${HOME}:lesson:${p.nextLesson.id}`, label: 'Read the next lesson', style: 'secondary' },
    { id: `${HOME}:leaderboard`, label: 'Leaderboard', style: 'secondary' },
  ];
  return {
    title: `${name}'s study desk`,
    blocks: [
      text(
        [
          streak,
          `⭐ **Points:** ${p.points.total} all time · ${p.points.week} this week${p.weekRank ? ` · rank **#${p.weekRank}** this week` : ''}`,
          `🃏 **Flashcards due:** ${p.dueCards}`,
          `📖 **Next lesson:** ${p.nextLesson.title}`,
          `✅ **Lessons read:** ${p.lessonsRead} of ${p.lessonsTotal} · **challenges solved:** ${p.solved} of ${p.challengesTotal}`,
        ].join('\n'),
      ),
      buttons(...controls),
      { kind: 'divider' },
      text(p.tracks.map((t) => `\`${bar(t.read, t.total)}\` ${t.title} (${t.read}/${t.total})`).join('\n')),
      note(`Answers to these buttons arrive in the Messages tab. In any channel: \`${command} help\` lists every command.`),
    ],
  };
}

/**
 * The App Home tab: published when the user opens it and refreshed after their activity (a quiz
 * answer, a flashcard rating, a challenge result), for users who have opened it since this
 * process started. Bursts of activity are folded into one views.publish.
 */
export class SlackHome {
  private readonly viewers = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly publishing = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      client: webApi.WebClient;
      services: Services;
      logger: Logger;
      render: RenderOptions;
      command: string;
      contextFor: (teamId: string, userId: string) => Promise<ChatContext>;
      debounceMs?: number;
    },
  ) {}

  async opened(teamId: string, userId: string): Promise<void> {
    this.viewers.add(`${teamId}:${userId}`);
    await this.publish(teamId, userId);
  }

  /** Re-publishes a viewer's Home tab shortly (later calls within the window fold into one). */
  refreshSoon(teamId: string, userId: string): void {
    const key = `${teamId}:${userId}`;
    if (!this.viewers.has(key)) return;
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      const p = this.publish(teamId, userId).finally(() => this.publishing.delete(p));
      this.publishing.add(p);
    }, this.deps.debounceMs ?? 300);
    timer.unref();
    this.timers.set(key, timer);
  }

  async publish(teamId: string, userId: string): Promise<void> {
    try {
      const ctx = await this.deps.contextFor(teamId, userId);
      const summary = progressSummary(this.deps.services, ctx);
      const { blocks } = renderMessage(homeMessage(ctx.userName, summary, this.deps.command), this.deps.render, LIMITS.blocksPerView);
      await this.deps.client.views.publish({ user_id: userId, view: { type: 'home', blocks } });
    } catch (err) {
      this.deps.logger.warn({ err, teamId, userId }, 'publishing the App Home failed');
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.publishing]);
  }
}

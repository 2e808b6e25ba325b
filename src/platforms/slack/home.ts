import type { webApi } from '@slack/bolt';
import type { ChatContext } from '../../chat/context.js';
import type { Logger } from '../../logger.js';
import type { Router } from '../../router/router.js';
import { LIMITS, renderMessage, type RenderOptions } from './blocks.js';

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
      router: Router;
      logger: Logger;
      render: RenderOptions;
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
      // The tab is a view like any other reply: the command that owns it renders it.
      const home = await this.deps.router.view('home', ctx);
      const { blocks } = renderMessage(home, this.deps.render, LIMITS.blocksPerView);
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

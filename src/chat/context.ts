export type Platform = 'terminal' | 'discord' | 'slack';

/**
 * Where to send something back later (a code result, a daily post). Serialisable: submissions store
 * it so a result that arrives after a restart still finds its conversation.
 */
export interface Conversation {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  /** Thread or parent message to reply under, when the platform has threads. */
  threadId?: string;
  /** The user who started it, for private delivery. */
  userId?: string;
  /**
   * Adapter-specific handle for editing the original reply (a Discord interaction token, a Slack
   * response_url), with its expiry; after it expires the adapter posts to the channel instead.
   */
  handle?: string;
  handleExpiresAt?: number;
}

/** Who is asking, and where. Built by the adapter from the platform event. */
export interface ChatContext {
  platform: Platform;
  /** Guild id on Discord, team id on Slack, "local" in the terminal. */
  workspaceId: string;
  channelId: string;
  userId: string;
  userName: string;
  /** BCP 47 tag from the platform, e.g. "en-US". */
  locale: string;
  isAdmin: boolean;
  conversation: Conversation;
}

/**
 * What the router works out once per call, before the handler runs: the workspace key data is
 * stored under, the time, and the zones days are counted in (the user's own, else the workspace's).
 */
export interface Scope {
  ws: string;
  now: number;
  zone: string;
  workspaceZone: string;
}

/** The key every per-workspace row is stored under: platforms never share data. */
export function workspaceKey(ctx: Pick<ChatContext, 'platform' | 'workspaceId'>): string {
  return `${ctx.platform}:${ctx.workspaceId}`;
}

/** "discord:123" → { platform: 'discord', workspaceId: '123' }. */
export function splitWorkspaceKey(ws: string): { platform: Platform; workspaceId: string } {
  const i = ws.indexOf(':');
  return { platform: ws.slice(0, i) as Platform, workspaceId: ws.slice(i + 1) };
}

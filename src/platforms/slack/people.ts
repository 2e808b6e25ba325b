import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export interface Person {
  name: string;
  locale: string;
  /** Workspace admin or owner, or a member of the configured admin user group. */
  isAdmin: boolean;
}

interface Cached<T> {
  value: T;
  until: number;
}

/** How long what Slack said about a user or a group is trusted: promotions show up within minutes. */
export const PEOPLE_TTL_MS = 5 * 60_000;

/**
 * Who a Slack user is, for the chat context: display name, locale and whether they may change the
 * workspace's configuration. users.info and usergroups.users.list are cached for a few minutes,
 * so a busy channel costs a handful of API calls, not one per click.
 */
export class SlackPeople {
  private readonly users = new Map<string, Cached<{ name: string; locale: string; admin: boolean }>>();
  private readonly groups = new Map<string, Cached<Set<string>>>();
  private readonly dms = new Map<string, string>();
  private groupId: string | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly opts: { adminUsergroup: string | undefined; logger: Logger; ttlMs?: number },
  ) {
    // An id (S…) is used as is; a handle such as "study-admins" is looked up once.
    if (opts.adminUsergroup && /^S[A-Z0-9]{2,}$/.test(opts.adminUsergroup)) this.groupId = opts.adminUsergroup;
  }

  private get ttl(): number {
    return this.opts.ttlMs ?? PEOPLE_TTL_MS;
  }

  async person(teamId: string, userId: string, fallbackName: string): Promise<Person> {
    const user = await this.user(teamId, userId, fallbackName);
    const isAdmin = user.admin || (await this.inAdminGroup(teamId, userId));
    return { name: user.name, locale: user.locale, isAdmin };
  }

  private async user(teamId: string, userId: string, fallbackName: string) {
    const key = `${teamId}:${userId}`;
    const hit = this.users.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    try {
      const res = await this.client.users.info({ user: userId, include_locale: true });
      const u = res.user;
      const value = {
        name: u?.profile?.display_name || u?.real_name || u?.profile?.real_name || u?.name || fallbackName,
        locale: u?.locale ?? 'en-US',
        admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
      };
      this.users.set(key, { value, until: Date.now() + this.ttl });
      return value;
    } catch (err) {
      // Without users.info nobody is an admin: configuration waits, everything else still works.
      this.opts.logger.warn({ err, teamId, userId }, 'users.info failed');
      return { name: fallbackName || userId, locale: 'en-US', admin: false };
    }
  }

  private async inAdminGroup(teamId: string, userId: string): Promise<boolean> {
    if (!this.opts.adminUsergroup) return false;
    const hit = this.groups.get(teamId);
    if (hit && hit.until > Date.now()) return hit.value.has(userId);
    try {
      const usergroup = this.groupId ?? (await this.resolveGroup());
      if (!usergroup) return false;
      const res = await this.client.usergroups.users.list({ usergroup });
      const members = new Set(res.users ?? []);
      this.groups.set(teamId, { value: members, until: Date.now() + this.ttl });
      return members.has(userId);
    } catch (err) {
      this.opts.logger.warn({ err, teamId, usergroup: this.opts.adminUsergroup }, 'usergroups.users.list failed');
      return false;
    }
  }

  private async resolveGroup(): Promise<string | undefined> {
    const handle = this.opts.adminUsergroup!.replace(/^@/, '').toLowerCase();
    const res = await this.client.usergroups.list({});
    const group = res.usergroups?.find((g) => g.handle?.toLowerCase() === handle || g.id === this.opts.adminUsergroup);
    if (!group?.id) {
      this.opts.logger.warn({ usergroup: this.opts.adminUsergroup }, 'SLACK_ADMIN_USERGROUP names no user group of this workspace');
      return undefined;
    }
    this.groupId = group.id;
    return group.id;
  }

  /** The id of the app's direct-message channel with a user (the App Home's Messages tab). */
  async dmChannel(teamId: string, userId: string): Promise<string> {
    const key = `${teamId}:${userId}`;
    const known = this.dms.get(key);
    if (known) return known;
    const res = await this.client.conversations.open({ users: userId });
    const id = res.channel?.id;
    if (!id) throw new Error(`conversations.open returned no channel for ${userId}`);
    this.dms.set(key, id);
    return id;
  }

  /** app_home_opened tells us the DM channel for free. */
  rememberDm(teamId: string, userId: string, channelId: string): void {
    if (channelId.startsWith('D')) this.dms.set(`${teamId}:${userId}`, channelId);
  }
}

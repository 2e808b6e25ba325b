import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { users, workspaces } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

/** A learner as the platform reports them. */
export interface Learner {
  ws: string;
  userId: string;
  name: string;
}

export interface Entered {
  user: UserRow;
  /** The workspace's zone, or the default. */
  workspaceZone: string;
  /** The zone the learner's days are counted in: their own, else the workspace's. */
  zone: string;
}

const learnerWithZone = (db: Db) =>
  db
    .select({ user: users, tz: workspaces.timezone })
    .from(users)
    .leftJoin(workspaces, eq(workspaces.id, users.workspace))
    .where(and(eq(users.workspace, sql.placeholder('ws')), eq(users.userId, sql.placeholder('userId'))))
    .prepare();

/**
 * Makes sure the learner exists with the display name the platform reports, and returns them with
 * the zones their days are counted in. A known learner under the same name costs one read (the
 * learner joined with the workspace's zone) and no write; a new learner or a new name one write more.
 * Every chat call goes through here first, so later code can rely on the row.
 */
export function enterLearner(db: Db, who: Learner, now: number, defaultZone: string): Entered {
  const known = prepared(db, learnerWithZone).get({ ws: who.ws, userId: who.userId });
  let user = known?.user;
  if (!user || user.displayName !== who.name) {
    user = db
      .insert(users)
      .values({ workspace: who.ws, userId: who.userId, displayName: who.name, createdAt: now })
      .onConflictDoUpdate({ target: [users.workspace, users.userId], set: { displayName: sql`excluded.display_name` } })
      .returning()
      .get();
  }
  const workspaceZone =
    (known ? known.tz : db.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, who.ws)).get()?.tz) ?? defaultZone;
  return { user, workspaceZone, zone: user.timezone ?? workspaceZone };
}

export function getUser(db: Db, ws: string, userId: string): UserRow | undefined {
  return db
    .select()
    .from(users)
    .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
    .get();
}

export function workspaceTimeZone(db: Db, ws: string, fallback: string): string {
  return db.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, ws)).get()?.tz ?? fallback;
}

/** The zone a user's days are counted in: their own, else the workspace's, else the default. */
export function userTimeZone(db: Db, ws: string, userId: string, fallback: string): string {
  return getUser(db, ws, userId)?.timezone ?? workspaceTimeZone(db, ws, fallback);
}

export function setUserTimeZone(db: Db, ws: string, userId: string, zone: string | null): void {
  db.update(users)
    .set({ timezone: zone })
    .where(and(eq(users.workspace, ws), eq(users.userId, userId)))
    .run();
}

export function setWorkspaceTimeZone(db: Db, ws: string, zone: string, now: number): void {
  db.insert(workspaces)
    .values({ id: ws, timezone: zone, createdAt: now })
    .onConflictDoUpdate({ target: workspaces.id, set: { timezone: zone } })
    .run();
}

/** Whether streak milestones are announced in the channel (on unless an admin switched them off). */
export function milestonesOn(db: Db, ws: string): boolean {
  return db.select({ on: workspaces.milestones }).from(workspaces).where(eq(workspaces.id, ws)).get()?.on ?? true;
}

export function setMilestones(db: Db, ws: string, on: boolean, now: number): void {
  db.insert(workspaces)
    .values({ id: ws, milestones: on, createdAt: now })
    .onConflictDoUpdate({ target: workspaces.id, set: { milestones: on } })
    .run();
}

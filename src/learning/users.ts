import { and, eq, sql } from 'drizzle-orm';
import type { ChatContext } from '../chat/context.js';
import { workspaceKey } from '../chat/context.js';
import type { Db } from '../db/index.js';
import { users, workspaces } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

/**
 * Makes sure the workspace and the user exist, refreshing the display name the platform reports.
 * Every command goes through here first, so later code can rely on the rows.
 */
export function touchUser(db: Db, ctx: ChatContext, now: number): UserRow {
  const ws = workspaceKey(ctx);
  db.insert(workspaces).values({ id: ws, createdAt: now }).onConflictDoNothing().run();
  return db
    .insert(users)
    .values({ workspace: ws, userId: ctx.userId, displayName: ctx.userName, createdAt: now })
    .onConflictDoUpdate({
      target: [users.workspace, users.userId],
      set: { displayName: sql`excluded.display_name` },
    })
    .returning()
    .get();
}

export function getUser(db: Db, ws: string, userId: string): UserRow | undefined {
  return db.select().from(users).where(and(eq(users.workspace, ws), eq(users.userId, userId))).get();
}

export function workspaceTimeZone(db: Db, ws: string, fallback: string): string {
  return db.select({ tz: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, ws)).get()?.tz ?? fallback;
}

/** The zone a user's days are counted in: their own, else the workspace's, else the default. */
export function userTimeZone(db: Db, ws: string, userId: string, fallback: string): string {
  return getUser(db, ws, userId)?.timezone ?? workspaceTimeZone(db, ws, fallback);
}

export function setUserTimeZone(db: Db, ws: string, userId: string, zone: string | null): void {
  db.update(users).set({ timezone: zone }).where(and(eq(users.workspace, ws), eq(users.userId, userId))).run();
}

export function setWorkspaceTimeZone(db: Db, ws: string, zone: string, now: number): void {
  db.insert(workspaces)
    .values({ id: ws, timezone: zone, createdAt: now })
    .onConflictDoUpdate({ target: workspaces.id, set: { timezone: zone } })
    .run();
}

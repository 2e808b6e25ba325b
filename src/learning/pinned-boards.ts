import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { pinnedBoards } from '../db/schema.js';
import type { Board } from './boards.js';

export type PinnedBoard = typeof pinnedBoards.$inferSelect;

const one = (ws: string, channelId: string, board: Board) =>
  and(eq(pinnedBoards.workspace, ws), eq(pinnedBoards.channelId, channelId), eq(pinnedBoards.board, board));

/** Pins a board in a channel (one of each kind per channel); true when it replaces an older pin. */
export function pinBoard(db: Db, p: { ws: string; channelId: string; board: Board; pinnedBy: string; now: number; shown: string }): boolean {
  return db.transaction((tx) => {
    const before = tx
      .select()
      .from(pinnedBoards)
      .where(one(p.ws, p.channelId, p.board))
      .get();
    const values = { pinnedBy: p.pinnedBy, createdAt: p.now, shown: p.shown };
    tx.insert(pinnedBoards)
      .values({ workspace: p.ws, channelId: p.channelId, board: p.board, ...values })
      .onConflictDoUpdate({ target: [pinnedBoards.workspace, pinnedBoards.channelId, pinnedBoards.board], set: values })
      .run();
    return before !== undefined;
  });
}

export function pinnedBoardsOf(db: Db, ws: string): PinnedBoard[] {
  return db.select().from(pinnedBoards).where(eq(pinnedBoards.workspace, ws)).all();
}

const anyPinned = (db: Db) =>
  db
    .select({ ws: pinnedBoards.workspace })
    .from(pinnedBoards)
    .where(eq(pinnedBoards.workspace, sql.placeholder('ws')))
    .limit(1)
    .prepare();

export function hasPinnedBoards(db: Db, ws: string): boolean {
  return prepared(db, anyPinned).get({ ws }) !== undefined;
}

/** Records what a pinned board's message shows now. */
export function markShown(db: Db, pin: PinnedBoard, shown: string): void {
  db.update(pinnedBoards)
    .set({ shown })
    .where(one(pin.workspace, pin.channelId, pin.board))
    .run();
}

export function unpinBoard(db: Db, pin: Pick<PinnedBoard, 'workspace' | 'channelId' | 'board'>): void {
  db.delete(pinnedBoards)
    .where(one(pin.workspace, pin.channelId, pin.board))
    .run();
}

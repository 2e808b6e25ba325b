import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';
import { codePath } from '../paths.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS = codePath('src', 'db', 'migrations');

/**
 * Opens (creating if needed) the SQLite database at `file` in WAL mode and applies the committed
 * migrations. ":memory:" gives a private in-memory database.
 */
export function openDatabase(file: string): DatabaseHandle {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  cacheStatements(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, sqlite, close: () => sqlite.close() };
}

/** Compiled statements kept, by SQL text; the commands use a few dozen distinct ones. */
const STATEMENT_CACHE = 500;

/**
 * Drizzle asks SQLite to compile every query afresh, which was a sixth of the work of a scored
 * answer. The same SQL text gets the same compiled statement back instead. A statement left in raw
 * (array) mode by its last user is returned to row mode, since callers that want arrays ask for
 * them each time. Statements are never iterated here, so one is never busy when handed out again.
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = cache.get(source);
    if (statement) {
      // Most recently used last, so the oldest is dropped first.
      cache.delete(source);
      if (statement.reader) statement.raw(false);
    } else {
      statement = compile(source);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, statement);
    return statement;
  };
  sqlite.prepare = prepare as typeof sqlite.prepare;
}

export { schema };

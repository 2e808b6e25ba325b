import type { Db } from './index.js';

/**
 * Queries built once per database and kept compiled. Drizzle rebuilds a query's SQL each time it
 * runs (about 50 µs here, most of what a small query costs); a prepared query with placeholders
 * runs in a few. Used for the statements every scored answer and every event runs.
 *
 * A transaction shares its database's session, so a query prepared once serves both; `build`
 * itself (a function declared once, at module level) is the key.
 */
const bySession = new WeakMap<object, Map<unknown, unknown>>();

export function prepared<T>(db: Db, build: (db: Db) => T): T {
  const session = (db as unknown as { session: object }).session;
  let queries = bySession.get(session);
  if (!queries) {
    queries = new Map();
    bySession.set(session, queries);
  }
  let query = queries.get(build) as T | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(build, query);
  }
  return query;
}

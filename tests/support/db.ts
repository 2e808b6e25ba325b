import { openDatabase, type DatabaseHandle } from '../../src/db/index.js';
import { loadContent } from '../../src/content/loader.js';
import type { Content } from '../../src/content/types.js';
import { enterLearner } from '../../src/learning/users.js';
import type { Db } from '../../src/db/index.js';
import { FIXTURE_CONTENT } from './app.js';

/** A real SQLite database (in memory, migrated like production) for rule tests. */
export function testDb(): DatabaseHandle {
  return openDatabase(':memory:');
}

let fixture: Content | undefined;
export function fixtureContent(): Content {
  fixture ??= loadContent(FIXTURE_CONTENT);
  return fixture;
}

/** Creates the workspace and user rows a learning action expects. */
export function addUser(db: Db, userId: string, name = userId, workspaceId = 'ws1', now = 0): void {
  enterLearner(db, { ws: `terminal:${workspaceId}`, userId, name }, now, 'UTC');
}

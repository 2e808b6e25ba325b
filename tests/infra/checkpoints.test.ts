import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpoints } from '../../src/db/checkpoints.js';
import { openDatabase } from '../../src/db/index.js';

const dirs: string[] = [];
function dbFile(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-wal-'));
  dirs.push(d);
  return path.join(d, 'studybot.sqlite');
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const autocheckpoint = (h: ReturnType<typeof openDatabase>) => h.sqlite.pragma('wal_autocheckpoint', { simple: true });

/** `batches` bursts of single-row commits (each its own transaction, as chat commands are), with the event loop free between them. */
async function writeBursts(h: ReturnType<typeof openDatabase>, batches: number, perBatch: number): Promise<void> {
  h.sqlite.exec('CREATE TABLE IF NOT EXISTS burst (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = h.sqlite.prepare('INSERT INTO burst (body) VALUES (?)');
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < perBatch; i++) insert.run('x'.repeat(500));
    await pause(30);
  }
}

describe('WAL checkpoints off the main thread', { timeout: 60_000 }, () => {
  it('a quiet database checkpoints as SQLite does by default, with no second thread', async () => {
    const file = dbFile();
    const h = openDatabase(file);
    const c = startCheckpoints(h.sqlite, file, { watchMs: 20, busyChanges: 1000 });
    await writeBursts(h, 5, 10);
    expect(c.by).toBe('main');
    expect(autocheckpoint(h)).toBe(1000);
    await c.stop();
    h.close();
  });

  it('once busy, the thread checkpoints: the main connection never does, and the log stays bounded', async () => {
    const file = dbFile();
    const h = openDatabase(file);
    const problems: string[] = [];
    const c = startCheckpoints(h.sqlite, file, { watchMs: 20, everyMs: 20, busyChanges: 200, onProblem: (m) => problems.push(m) });
    // About 16 MB of rows in 8,000 commits: with nobody checkpointing the log would hold all of it.
    await writeBursts(h, 40, 200);
    expect(c.by).toBe('thread');
    expect(autocheckpoint(h)).toBe(0);
    expect(statSync(`${file}-wal`).size).toBeLessThan(8 * 1024 * 1024);
    await c.stop();
    expect(problems).toEqual([]);
    expect(autocheckpoint(h)).toBe(1000);
    expect(h.sqlite.prepare('SELECT count(*) AS n FROM burst').get()).toEqual({ n: 8000 });
    h.close();
    // Everything reached the database file itself, readable by a fresh connection.
    const again = openDatabase(file);
    expect(again.sqlite.prepare('SELECT count(*) AS n FROM burst').get()).toEqual({ n: 8000 });
    again.close();
  });

  it('when the thread cannot work, the main connection checkpoints again and says why', async () => {
    const file = dbFile();
    const h = openDatabase(file);
    const problems: string[] = [];
    const c = startCheckpoints(h.sqlite, file, {
      watchMs: 20,
      busyChanges: 100,
      driver: path.join(path.dirname(file), 'no-such-driver.js'),
      onProblem: (m) => problems.push(m),
    });
    await writeBursts(h, 10, 200);
    await pause(300);
    expect(c.by).toBe('main');
    expect(autocheckpoint(h)).toBe(1000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/checkpoints are back on the main connection: .*no-such-driver/);
    await c.stop();
    h.close();
  });
});

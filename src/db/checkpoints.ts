import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the commit
 * that crosses the threshold, so every thousandth page written stalls one command while the log is
 * copied into the database and synced, and under a burst of answers the stalls add up. Here the main connection never checkpoints; a second connection in a worker
 * thread runs a passive checkpoint every `everyMs`, which blocks neither readers nor the writer,
 * and the writer starts the log over once it has all been copied.
 *
 * The thread starts when the bot gets busy (`busyChanges` rows written within one `watchMs`): a
 * quiet bot checkpoints as SQLite does by default and spends no memory on a second thread and
 * connection. If the thread cannot start or stops, the main connection checkpoints for itself
 * again, so the log never grows without bound.
 */
export interface Checkpointer {
  /** Who checkpoints: the main connection (quiet, or after a problem), or the thread. */
  readonly by: 'main' | 'thread';
  stop(): Promise<void>;
}

export interface CheckpointOptions {
  /** How often the thread checkpoints (default 250 ms). */
  everyMs?: number;
  /** How often the write rate is looked at (default 1,000 ms). */
  watchMs?: number;
  /** Rows written within one look that start the thread (default 1,000: about a hundred scored answers). */
  busyChanges?: number;
  onProblem?: (message: string) => void;
  /** The SQLite driver the thread loads (tests give a broken one). */
  driver?: string;
}

// Plain CommonJS run with `eval`, so the build has no second entry file to place; the driver is
// handed over as a resolved path.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

const DEFAULT_AUTOCHECKPOINT = 1000;

export function startCheckpoints(sqlite: Database.Database, file: string, opts: CheckpointOptions = {}): Checkpointer {
  let by: 'main' | 'thread' = 'main';
  let worker: Worker | undefined;
  let stopping = false;

  const fallBack = (why: string) => {
    // An error is followed by the exit: one fall-back, said once.
    if (by === 'main') return;
    by = 'main';
    if (stopping || !sqlite.open) return;
    sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    opts.onProblem?.(`checkpoints are back on the main connection: ${why}`);
  };

  const startThread = () => {
    const driver = opts.driver ?? createRequire(import.meta.url).resolve('better-sqlite3');
    try {
      worker = new Worker(WORKER, { eval: true, workerData: { driver, file, everyMs: opts.everyMs ?? 250 } });
    } catch (err) {
      opts.onProblem?.(`checkpoints stay on the main connection: ${(err as Error).message}`);
      return;
    }
    sqlite.pragma('wal_autocheckpoint = 0');
    by = 'thread';
    worker.on('message', (m: { error?: string }) => {
      if (m.error) opts.onProblem?.(`a checkpoint failed: ${m.error}`);
    });
    worker.on('error', (err) => fallBack(err.message));
    worker.on('exit', (code) => fallBack(`the checkpoint thread exited (${code})`));
    // A bot with nothing else to do may exit; the thread does not keep it alive.
    worker.unref();
  };

  const changes = sqlite.prepare('SELECT total_changes() AS n');
  const written = () => (changes.get() as { n: number }).n;
  let seen = written();
  const watch = setInterval(() => {
    if (!sqlite.open) return;
    const now = written();
    if (now - seen >= (opts.busyChanges ?? 1000)) {
      clearInterval(watch);
      startThread();
    }
    seen = now;
  }, opts.watchMs ?? 1000);
  watch.unref();

  return {
    get by() {
      return by;
    },
    stop: async () => {
      if (stopping) return;
      stopping = true;
      clearInterval(watch);
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker!.once('exit', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      await worker.terminate();
      if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    },
  };
}

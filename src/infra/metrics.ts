import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (served on HEALTH_PORT at /metrics). One registry per process:
 * the bot and `studybot worker` each expose their own. The rest of the code touches it through the
 * few functions below, one call where something happens; gauges read their sources (the run queue,
 * the warm pool) when scraped, so nothing has to keep them up to date.
 */
export const registry = new Registry();

const runsTotal = new Counter({
  name: 'studybot_runs_total',
  help: 'Code runs finished, by status: ok, error, timeout, memory, output_limit (free runs), passed, failed (challenges), unavailable (could not be carried out)',
  labelNames: ['status'] as const,
  registers: [registry],
});

const runDuration = new Histogram({
  name: 'studybot_run_duration_seconds',
  help: 'From submission to result (queue wait included), by kind: run or grade',
  labelNames: ['kind'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});

const interactionsTotal = new Counter({
  name: 'studybot_interactions_total',
  help: 'Commands, clicks and forms handled, by platform and command',
  labelNames: ['platform', 'command'] as const,
  registers: [registry],
});

const interactionDuration = new Histogram({
  name: 'studybot_interaction_duration_seconds',
  help: 'Time to answer a command, click or form (the replies built, before the platform is called), by platform',
  labelNames: ['platform'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Job counts by state, from every queue this process watches. */
type QueueCounts = () => Promise<Record<string, number>>;
const queues = new Set<QueueCounts>();
/** How long a scrape waits for Redis before reporting the queue as unknown (no samples). */
const QUEUE_SCRAPE_TIMEOUT_MS = 1_000;

new Gauge({
  name: 'studybot_queue_jobs',
  help: 'Jobs in the code-runs queue, by state (waiting, active, delayed, prioritized, completed, failed)',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const counts of queues) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), QUEUE_SCRAPE_TIMEOUT_MS);
      });
      const found = await Promise.race([counts().catch(() => undefined), timeout]);
      clearTimeout(timer);
      // Redis is down: no samples rather than zeros that would read as an empty queue.
      if (!found) continue;
      for (const [state, n] of Object.entries(found)) this.inc({ state }, n);
    }
  },
});

const pools = new Set<() => number>();
new Gauge({
  name: 'studybot_sandbox_pool_warm',
  help: 'Sandbox containers started and waiting for a job (the warm pool) in this process',
  registers: [registry],
  collect() {
    let warm = 0;
    for (const count of pools) warm += count();
    this.set(warm);
  },
});

/** Reads a queue's job counts at each scrape; returns the function that stops watching it. */
export function watchQueue(counts: QueueCounts): () => void {
  queues.add(counts);
  return () => void queues.delete(counts);
}

/** Reads a warm pool's size at each scrape; returns the function that stops watching it. */
export function watchPool(warm: () => number): () => void {
  pools.add(warm);
  return () => void pools.delete(warm);
}

/**
 * A run's result was stored, once (the bot): `submission.createdAt` and `now` in epoch ms. A bot
 * with an in-process runner counts its runs here only; `studybot worker` counts with recordRunExecuted.
 */
export function recordRunResult(submission: { kind: string; createdAt: number }, outcome: unknown, now = Date.now()): void {
  runsTotal.inc({ status: runStatus(outcome) });
  runDuration.observe({ kind: submission.kind }, Math.max(0, now - submission.createdAt) / 1000);
}

/** A runner finished a job (`studybot worker`): `enqueuedAt` in epoch ms; `result` undefined when it failed. */
export function recordRunExecuted(kind: string, result: unknown, enqueuedAt: number, now = Date.now()): void {
  runsTotal.inc({ status: result === undefined ? 'unavailable' : runStatus(result) });
  runDuration.observe({ kind }, Math.max(0, now - enqueuedAt) / 1000);
}

/** The status a run is counted under: its own status for a free run, passed/failed for a challenge. */
function runStatus(outcome: unknown): string {
  if (typeof outcome !== 'object' || outcome === null || 'error' in outcome) return 'unavailable';
  const o = outcome as { kind?: unknown; status?: unknown; passed?: unknown };
  if (o.kind === 'grade') return o.passed ? 'passed' : 'failed';
  if (o.kind === 'check') return 'checked';
  return typeof o.status === 'string' ? o.status : 'unknown';
}

/** Times one chat interaction and counts it. `command` is a known command's name, never free text. */
export async function observeInteraction<T>(platform: string, command: string, handle: () => Promise<T>): Promise<T> {
  const end = interactionDuration.startTimer({ platform });
  try {
    return await handle();
  } finally {
    end();
    interactionsTotal.inc({ platform, command });
  }
}

let defaultsOn = false;
/** Node.js process metrics (CPU, memory, event loop lag) too, once a server exposes them. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry, prefix: 'studybot_' });
}

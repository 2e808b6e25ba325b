import type { Logger } from '../logger.js';
import type { SandboxContainer } from './sandbox-container.js';

interface Waiter {
  resolve: (container: SandboxContainer) => void;
  reject: (err: unknown) => void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Started containers whose supervisors wait for a job, each handed out once. `size` of them are kept
 * ready; a job that finds none waiting gets the next one to come up, and its own creation is added,
 * so under load creations run in parallel (size + waiting jobs) instead of queueing behind the pool.
 * With size 0 every job simply launches its own container.
 */
export class WarmPool {
  private readonly ready: SandboxContainer[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly launches = new Set<Promise<void>>();
  private creating = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly launch: () => Promise<SandboxContainer>,
    private readonly logger: Logger,
  ) {}

  /** Starts filling the pool (in the background). */
  start(): void {
    this.fill();
  }

  get readyCount(): number {
    return this.ready.length;
  }

  /** A started container for one job. Rejects at once when its launch fails (e.g. Docker is down). */
  acquire(): Promise<SandboxContainer> {
    if (this.closed) return Promise.reject(new Error('the sandbox pool is closed'));
    const container = this.ready.shift();
    if (container) {
      this.fill();
      return Promise.resolve(container);
    }
    return new Promise<SandboxContainer>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.fill();
    });
  }

  /** Rejects waiting jobs, removes idle containers and any that are still starting. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the sandbox pool is closed'));
    const idle = this.ready.splice(0);
    await Promise.allSettled([...idle.map((c) => c.remove()), ...this.launches]);
  }

  private fill(): void {
    if (this.closed) return;
    const poolWants = this.retryTimer ? 0 : this.size;
    while (this.ready.length + this.creating < poolWants + this.waiters.length) {
      this.creating += 1;
      const launch: Promise<void> = this.launch().then(
        (container) => this.created(container),
        (err: unknown) => this.failed(err),
      );
      this.launches.add(launch);
      void launch.finally(() => this.launches.delete(launch));
    }
  }

  private async created(container: SandboxContainer): Promise<void> {
    this.creating -= 1;
    this.failures = 0;
    if (this.closed) {
      await container.remove();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve(container);
    } else {
      this.ready.push(container);
      // A warm container can die while idle (engine restart, someone removing it): drop it.
      container.onEnded(() => {
        const index = this.ready.indexOf(container);
        if (index === -1) return;
        this.ready.splice(index, 1);
        void container.remove();
        this.fill();
      });
    }
    this.fill();
  }

  private failed(err: unknown): void {
    this.creating -= 1;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.reject(err);
      return;
    }
    if (this.closed) return;
    this.failures += 1;
    const delay = Math.min(250 * 2 ** this.failures, MAX_BACKOFF_MS);
    if (this.failures === 1 || delay === MAX_BACKOFF_MS) {
      this.logger.warn({ err, retryInMs: delay }, 'could not start a warm sandbox container');
    }
    if (!this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.fill();
      }, delay);
      this.retryTimer.unref();
    }
  }
}

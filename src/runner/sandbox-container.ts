import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { Logger } from '../logger.js';
import type { DockerClients } from './docker-client.js';
import { DockerUnavailableError, SandboxError, isConnectionError } from './errors.js';
import { FrameParser, type TimedFrame } from './protocol.js';
import { SANDBOX_PROTOCOL } from './settings.js';

export type NextFrame = TimedFrame | { t: 'ended'; at: number } | { t: 'deadline'; at: number };

const STDERR_KEEP = 8 * 1024;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DockerUnavailableError(`${what}: no answer from Docker within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * One started sandbox container whose supervisor is waiting for its job on stdin, attached before
 * it started so no frame is lost. Used for exactly one job, then removed.
 */
export class SandboxContainer {
  private readonly frames: TimedFrame[] = [];
  private wake: (() => void) | undefined;
  private endedAt: number | undefined;
  private bytes = 0;
  private budget = Number.POSITIVE_INFINITY;
  private removal: Promise<void> | undefined;
  private readonly endedListeners: Array<() => void> = [];
  /** Set when the frame stream exceeded its byte budget and the container was killed for it. */
  overflowed = false;
  /** Lines on the frame stream that were not frames (only the supervisor should write there). */
  garbage = 0;
  /** What the container wrote to stderr (only the supervisor can; empty unless it crashed). */
  stderrText = '';
  readonly createdAt = Date.now();

  private constructor(
    clients: DockerClients,
    private readonly container: Docker.Container,
    private readonly stream: NodeJS.ReadWriteStream,
    private readonly logger: Logger,
  ) {
    const parser = new FrameParser(
      (frame) => {
        this.frames.push(frame);
        this.notify();
      },
      (line) => {
        this.garbage += 1;
        this.logger.warn({ container: this.id, line: line.slice(0, 200) }, 'sandbox wrote a line that is not a frame');
      },
    );
    const stdout = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        const at = performance.now();
        this.bytes += chunk.length;
        if (this.bytes > this.budget) {
          if (!this.overflowed) {
            this.overflowed = true;
            this.logger.warn({ container: this.id, bytes: this.bytes }, 'sandbox output over budget: killing it');
            this.destroyStream();
            void this.remove();
          }
        } else {
          parser.push(chunk, at);
        }
        callback();
      },
    });
    const stderr = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (this.stderrText.length < STDERR_KEEP) this.stderrText += chunk.toString('utf8').slice(0, STDERR_KEEP);
        callback();
      },
    });
    clients.stream.modem.demuxStream(stream, stdout, stderr);
    const ended = () => {
      if (this.endedAt !== undefined) return;
      this.endedAt = performance.now();
      this.notify();
      for (const listener of this.endedListeners.splice(0)) listener();
    };
    stream.on('end', ended);
    stream.on('close', ended);
    stream.on('error', (err: Error) => {
      this.logger.debug({ container: this.id, err }, 'sandbox attach stream error');
      ended();
    });
  }

  get id(): string {
    return this.container.id;
  }

  get hasEnded(): boolean {
    return this.endedAt !== undefined;
  }

  /**
   * Creates, attaches and starts a container, and waits for its supervisor's ready frame.
   * Throws DockerUnavailableError when the engine cannot be reached, SandboxError otherwise.
   */
  static async launch(
    clients: DockerClients,
    spec: Docker.ContainerCreateOptions,
    logger: Logger,
    readyTimeoutMs: number,
  ): Promise<SandboxContainer> {
    let container: Docker.Container;
    try {
      container = await clients.control.createContainer(spec);
    } catch (err) {
      throw dockerError('create', err);
    }
    let sandbox: SandboxContainer | undefined;
    try {
      const stream = await withTimeout(
        clients.stream.getContainer(container.id).attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }),
        readyTimeoutMs,
        'attach',
      );
      sandbox = new SandboxContainer(clients, container, stream, logger);
      try {
        await container.start();
      } catch (err) {
        throw dockerError('start', err);
      }
      const ready = await sandbox.nextFrame(performance.now() + readyTimeoutMs);
      if (ready.t !== 'ready') {
        const detail = ready.t === 'fatal' ? ready.message : ready.t === 'ended' ? sandbox.stderrText.trim() : 'no ready frame';
        throw new SandboxError(`sandbox did not start: ${detail || ready.t}`);
      }
      if (ready.v !== SANDBOX_PROTOCOL) {
        throw new SandboxError(
          `the sandbox image speaks protocol ${ready.v}, this runner ${SANDBOX_PROTOCOL}: rebuild it with npm run sandbox:build`,
        );
      }
      return sandbox;
    } catch (err) {
      if (sandbox) void sandbox.remove();
      else void removeQuietly(container);
      throw err;
    }
  }

  /** Writes the job line; the supervisor reads exactly one. */
  send(line: string): void {
    this.stream.write(line.endsWith('\n') ? line : `${line}\n`);
  }

  /** Caps the bytes the container may still write to its stdout before it is killed. */
  limitBytes(maxBytes: number): void {
    this.budget = this.bytes + maxBytes;
  }

  /** The next frame, or 'ended' when the stream closed, or 'deadline' at `deadline` (performance.now() ms). */
  async nextFrame(deadline: number): Promise<NextFrame> {
    for (;;) {
      const frame = this.frames.shift();
      if (frame) return frame;
      if (this.endedAt !== undefined) return { t: 'ended', at: this.endedAt };
      const wait = deadline - performance.now();
      if (wait <= 0) return { t: 'deadline', at: performance.now() };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, wait);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  onEnded(listener: () => void): void {
    if (this.endedAt !== undefined) listener();
    else this.endedListeners.push(listener);
  }

  /** Whether remove() was called: the stream ending is then our doing, not the container's. */
  get removing(): boolean {
    return this.removal !== undefined;
  }

  /**
   * How the container ended (asked only off the hot path: when it died mid-job, or to confirm a
   * clean exit). Waits for the exit first, since the engine records OOMKilled only then.
   */
  async exitState(timeoutMs = 5_000): Promise<{ exitCode: number; oomKilled: boolean }> {
    try {
      await withTimeout(this.container.wait(), timeoutMs, 'wait');
      const info = await withTimeout(this.container.inspect(), timeoutMs, 'inspect');
      return { exitCode: info.State.ExitCode, oomKilled: info.State.OOMKilled === true };
    } catch (err) {
      throw dockerError('inspect', err);
    }
  }

  /**
   * Sets the container's memory limit (swap included, so still no swap) before its job is sent: a
   * warm container is started with a free run's limits, whatever job it gets.
   */
  async setMemoryLimit(bytes: number, timeoutMs = 10_000): Promise<void> {
    try {
      await withTimeout(this.container.update({ Memory: bytes, MemorySwap: bytes }), timeoutMs, 'update');
    } catch (err) {
      throw dockerError('update', err);
    }
  }

  /** Kills and removes the container; safe to call any number of times. */
  remove(): Promise<void> {
    if (!this.removal) {
      this.destroyStream();
      this.removal = removeQuietly(this.container, this.logger);
    }
    return this.removal;
  }

  private destroyStream(): void {
    const s = this.stream as NodeJS.ReadWriteStream & { destroy?: () => void };
    s.destroy?.();
  }

  private notify(): void {
    this.wake?.();
  }
}

function dockerError(what: string, err: unknown): Error {
  if (err instanceof DockerUnavailableError || err instanceof SandboxError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isConnectionError(err)) return new DockerUnavailableError(`docker ${what} failed: ${message}`, { cause: err });
  return new SandboxError(`docker ${what} failed: ${message}`, { cause: err });
}

async function removeQuietly(container: Docker.Container, logger?: Logger): Promise<void> {
  try {
    await container.remove({ force: true });
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    // 404: already gone; 409: removal already in progress.
    if (status !== 404 && status !== 409) logger?.warn({ container: container.id, err }, 'could not remove sandbox container');
  }
}

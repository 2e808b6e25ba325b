import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import { SandboxError } from './errors.js';
import type { EndFrame, FailReason, Observed, SupervisorJob } from './protocol.js';
import type { SandboxContainer } from './sandbox-container.js';

/** What one case (or a free run) did, as the runner saw it. */
export interface CaseOutcome {
  exitCode: number | null;
  signal: string | null;
  reason: FailReason | null;
  stdout: Buffer;
  stderr: Buffer;
  /** A `call` case's repr(), or pytest's pass/fail; null when the code produced none. */
  value: Buffer | null;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** From the arrival of the case's start frame to the arrival of its end frame, on the runner's clock. */
  durationMs: number;
  /** From the case's start to its process's exit on the supervisor's clock; null when it never ended. */
  elapsedMs: number | null;
  /** What the supervisor measured from outside; null when the case never ended normally. */
  observed: Observed | null;
  /** The runner's own explanation when it had to step in. */
  note?: string;
}

export interface ExecuteHooks {
  onCaseEnd?(index: number, outcome: CaseOutcome): void;
}

export interface ExecuteOptions {
  /**
   * After the final frame, also wait for the stream to close and the container to exit 0 with
   * nothing more written. Needed where the runtime does not keep same-uid code away from PID 1's
   * descriptors (gVisor), so a forged frame sequence is caught by what follows it; off the hot path
   * otherwise.
   */
  confirmExit?: boolean;
}

/**
 * Time the supervisor may take before its first case starts: the clean interpreter imports pytest
 * or the job's slow packages first, a few seconds on one CPU, far more on a busy machine.
 */
const STARTUP_GRACE_MS = 60_000;
/**
 * Backstop beyond the supervisor's own per-case limit before the runner kills the container: the
 * supervisor starts the limit when the case's code starts, up to 5 s after the start frame.
 */
const CASE_GRACE_MS = 8_000;
const BETWEEN_CASES_MS = 5_000;
const TAMPERED = 'The program interfered with the sandbox; its results were discarded.';

function emptyOutcome(reason: FailReason | null, durationMs: number, note: string, signal: string | null = null): CaseOutcome {
  const empty = Buffer.alloc(0);
  return {
    exitCode: null,
    signal: signal ?? (reason ? 'SIGKILL' : null),
    reason,
    stdout: empty,
    stderr: empty,
    value: null,
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs,
    elapsedMs: null,
    observed: null,
    note,
  };
}

function fromFrame(frame: EndFrame, durationMs: number): CaseOutcome {
  return {
    exitCode: frame.exitCode ?? null,
    signal: frame.signal ?? null,
    reason: frame.reason ?? null,
    stdout: Buffer.from(frame.stdout, 'base64'),
    stderr: Buffer.from(frame.stderr, 'base64'),
    value: typeof frame.value === 'string' ? Buffer.from(frame.value, 'base64') : null,
    stdoutTruncated: frame.stdoutTruncated === true,
    stderrTruncated: frame.stderrTruncated === true,
    durationMs,
    elapsedMs: typeof frame.elapsedMs === 'number' ? frame.elapsedMs : null,
    observed: frame.observed ?? null,
  };
}

/**
 * Sends the job to a warm container and collects one outcome per case from its frames. The
 * supervisor enforces the limits; this is the backstop: a deadline per case, a byte budget for the
 * whole stream, frames that must come in order, and a verdict when the container dies mid-job.
 */
export async function executeJob(
  container: SandboxContainer,
  job: SupervisorJob,
  logger: Logger,
  hooks: ExecuteHooks = {},
  options: ExecuteOptions = {},
): Promise<CaseOutcome[]> {
  const count = job.cases.length;
  // base64 of stdout + stderr + value per case, plus the frame's own fields.
  const perCase = Math.ceil(((job.outputBytes * 3 + 2048) * 4) / 3) + 1024;
  container.limitBytes(count * perCase + 64 * 1024);
  const caseLimitMs = job.seconds * 1000;
  const outcomes: Array<CaseOutcome | undefined> = new Array(count);

  container.send(JSON.stringify(job));
  let deadline = performance.now() + STARTUP_GRACE_MS;
  let current = -1;
  let next = 0;
  let startedAt = 0;

  const finishWith = (make: () => CaseOutcome): CaseOutcome[] => {
    for (let i = 0; i < count; i += 1) {
      if (!outcomes[i]) outcomes[i] = i === current ? make() : emptyOutcome(null, 0, 'Not run: the sandbox stopped before this case.');
    }
    return outcomes as CaseOutcome[];
  };
  const tampered = (why: string): CaseOutcome[] => {
    logger.warn({ container: container.id, why }, 'sandbox frames were tampered with');
    void container.remove();
    return Array.from({ length: count }, () => emptyOutcome(null, 0, TAMPERED, 'SIGKILL'));
  };

  for (;;) {
    if (container.garbage > 0) return tampered('a line that is not a frame');
    const frame = await container.nextFrame(deadline);
    switch (frame.t) {
      case 'ready':
        return tampered('a second ready frame');
      case 'start':
        if (frame.i !== next || current !== -1) return tampered(`start of case ${frame.i} out of order`);
        current = frame.i;
        next += 1;
        startedAt = frame.at;
        deadline = frame.at + caseLimitMs + CASE_GRACE_MS;
        break;
      case 'end': {
        if (frame.i !== current || frame.i >= count) return tampered(`end of case ${frame.i} out of order`);
        const outcome = fromFrame(frame, frame.at - startedAt);
        outcomes[frame.i] = outcome;
        hooks.onCaseEnd?.(frame.i, outcome);
        current = -1;
        deadline = frame.at + BETWEEN_CASES_MS;
        break;
      }
      case 'done': {
        if (current !== -1 || next !== count) return tampered('done before every case ended');
        if (options.confirmExit) {
          const after = await container.nextFrame(performance.now() + BETWEEN_CASES_MS);
          if (after.t !== 'ended' || container.garbage > 0) return tampered('output after the final frame');
          const exit = await container.exitState();
          if (exit.exitCode !== 0) return tampered(`the supervisor exited with ${exit.exitCode}`);
        }
        return outcomes as CaseOutcome[];
      }
      case 'fatal':
        throw new SandboxError(`sandbox supervisor failed: ${frame.message}`);
      case 'deadline': {
        logger.warn({ container: container.id, case: current }, 'sandbox missed its deadline: killing it');
        await container.remove();
        if (current === -1) throw new SandboxError('the sandbox did not start the job in time');
        return finishWith(() => emptyOutcome('timeout', frame.at - startedAt, ''));
      }
      case 'ended': {
        if (container.overflowed) return finishWith(() => emptyOutcome('output_limit', frame.at - startedAt, ''));
        if (container.removing) throw new SandboxError('the sandbox was stopped (the runner is shutting down)');
        if (current === -1) {
          const detail = container.stderrText.trim().split('\n').pop() ?? '';
          throw new SandboxError(`the sandbox stopped between cases${detail ? `: ${detail}` : ''}`);
        }
        // Died while the learner's code ran: the memory limit, or (where the runtime lets code
        // signal PID 1) the code killing the supervisor. Either way it is the code's result.
        const exit = await container.exitState();
        const durationMs = frame.at - startedAt;
        if (exit.oomKilled) return finishWith(() => emptyOutcome('memory', durationMs, ''));
        const signal = exit.exitCode > 128 ? signalName(exit.exitCode - 128) : null;
        return finishWith(() => emptyOutcome(null, durationMs, 'The sandbox stopped while the code ran.', signal ?? 'SIGKILL'));
      }
    }
  }
}

function signalName(n: number): string {
  const names: Record<number, string> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };
  return names[n] ?? `SIG${n}`;
}

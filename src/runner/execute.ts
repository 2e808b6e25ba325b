import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import { SandboxError } from './errors.js';
import type { EndFrame, FailReason, SupervisorJob } from './protocol.js';
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
  /** The runner's own explanation when it had to step in. */
  note?: string;
}

export interface ExecuteHooks {
  onCaseEnd?(index: number, outcome: CaseOutcome): void;
}

/** Time the supervisor may take before its first case starts (pytest jobs import pytest first). */
const STARTUP_GRACE_MS = 20_000;
/** Backstop beyond the supervisor's own per-case limit before the runner kills the container. */
const CASE_GRACE_MS = 2_000;
const BETWEEN_CASES_MS = 5_000;

function emptyOutcome(reason: FailReason | null, durationMs: number, note: string): CaseOutcome {
  const empty = Buffer.alloc(0);
  return {
    exitCode: null,
    signal: reason ? 'SIGKILL' : null,
    reason,
    stdout: empty,
    stderr: empty,
    value: null,
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs,
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
  };
}

/**
 * Sends the job to a warm container and collects one outcome per case from its frames. The
 * supervisor enforces the limits; this is the backstop: a deadline per case, a byte budget for the
 * whole stream, and a verdict when the container dies mid-job.
 */
export async function executeJob(
  container: SandboxContainer,
  job: SupervisorJob,
  logger: Logger,
  hooks: ExecuteHooks = {},
): Promise<CaseOutcome[]> {
  const count = job.cases.length;
  // base64 of stdout + stderr + value per case, plus the frame's own fields.
  const perCase = Math.ceil((job.outputBytes * 3 + 2048) * 4 / 3) + 1024;
  container.limitBytes(count * perCase + 64 * 1024);
  const caseLimitMs = job.seconds * 1000;
  const outcomes: Array<CaseOutcome | undefined> = new Array(count);

  container.send(JSON.stringify(job));
  let deadline = performance.now() + STARTUP_GRACE_MS;
  let current = -1;
  let startedAt = 0;

  const finishWith = (make: (index: number) => CaseOutcome): CaseOutcome[] => {
    for (let i = 0; i < count; i += 1) {
      if (!outcomes[i]) outcomes[i] = i === current ? make(i) : emptyOutcome(null, 0, 'Not run: the sandbox stopped before this case.');
    }
    return outcomes as CaseOutcome[];
  };

  for (;;) {
    const frame = await container.nextFrame(deadline);
    switch (frame.t) {
      case 'ready':
        break;
      case 'start':
        current = frame.i;
        startedAt = frame.at;
        deadline = frame.at + caseLimitMs + CASE_GRACE_MS;
        break;
      case 'end': {
        const outcome = fromFrame(frame, frame.at - startedAt);
        if (frame.i >= 0 && frame.i < count) {
          outcomes[frame.i] = outcome;
          hooks.onCaseEnd?.(frame.i, outcome);
        }
        current = -1;
        deadline = frame.at + BETWEEN_CASES_MS;
        break;
      }
      case 'done':
        return finishWith(() => emptyOutcome(null, 0, 'Not run.'));
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
        if (current !== -1 && (await container.oomKilled())) {
          return finishWith(() => emptyOutcome('memory', frame.at - startedAt, ''));
        }
        const detail = container.stderrText.trim().split('\n').pop() ?? '';
        throw new SandboxError(`the sandbox stopped mid-job${detail ? `: ${detail}` : ''}`);
      }
    }
  }
}

/**
 * The runner's side of the supervisor protocol (docker/sandbox/sandbox.py holds the other side):
 * one JSON job line into the container's stdin, JSON frames out of its stdout.
 */
import type { GradeJob, RunJobData } from '../contract/code-runs.js';
import { SANDBOX_PROTOCOL } from './settings.js';

export type SupervisorMode = 'run' | 'stdio' | 'call' | 'pytest' | 'check';

/** The tools a check job runs on the code, one case each, in this order. */
export const CHECK_TOOLS = ['mypy', 'black'] as const;
export type CheckTool = (typeof CHECK_TOOLS)[number];

/** A case as the sandbox sees it: inputs only, never the expected output or what will be checked. */
export interface SupervisorCase {
  stdin?: string;
  call?: string;
  script?: string;
  module?: string;
  /** Check jobs: the tool that reads the code. */
  tool?: CheckTool;
  /** Sample the case's threads and processes (only when a check needs them: it costs a little CPU). */
  watch?: boolean;
}

export interface SupervisorJob {
  v: typeof SANDBOX_PROTOCOL;
  mode: SupervisorMode;
  code: string;
  target?: string;
  /** Wall-clock limit per case. */
  seconds: number;
  /** Cap on each of stdout, stderr and the case's value. */
  outputBytes: number;
  cases: SupervisorCase[];
}

export type FailReason = 'timeout' | 'output_limit' | 'memory';

export interface ReadyFrame {
  t: 'ready';
  v: number;
  python: string;
}
export interface StartFrame {
  t: 'start';
  i: number;
}
/** Calls to the probe under one label, as the supervisor served them. */
export interface ObservedCalls {
  /** Answered. */
  calls: number;
  /** Closed by the caller before the answer. */
  abandoned: number;
  /** The most in progress at the same moment. */
  peak: number;
}

/** What the supervisor measured of a case, from outside the learner's processes. */
export interface Observed {
  /** Most threads (besides each process's main thread) alive at once; null when not sampled. */
  threads: number | null;
  /** Most child processes alive at once; null when not sampled. */
  processes: number | null;
  /** Threads and processes started during the case; null when the pid counter could not be read. */
  started: number | null;
  calls: Record<string, ObservedCalls>;
}

export interface EndFrame {
  t: 'end';
  i: number;
  exitCode: number | null;
  signal: string | null;
  reason: FailReason | null;
  stdout: string;
  stderr: string;
  value: string | null;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** From the case's start to its process's exit, on the supervisor's clock. */
  elapsedMs: number;
  observed: Observed;
}
export interface DoneFrame {
  t: 'done';
}
export interface FatalFrame {
  t: 'fatal';
  message: string;
}
export type Frame = ReadyFrame | StartFrame | EndFrame | DoneFrame | FatalFrame;

/** A frame with the runner's clock reading (performance.now()) when its bytes arrived. */
export type TimedFrame = Frame & { at: number };

/**
 * Builds the job line's content. Expected outputs and checks stay behind: only inputs cross into the
 * container. `order` lists the job's case indices in the order they are to run.
 */
export function supervisorJob(
  job: RunJobData,
  defaults: { timeoutSeconds: number; outputKb: number; checkTimeoutSeconds?: number },
  order: readonly number[] = job.kind === 'grade' ? job.cases.map((_, i) => i) : [0],
): SupervisorJob {
  const outputBytes = defaults.outputKb * 1024;
  if (job.kind === 'check') {
    return {
      v: SANDBOX_PROTOCOL,
      mode: 'check',
      code: job.code,
      seconds: defaults.checkTimeoutSeconds ?? defaults.timeoutSeconds,
      outputBytes,
      cases: CHECK_TOOLS.map((tool) => ({ tool })),
    };
  }
  if (job.kind === 'run') {
    return {
      v: SANDBOX_PROTOCOL,
      mode: 'run',
      code: job.code,
      seconds: job.timeLimitSeconds ?? defaults.timeoutSeconds,
      outputBytes,
      cases: [{ stdin: job.stdin }],
    };
  }
  return {
    v: SANDBOX_PROTOCOL,
    mode: job.grader,
    code: job.code,
    ...(job.grader === 'pytest' ? { target: job.target } : {}),
    seconds: job.timeLimitSeconds,
    outputBytes,
    cases: order.map((i) => caseInputs(job, job.cases[i]!)),
  };
}

function caseInputs(job: GradeJob, c: GradeJob['cases'][number]): SupervisorCase {
  const watch = c.observe?.threads !== undefined || c.observe?.processes !== undefined ? { watch: true } : {};
  switch (job.grader) {
    case 'stdio':
      return { stdin: c.stdin ?? '', ...watch };
    case 'call':
      return { ...(c.call !== undefined ? { call: c.call } : { script: c.script ?? '' }), ...watch };
    case 'pytest':
      return { module: c.module ?? '', ...watch };
  }
}

function isFrame(value: unknown): value is Frame {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  switch (f.t) {
    case 'ready':
    case 'done':
      return true;
    case 'start':
      return typeof f.i === 'number';
    case 'end':
      return typeof f.i === 'number' && typeof f.stdout === 'string' && typeof f.stderr === 'string';
    case 'fatal':
      return typeof f.message === 'string';
    default:
      return false;
  }
}

/**
 * Splits the supervisor's stdout into frames. Anything that is not a frame is reported, not parsed:
 * only the supervisor can write here, so garbage means the image is wrong.
 */
export class FrameParser {
  private pending: Buffer[] = [];

  constructor(
    private readonly onFrame: (frame: TimedFrame) => void,
    private readonly onGarbage: (line: string) => void,
  ) {}

  push(chunk: Buffer, at: number): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      const line = this.pending.length ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.parse(line.toString('utf8'), at);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  private parse(line: string, at: number): void {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.onGarbage(line);
      return;
    }
    if (isFrame(value)) this.onFrame({ ...value, at });
    else this.onGarbage(line);
  }
}

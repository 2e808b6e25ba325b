/**
 * The contract between the bot (producer) and runners (BullMQ workers on the `code-runs` queue).
 * Runners are stateless: everything a run needs travels in the job, and everything the bot needs
 * comes back as the job's return value. The job id is the submission id, so a retried or
 * re-added job never runs or posts twice.
 */

export const RUN_QUEUE = 'code-runs';

/** Outcome of a free run, or of one graded case. */
export type RunStatus =
  | 'ok' // exited 0
  | 'error' // non-zero exit, uncaught exception or fatal signal
  | 'timeout' // killed at the wall-clock limit (including a process that stopped itself)
  | 'memory' // killed by the memory limit or died of MemoryError
  | 'output_limit'; // stdout or stderr flooded past the cap: cut and killed

export interface RunJob {
  kind: 'run';
  submissionId: string;
  code: string;
  /** Text fed to standard input; empty means stdin is at end-of-file at once. */
  stdin: string;
  /** Wall-clock limit in seconds for the whole run; the runner's default when absent. */
  timeLimitSeconds?: number;
}

export type Grader = 'stdio' | 'call' | 'pytest';

export interface GradeCase {
  name: string;
  hidden: boolean;
  stdin?: string;
  call?: string;
  script?: string;
  module?: string;
  /** Stays with the runner: never sent into the sandbox. */
  expected: string;
  minSeconds?: number;
  maxSeconds?: number;
}

export interface GradeJob {
  kind: 'grade';
  submissionId: string;
  challengeId: string;
  code: string;
  grader: Grader;
  /** pytest grader: the module name the learner's tests import. */
  target?: string;
  cases: GradeCase[];
  /** Per-case wall-clock limit in seconds. */
  timeLimitSeconds: number;
}

export type RunJobData = RunJob | GradeJob;

export interface RunResult {
  kind: 'run';
  submissionId: string;
  status: RunStatus;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Exit code when the program exited on its own. */
  exitCode: number | null;
  /** Signal name (e.g. SIGSEGV, SIGKILL) when it died of one. */
  signal: string | null;
  durationMs: number;
}

export type CaseStatus = RunStatus | 'wrong' | 'too_fast' | 'too_slow';

export interface CaseResult {
  name: string;
  hidden: boolean;
  passed: boolean;
  status: CaseStatus;
  /** Measured by the runner, outside the learner's code. */
  durationMs: number;
  /** Visible cases only: what the code produced, what was expected, and its stderr (capped). */
  got?: string;
  expected?: string;
  stderr?: string;
}

export interface GradeResult {
  kind: 'grade';
  submissionId: string;
  challengeId: string;
  passed: boolean;
  cases: CaseResult[];
  durationMs: number;
}

export type RunJobResult = RunResult | GradeResult;

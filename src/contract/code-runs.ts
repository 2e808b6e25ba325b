import { z } from 'zod';

/**
 * The contract between the bot (producer) and runners (BullMQ workers on the `code-runs` queue).
 * Runners are stateless: everything a run needs travels in the job, and everything the bot needs
 * comes back as the job's return value. The job id is the submission id, so a retried or
 * re-added job never runs or posts twice.
 *
 * Both directions are zod schemas: the runner parses every job before starting anything for it,
 * and the bot parses every return value (live, from Redis after a restart, or from its own
 * database) before trusting it.
 */

export const RUN_QUEUE = 'code-runs';

const seconds = z.number().positive().max(120);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const runStatusSchema = z.enum([
  'ok', // exited 0
  'error', // non-zero exit, uncaught exception or fatal signal
  'timeout', // killed at the wall-clock limit (including a process that stopped itself)
  'memory', // killed by the memory limit or died of MemoryError
  'output_limit', // stdout or stderr flooded past the cap: cut and killed
]);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const graderSchema = z.enum(['stdio', 'call', 'pytest']);
export type Grader = z.infer<typeof graderSchema>;

/** Inclusive bounds on a count; either may be left out. */
export const countRangeSchema = z.object({
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
});
export type CountRange = z.infer<typeof countRangeSchema>;

/**
 * What a case demands of how the code ran, measured by the sandbox's supervisor from outside the
 * learner's processes (content/README.md, "Checks measured from outside").
 */
export const observeSchema = z.object({
  /** The most threads alive at the same moment, besides each process's main thread. */
  threads: countRangeSchema.optional(),
  /** The most child processes alive at the same moment. */
  processes: countRangeSchema.optional(),
  /** Threads and processes started during the case, counted exactly. */
  started: countRangeSchema.optional(),
  /** Probe calls answered, per label. */
  calls: z.record(z.string(), countRangeSchema).optional(),
  /** The most probe calls in progress at the same moment, per label. */
  atOnce: z.record(z.string(), countRangeSchema).optional(),
  /** Probe calls their caller gave up on before the answer (a cancelled task, a timeout), per label. */
  abandoned: z.record(z.string(), countRangeSchema).optional(),
});
export type Observe = z.infer<typeof observeSchema>;

export const gradeCaseSchema = z.object({
  name: z.string(),
  hidden: z.boolean(),
  stdin: z.string().optional(),
  call: z.string().optional(),
  script: z.string().optional(),
  module: z.string().optional(),
  /** Stays with the runner: never sent into the sandbox. */
  expected: z.string(),
  minSeconds: z.number().nonnegative().optional(),
  maxSeconds: z.number().positive().optional(),
  /** Stays with the runner too. */
  observe: observeSchema.optional(),
  /** Hidden cases: what the learner is told when this case fails, written to be safe to show. */
  hint: z.string().optional(),
});
export type GradeCase = z.infer<typeof gradeCaseSchema>;

export const runJobSchema = z.object({
  kind: z.literal('run'),
  submissionId: z.string().min(1),
  code: z.string(),
  /** Text fed to standard input; empty means stdin is at end-of-file at once. */
  stdin: z.string().default(''),
  /** Wall-clock limit in seconds for the whole run; the runner's default when absent. */
  timeLimitSeconds: seconds.optional(),
});
export type RunJob = z.infer<typeof runJobSchema>;

export const gradeJobSchema = z
  .object({
    kind: z.literal('grade'),
    submissionId: z.string().min(1),
    challengeId: z.string(),
    code: z.string(),
    grader: graderSchema,
    /** pytest grader: the module name the learner's tests import. */
    target: z.string().regex(identifier, 'a Python module name').optional(),
    cases: z.array(gradeCaseSchema).min(1).max(200),
    /** Per-case wall-clock limit in seconds. */
    timeLimitSeconds: seconds,
  })
  .superRefine((job, ctx) => {
    if (job.grader === 'pytest' && !job.target) ctx.addIssue({ code: 'custom', message: 'pytest jobs need a target', path: ['target'] });
    job.cases.forEach((c, i) => {
      if (job.grader === 'call' && c.call === undefined && c.script === undefined) {
        ctx.addIssue({ code: 'custom', message: 'call cases need `call` or `script`', path: ['cases', i] });
      }
      if (job.grader === 'pytest' && c.module === undefined) {
        ctx.addIssue({ code: 'custom', message: 'pytest cases need `module`', path: ['cases', i] });
      }
    });
  });
export type GradeJob = z.infer<typeof gradeJobSchema>;

/**
 * Type and style checks of a snippet: mypy --strict and black read the code inside the sandbox and
 * run none of it. The runner's own settings give the time and memory limits.
 */
export const checkJobSchema = z.object({
  kind: z.literal('check'),
  submissionId: z.string().min(1),
  code: z.string(),
});
export type CheckJob = z.infer<typeof checkJobSchema>;

export const runJobDataSchema = z.discriminatedUnion('kind', [runJobSchema, gradeJobSchema, checkJobSchema]);
export type RunJobData = z.infer<typeof runJobDataSchema>;

export const runResultSchema = z.object({
  kind: z.literal('run'),
  submissionId: z.string(),
  status: runStatusSchema,
  stdout: z.string(),
  stderr: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  /** Exit code when the program exited on its own. */
  exitCode: z.number().int().nullable(),
  /** Signal name (e.g. SIGSEGV, SIGKILL) when it died of one. */
  signal: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});
export type RunResult = z.infer<typeof runResultSchema>;

export const caseStatusSchema = z.enum([
  ...runStatusSchema.options,
  'wrong',
  'too_fast',
  'too_slow',
  'method', // right output, but a check measured from outside (threads, processes, calls) failed
]);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

/**
 * One case's verdict. A visible case carries everything; a hidden one only whether it passed, its
 * status and, when it failed, the hint its author wrote: no name, no position (hidden cases run in a
 * random order and are listed passed first), no duration, no output. (Results stored before this
 * rule carry a name and a duration for hidden cases too; they still parse.)
 */
export const caseResultSchema = z.object({
  name: z.string().optional(),
  hidden: z.boolean(),
  passed: z.boolean(),
  status: caseStatusSchema,
  /** Visible cases: measured by the sandbox's supervisor, outside the learner's code. */
  durationMs: z.number().nonnegative().optional(),
  /** Visible cases only: what the code produced, what was expected, and its stderr (capped). */
  got: z.string().optional(),
  expected: z.string().optional(),
  stderr: z.string().optional(),
  /** Visible cases only: which measured check failed, and what was measured. */
  why: z.string().optional(),
  /** Failed hidden cases only. */
  hint: z.string().optional(),
});
export type CaseResult = z.infer<typeof caseResultSchema>;

export const gradeResultSchema = z.object({
  kind: z.literal('grade'),
  submissionId: z.string(),
  challengeId: z.string(),
  passed: z.boolean(),
  cases: z.array(caseResultSchema),
  durationMs: z.number().nonnegative(),
});
export type GradeResult = z.infer<typeof gradeResultSchema>;

/**
 * How one checking tool's run ended: `clean` (nothing to report), `findings` (type errors, or code
 * black would reformat), `unparsable` (black cannot read the code), `failed` (the tool itself
 * crashed or refused), or the sandbox's limits.
 */
export const toolStatusSchema = z.enum(['clean', 'findings', 'unparsable', 'failed', 'timeout', 'memory', 'output_limit']);
export type ToolStatus = z.infer<typeof toolStatusSchema>;

/** One line of mypy's report about the snippet. */
export const typeFindingSchema = z.object({
  line: z.number().int().nonnegative(),
  severity: z.enum(['error', 'warning', 'note']),
  message: z.string(),
  /** mypy's error code, e.g. `assignment`. */
  code: z.string().optional(),
});
export type TypeFinding = z.infer<typeof typeFindingSchema>;

export const checkResultSchema = z.object({
  kind: z.literal('check'),
  submissionId: z.string(),
  mypy: z.object({
    status: toolStatusSchema,
    findings: z.array(typeFindingSchema),
    /** What mypy wrote that is not a finding about a line (a crash, a refusal), capped. */
    detail: z.string(),
    /** The report was cut at the output cap. */
    truncated: z.boolean(),
    durationMs: z.number().nonnegative(),
  }),
  black: z.object({
    status: toolStatusSchema,
    /** A unified diff from the code as sent to the code as black formats it; empty when unchanged. */
    diff: z.string(),
    /** Why black could not format the code, capped. */
    detail: z.string(),
    truncated: z.boolean(),
    durationMs: z.number().nonnegative(),
  }),
  durationMs: z.number().nonnegative(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const runJobResultSchema = z.discriminatedUnion('kind', [runResultSchema, gradeResultSchema, checkResultSchema]);
export type RunJobResult = z.infer<typeof runJobResultSchema>;

/** A job or a result that does not match the contract (a runner or bot of another version, a bad write). */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

function parseWith<T>(schema: z.ZodType<T>, what: string, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new ContractError(`invalid ${what}: ${problems.join('; ')}`);
}

/** Checks a job from the queue before anything is started for it. */
export function parseJob(data: unknown): RunJobData {
  return parseWith(runJobDataSchema, 'run job', data);
}

/** Checks a runner's return value (an object, or the JSON BullMQ keeps of it). */
export function parseResult(data: unknown): RunJobResult {
  return parseWith(runJobResultSchema, 'run result', typeof data === 'string' ? JSON.parse(data) : data);
}

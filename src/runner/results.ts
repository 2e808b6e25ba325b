import type { GradeJob, GradeResult, RunJob, RunResult, RunStatus } from '../contract/code-runs.js';
import type { CaseOutcome } from './execute.js';
import { gradeCase, orderHidden } from './grading.js';
import { outputText } from './text.js';

function runStatus(o: CaseOutcome): RunStatus {
  if (o.reason) return o.reason;
  return o.exitCode === 0 && o.signal === null ? 'ok' : 'error';
}

export function runResult(job: RunJob, o: CaseOutcome): RunResult {
  const stderr = outputText(o.stderr);
  return {
    kind: 'run',
    submissionId: job.submissionId,
    status: runStatus(o),
    stdout: outputText(o.stdout),
    stderr: o.note ? `${stderr}${stderr ? '\n' : ''}${o.note}` : stderr,
    stdoutTruncated: o.stdoutTruncated,
    stderrTruncated: o.stderrTruncated,
    exitCode: o.exitCode,
    signal: o.signal,
    durationMs: Math.round(o.durationMs),
  };
}

/** `outcomes[i]` is the outcome of `job.cases[i]`, whatever order the cases ran in. */
export function gradeResult(job: GradeJob, outcomes: CaseOutcome[], durationMs: number, outputChars: number): GradeResult {
  const results = job.cases.map((c, i) => gradeCase(job.grader, c, outcomes[i]!, outputChars));
  const cases = [...results.filter((r) => !r.hidden), ...orderHidden(results.filter((r) => r.hidden))];
  return {
    kind: 'grade',
    submissionId: job.submissionId,
    challengeId: job.challengeId,
    passed: cases.every((c) => c.passed),
    cases,
    durationMs: Math.round(durationMs),
  };
}

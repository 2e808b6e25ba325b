import type { CheckJob, CheckResult, GradeJob, GradeResult, RunJob, RunResult, RunStatus, ToolStatus, TypeFinding } from '../contract/code-runs.js';
import type { CaseOutcome } from './execute.js';
import { gradeCase, orderHidden } from './grading.js';
import { head, outputText, tail } from './text.js';

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

/** How much of a tool's stray output (a crash, a refusal) a check result keeps. */
const DETAIL_CHARS = 4000;

/** `main.py:4: error: Incompatible types in assignment (…)  [assignment]` (a column is allowed too). */
const MYPY_LINE = /^main\.py:(\d+):(?:\d+:)? (error|warning|note): (.*)$/;
const MYPY_CODE = /^(.*?)\s+\[([a-z0-9_-]+)\]$/;

/** mypy's report read line by line: findings about the snippet's lines, and whatever else it said. */
export function parseMypyReport(report: string): { findings: TypeFinding[]; other: string[] } {
  const findings: TypeFinding[] = [];
  const other: string[] = [];
  for (const line of report.split('\n')) {
    if (!line.trim()) continue;
    const m = MYPY_LINE.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    const severity = m[2] as TypeFinding['severity'];
    const coded = severity === 'note' ? null : MYPY_CODE.exec(m[3]!);
    findings.push({
      line: Number(m[1]),
      severity,
      message: coded ? coded[1]! : m[3]!,
      ...(coded && { code: coded[2]! }),
    });
  }
  return { findings, other };
}

function stray(parts: Array<string | undefined>): string {
  return tail(
    parts
      .filter((p): p is string => Boolean(p?.trim()))
      .join('\n')
      .trim(),
    DETAIL_CHARS,
  );
}

/** `outcomes` are the check's cases in CHECK_TOOLS order: mypy, then black. */
export function checkResult(job: CheckJob, outcomes: CaseOutcome[], durationMs: number, outputChars: number): CheckResult {
  const [typed, styled] = outcomes as [CaseOutcome, CaseOutcome];

  let said = outputText(typed.stdout);
  // A report cut at the output cap ends in the middle of a line: that line is left out.
  if (typed.stdoutTruncated) said = said.slice(0, said.lastIndexOf('\n') + 1);
  const report = parseMypyReport(said);
  let mypyStatus: ToolStatus;
  if (typed.reason) mypyStatus = typed.reason;
  else if (typed.signal === null && typed.exitCode === 0) mypyStatus = 'clean';
  else if (typed.signal === null && typed.exitCode === 1) mypyStatus = 'findings';
  // Exit 2 is also how mypy reports code it cannot parse, with a finding on the line.
  else if (typed.signal === null && typed.exitCode === 2 && report.findings.some((f) => f.severity === 'error')) mypyStatus = 'findings';
  else mypyStatus = 'failed';

  let blackStatus: ToolStatus;
  if (styled.reason) blackStatus = styled.reason;
  else if (styled.signal !== null) blackStatus = 'failed';
  else if (styled.exitCode === 0) blackStatus = 'clean';
  else if (styled.exitCode === 1) blackStatus = 'findings';
  else if (styled.exitCode === 123) blackStatus = 'unparsable';
  else blackStatus = 'failed';

  return {
    kind: 'check',
    submissionId: job.submissionId,
    mypy: {
      status: mypyStatus,
      findings: report.findings,
      detail: stray([report.other.join('\n'), outputText(typed.stderr), typed.note]),
      truncated: typed.stdoutTruncated,
      durationMs: Math.round(typed.durationMs),
    },
    black: {
      status: blackStatus,
      diff: blackStatus === 'findings' || blackStatus === 'output_limit' ? head(outputText(styled.stdout), outputChars) : '',
      detail: stray([outputText(styled.stderr), styled.note]),
      truncated: styled.stdoutTruncated,
      durationMs: Math.round(styled.durationMs),
    },
    durationMs: Math.round(durationMs),
  };
}

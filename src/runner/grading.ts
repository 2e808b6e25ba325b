import type { CaseResult, CaseStatus, GradeCase, Grader } from '../contract/code-runs.js';
import type { CaseOutcome } from './execute.js';
import { head, outputText, tail } from './text.js';

/** Trailing whitespace on each line and trailing blank lines do not count (content/README.md). */
export function normalizeOutput(text: string): string {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

export function outputsMatch(got: string, expected: string): boolean {
  return normalizeOutput(got) === normalizeOutput(expected);
}

/** How much of a visible case's output and stderr goes back to the learner. */
export const VISIBLE_STDERR_CHARS = 4000;

interface CaseVerdict {
  status: CaseStatus;
  got: string | undefined;
  diagnostics: string;
}

/** What the case produced, per grader: stdout, the call's repr(), or pytest's pass/fail. */
function produced(grader: Grader, c: GradeCase, o: CaseOutcome): string | undefined {
  if (grader === 'pytest') return o.value ? outputText(o.value) : 'fail';
  if (grader === 'call' && c.call !== undefined) return o.value ? outputText(o.value) : undefined;
  return outputText(o.stdout);
}

function verdict(grader: Grader, c: GradeCase, o: CaseOutcome): CaseVerdict {
  const stderr = outputText(o.stderr);
  // pytest's report goes to stdout: it is the learner's diagnostics there.
  const diagnostics = grader === 'pytest' ? `${outputText(o.stdout)}${stderr}` : stderr;
  const got = produced(grader, c, o);
  if (o.reason) return { status: o.reason, got, diagnostics };
  const crashed = o.signal !== null || o.exitCode !== 0;
  if (grader !== 'pytest' && crashed) return { status: 'error', got, diagnostics };
  if (got === undefined) {
    const note = 'The expression produced no value (did the code exit before it was evaluated?)';
    return { status: 'error', got, diagnostics: diagnostics ? `${diagnostics}\n${note}` : note };
  }
  if (!outputsMatch(got, c.expected)) return { status: 'wrong', got, diagnostics };
  if (c.maxSeconds !== undefined && o.durationMs > c.maxSeconds * 1000) return { status: 'too_slow', got, diagnostics };
  if (c.minSeconds !== undefined && o.durationMs < c.minSeconds * 1000) return { status: 'too_fast', got, diagnostics };
  return { status: 'ok', got, diagnostics };
}

/**
 * One case's result. Hidden cases carry only the verdict and the duration: neither what the code
 * printed nor what was expected goes back, so hidden cases cannot be probed one output at a time.
 */
export function gradeCase(grader: Grader, c: GradeCase, o: CaseOutcome, outputChars: number): CaseResult {
  const v = verdict(grader, c, o);
  const result: CaseResult = {
    name: c.name,
    hidden: c.hidden,
    // A passing case has status 'ok' (CaseStatus has no separate 'pass').
    passed: v.status === 'ok',
    status: v.status,
    durationMs: Math.round(o.durationMs),
  };
  if (!c.hidden) {
    result.got = head(v.got ?? '', outputChars);
    result.expected = c.expected;
    const diagnostics = o.note ? `${v.diagnostics}${v.diagnostics ? '\n' : ''}${o.note}` : v.diagnostics;
    if (diagnostics) result.stderr = tail(diagnostics, VISIBLE_STDERR_CHARS);
  }
  return result;
}

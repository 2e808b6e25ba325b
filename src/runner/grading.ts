import type { CaseResult, CaseStatus, CountRange, GradeCase, Grader, Observe } from '../contract/code-runs.js';
import type { CaseOutcome } from './execute.js';
import type { Observed } from './protocol.js';
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
  /** Which measured check failed, and what was measured. */
  why?: string;
}

/** What the case produced, per grader: stdout, the call's repr(), or pytest's pass/fail. */
function produced(grader: Grader, c: GradeCase, o: CaseOutcome): string | undefined {
  if (grader === 'pytest') return o.value ? outputText(o.value) : 'fail';
  if (grader === 'call' && c.call !== undefined) return o.value ? outputText(o.value) : undefined;
  return outputText(o.stdout);
}

/** How long the case took: the supervisor's measure, or the runner's when there is none. */
export function caseMs(o: CaseOutcome): number {
  return o.elapsedMs ?? o.durationMs;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function outOf(range: CountRange, seen: number): string | undefined {
  if (range.min !== undefined && seen < range.min) {
    return range.max === range.min ? `exactly ${range.min}` : `at least ${range.min}`;
  }
  if (range.max !== undefined && seen > range.max) {
    return range.max === range.min ? `exactly ${range.max}` : `at most ${range.max}`;
  }
  return undefined;
}

/**
 * The first observation check the case fails, as a sentence for the learner; undefined when all
 * hold. A check whose measure is missing (a case that never ended normally) fails.
 */
export function failedObservation(observe: Observe | undefined, observed: Observed | null): string | undefined {
  if (!observe) return undefined;
  const counts: Array<[CountRange | undefined, number | null | undefined, (want: string, seen: string) => string]> = [
    [observe.threads, observed?.threads, (want, seen) => `expected ${want} threads running at the same time, saw ${seen}`],
    [observe.processes, observed?.processes, (want, seen) => `expected ${want} child processes running at the same time, saw ${seen}`],
    [observe.started, observed?.started, (want, seen) => `expected ${want} threads or processes to be started, saw ${seen}`],
  ];
  for (const [range, seen, say] of counts) {
    if (!range) continue;
    if (seen === null || seen === undefined) return say(outOf(range, -1) ?? 'a measurable number of', 'none measured');
    const want = outOf(range, seen);
    if (want) return say(want, String(seen));
  }
  const perLabel: Array<
    [Record<string, CountRange> | undefined, keyof Observed['calls'][string], (label: string, want: string, seen: number) => string]
  > = [
    [observe.calls, 'calls', (label, want, seen) => `expected ${want} calls to ${label} to complete, saw ${seen}`],
    [observe.atOnce, 'peak', (label, want, seen) => `expected ${want} calls to ${label} in progress at the same time, saw ${seen}`],
    [observe.abandoned, 'abandoned', (label, want, seen) => `expected ${want} calls to ${label} to be given up before they finished, saw ${seen}`],
  ];
  for (const [ranges, field, say] of perLabel) {
    for (const [label, range] of Object.entries(ranges ?? {})) {
      const seen = observed?.calls[label]?.[field] ?? 0;
      const want = outOf(range, seen);
      if (want) return say(label, want, seen);
    }
  }
  return undefined;
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
  const method = failedObservation(c.observe, o.observed);
  if (method) return { status: 'method', got, diagnostics, why: method };
  const ms = caseMs(o);
  if (c.maxSeconds !== undefined && ms > c.maxSeconds * 1000) {
    return { status: 'too_slow', got, diagnostics, why: `took ${seconds(ms)}; the limit is ${c.maxSeconds} s` };
  }
  if (c.minSeconds !== undefined && ms < c.minSeconds * 1000) {
    return { status: 'too_fast', got, diagnostics, why: `took ${seconds(ms)}; it may not finish before ${c.minSeconds} s` };
  }
  return { status: 'ok', got, diagnostics };
}

/**
 * One case's result. A hidden case carries only whether it passed, its status and (when it failed)
 * its hint: not its name, position, duration or output, so that no submission can learn which
 * hidden case expects what and replay it.
 */
export function gradeCase(grader: Grader, c: GradeCase, o: CaseOutcome, outputChars: number): CaseResult {
  const v = verdict(grader, c, o);
  // A passing case has status 'ok' (CaseStatus has no separate 'pass').
  const passed = v.status === 'ok';
  if (c.hidden) {
    return { hidden: true, passed, status: v.status, ...(!passed && c.hint !== undefined && { hint: c.hint }) };
  }
  const result: CaseResult = {
    name: c.name,
    hidden: false,
    passed,
    status: v.status,
    durationMs: Math.round(caseMs(o)),
    got: head(v.got ?? '', outputChars),
    expected: c.expected,
  };
  const diagnostics = o.note ? `${v.diagnostics}${v.diagnostics ? '\n' : ''}${o.note}` : v.diagnostics;
  if (diagnostics) result.stderr = tail(diagnostics, VISIBLE_STDERR_CHARS);
  if (v.why) result.why = v.why;
  return result;
}

/** Hidden results in an order that says nothing about which case is which: passed first, then by status and hint. */
export function orderHidden(results: CaseResult[]): CaseResult[] {
  const key = (r: CaseResult) => `${r.passed ? 0 : 1}\u0000${r.status}\u0000${r.hint ?? ''}`;
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

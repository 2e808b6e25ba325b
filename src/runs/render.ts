import type { Block, FileAttachment, Message } from '../chat/reply.js';
import { code, note, text } from '../chat/reply.js';
import type { Challenge, Content } from '../content/types.js';
import type { CaseResult, CheckResult, GradeResult, RunResult, ToolStatus, TypeFinding } from '../contract/code-runs.js';
import type { Outcome, Submission } from './submissions.js';

/** How much output fits in a chat reply before the rest goes to an attached file. */
export const SHOW_LINES = 25;
export const SHOW_CHARS = 1200;
const LINE_CHARS = 160;

export interface Limits {
  timeoutSeconds: number;
  memoryMb: number;
  outputKb: number;
  /** /check: wall clock per tool and memory (the runner's SANDBOX_CHECK_* settings). */
  checkTimeoutSeconds: number;
  checkMemoryMb: number;
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
}

/** Characters that would garble a chat message; shown as visible symbols instead. */
function visible(s: string): string {
  return s
    .replace(/\u0000/g, '␀')
    .replace(/\r(?!\n)/g, '␍')
    .replace(/[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, (c) =>
      String.fromCharCode(0x2400 + (c.charCodeAt(0) === 0x7f ? 0x21 : c.charCodeAt(0))),
    );
}

/**
 * Line-numbered output cut to a readable size. `tail` keeps the end (tracebacks end with the
 * useful line), otherwise the beginning is kept.
 */
export function numbered(output: string, opts: { tail?: boolean } = {}): { shown: string; cut: boolean; lines: number } {
  const all = visible(output.replace(/\n$/, '')).split('\n');
  const width = String(all.length).length;
  let start = 0;
  let end = all.length;
  if (all.length > SHOW_LINES) {
    if (opts.tail) start = all.length - SHOW_LINES;
    else end = SHOW_LINES;
  }
  let picked = all.slice(start, end).map((l, i) => {
    const n = String(start + i + 1).padStart(width);
    return `${n} │ ${l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}…` : l}`;
  });
  let cut = start > 0 || end < all.length || all.some((l) => l.length > LINE_CHARS);
  while (picked.join('\n').length > SHOW_CHARS && picked.length > 1) {
    picked = opts.tail ? picked.slice(1) : picked.slice(0, -1);
    cut = true;
  }
  return { shown: picked.join('\n'), cut, lines: all.length };
}

function statusLine(r: RunResult, limits: Limits): string {
  const took = ms(r.durationMs);
  switch (r.status) {
    case 'ok':
      return `✅ **Finished** in ${took} (exit code 0)`;
    case 'timeout':
      return `⏱️ **Stopped at the time limit** (${limits.timeoutSeconds} s). Infinite loop, or waiting for input that never comes?`;
    case 'memory':
      return `🧠 **Stopped: memory limit reached** (${limits.memoryMb} MiB)`;
    case 'output_limit':
      return `📜 **Stopped: too much output** (over ${limits.outputKb} KiB); what came before the cut is below`;
    case 'error':
      if (r.signal) {
        const why = r.signal === 'SIGSEGV' ? ' (segmentation fault)' : r.signal === 'SIGKILL' ? ' (killed)' : '';
        return `💥 **Killed by ${r.signal}**${why} after ${took}`;
      }
      return `❌ **Exited with code ${r.exitCode ?? '?'}** after ${took}`;
  }
}

/** A free run's result: status line, stdout and stderr line-numbered and cut, full output attached. */
export function renderRunResult(r: RunResult, opts: { stdinGiven: boolean; limits: Limits; title?: string }): Message {
  const blocks: Block[] = [text(statusLine(r, opts.limits))];
  const files: FileAttachment[] = [];
  const section = (name: 'stdout' | 'stderr', out: string, truncated: boolean) => {
    if (!out) return;
    const n = numbered(out, { tail: name === 'stderr' });
    blocks.push(code(n.shown, 'text', name === 'stdout' ? 'Output' : 'Errors'));
    if (n.cut || truncated) {
      files.push({ name: `${name}.txt`, data: Buffer.from(out, 'utf8'), contentType: 'text/plain' });
      blocks.push(
        note(
          `${name}: ${n.lines} line${n.lines === 1 ? '' : 's'}${truncated ? `, cut at ${opts.limits.outputKb} KiB` : ''}` +
            ` — the full ${name} is attached as ${name}.txt`,
        ),
      );
    }
  };
  section('stdout', r.stdout, r.stdoutTruncated);
  section('stderr', r.stderr, r.stderrTruncated);
  if (!r.stdout && !r.stderr) blocks.push(note('(no output)'));
  if (!opts.stdinGiven && /EOFError: EOF when reading a line/.test(r.stderr)) {
    blocks.push(
      text(
        '💡 Your program called `input()`, but no input was given, so it read end-of-file. ' +
          'Add the input after your code in a second block marked `stdin`:\n```stdin\n42\n```',
      ),
    );
  }
  return { ...(opts.title !== undefined && { title: opts.title }), blocks, ...(files.length && { files }) };
}

const CASE_WHY: Record<CaseResult['status'], string> = {
  ok: 'passed',
  wrong: 'wrong output',
  error: 'raised an error',
  timeout: 'took too long',
  memory: 'ran out of memory',
  output_limit: 'printed too much',
  too_fast: 'finished sooner than allowed (is the limit enforced?)',
  too_slow: 'took longer than allowed (does it run concurrently?)',
  method: 'right output, but not done the way the challenge asks (measured from outside your code)',
};

/** The first line where two outputs differ, for a short diff. */
function firstDifference(expected: string, got: string): { line: number; expected: string; got: string } | undefined {
  const e = expected.split('\n');
  const g = got.split('\n');
  for (let i = 0; i < Math.max(e.length, g.length); i++) {
    if ((e[i] ?? '').trimEnd() !== (g[i] ?? '').trimEnd()) {
      const show = (line: string | undefined) => (line === undefined || line.trim() === '' ? '(nothing)' : line);
      return { line: i + 1, expected: show(e[i]), got: show(g[i]) };
    }
  }
  return undefined;
}

function clip(s: string, max = 300): string {
  const v = visible(s);
  return v.length > max ? `${v.slice(0, max)}…` : v;
}

export function renderGradeResult(
  r: GradeResult,
  challenge: Challenge | undefined,
  awarded: { points: number; streakDays?: number; firstPass: boolean },
): Message {
  const title = `Challenge: ${challenge?.title ?? r.challengeId}`;
  const passed = r.cases.filter((c) => c.passed).length;
  const head = r.passed
    ? `✅ **All ${r.cases.length} tests passed!**` +
      (awarded.points ? ` +${awarded.points} points` : awarded.firstPass ? '' : ' (you had already solved it, so no new points)') +
      (awarded.streakDays ? ` · 🔥 streak: ${awarded.streakDays} day${awarded.streakDays === 1 ? '' : 's'}` : '')
    : `❌ **${passed} of ${r.cases.length} tests passed.**`;
  const blocks: Block[] = [text(head)];
  const lines: string[] = [];
  for (const c of r.cases.filter((x) => !x.hidden)) {
    const outcome = c.passed ? ms(c.durationMs ?? 0) : `${CASE_WHY[c.status]}${c.why ? `: ${c.why}` : ''}`;
    lines.push(`${c.passed ? '✅' : '❌'} ${c.name ?? 'test'} — ${outcome}`);
  }
  if (lines.length) blocks.push(text(`**Visible tests**\n${lines.join('\n')}`));
  const failedVisible = r.cases.find((c) => !c.hidden && !c.passed);
  if (failedVisible) {
    const diff =
      failedVisible.status === 'wrong' && failedVisible.expected !== undefined && failedVisible.got !== undefined
        ? firstDifference(failedVisible.expected, failedVisible.got)
        : undefined;
    if (diff) {
      blocks.push(
        code(
          `line ${diff.line}\n- expected: ${clip(diff.expected)}\n+ got:      ${clip(diff.got)}`,
          'diff',
          `First difference in “${failedVisible.name ?? 'test'}”`,
        ),
      );
    } else if (failedVisible.stderr && !failedVisible.why) {
      blocks.push(code(numbered(failedVisible.stderr, { tail: true }).shown, 'text', `Errors in “${failedVisible.name ?? 'test'}”`));
    }
  }
  const hidden = r.cases.filter((c) => c.hidden);
  if (hidden.length) {
    // Hidden tests are told apart by nothing: passes first, failures as a tally of why (and the
    // hint their author wrote), never by name or position.
    const hp = hidden.filter((c) => c.passed).length;
    const tally = new Map<string, number>();
    for (const c of hidden.filter((x) => !x.passed)) {
      const line = `${CASE_WHY[c.status]}${c.hint ? ` — hint: ${c.hint}` : ''}`;
      tally.set(line, (tally.get(line) ?? 0) + 1);
    }
    const fails = [...tally.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([line, n]) => `❌ ${n > 1 ? `${n} × ` : ''}${line}`);
    blocks.push(
      text(
        `**Hidden tests** ${'✅'.repeat(hp)}${'❌'.repeat(hidden.length - hp)} (${hp} of ${hidden.length} passed)${fails.length ? `\n${fails.join('\n')}` : ''}`,
      ),
    );
    blocks.push(note('Hidden tests show no inputs, outputs, names or order: make your solution correct in general, not just for the examples.'));
  }
  return { title, blocks };
}

/** What /check says of its two tools when both have nothing to report. */
export const CHECK_CLEAN = 'mypy --strict: no issues · black: already formatted';
/** The name black's diff is attached under when it is too long to show. */
export const DIFF_FILE = 'reformatted.diff';

function mypyLine(f: TypeFinding): string {
  const said = `line ${f.line}: ${f.severity}: ${f.message}${f.code ? `  [${f.code}]` : ''}`;
  return visible(said.length > 400 ? `${said.slice(0, 400)}…` : said);
}

function toolStopped(tool: string, status: ToolStatus, limits: Limits): string | undefined {
  switch (status) {
    case 'timeout':
      return `⏱️ ${tool}: stopped at the time limit (${limits.checkTimeoutSeconds} s). Third-party imports take longest to analyse.`;
    case 'memory':
      return `🧠 ${tool}: stopped at the memory limit (${limits.checkMemoryMb} MiB)`;
    case 'failed':
      return `⚠️ ${tool} could not check this code`;
    default:
      return undefined;
  }
}

/**
 * A /check's answer: mypy's findings by line, then black's verdict with its diff (attached as a
 * file when too long to read in a chat message). No points: a check is a tool, not a test.
 */
export function renderCheckResult(r: CheckResult, limits: Limits): Message {
  const title = 'Check: mypy --strict · black';
  if (r.mypy.status === 'clean' && r.black.status === 'clean' && r.mypy.findings.length === 0) {
    return { title, blocks: [text(`✅ ${CHECK_CLEAN}`)] };
  }
  const blocks: Block[] = [];
  const files: FileAttachment[] = [];

  const m = r.mypy;
  const errors = m.findings.filter((f) => f.severity === 'error').length;
  const stopped = toolStopped('mypy --strict', m.status, limits);
  if (stopped) blocks.push(text(stopped));
  else if (m.status === 'clean') blocks.push(text('✅ mypy --strict: no issues'));
  else if (m.status === 'output_limit')
    blocks.push(text(`📜 mypy --strict: more findings than fit in ${limits.outputKb} KiB; the first ${m.findings.length} are listed`));
  else blocks.push(text(`❌ mypy --strict: ${errors} error${errors === 1 ? '' : 's'}`));
  if (m.findings.length) {
    const lines = m.findings.map(mypyLine);
    const picked: string[] = [];
    let chars = 0;
    for (const line of lines) {
      chars += line.length + 1;
      if (picked.length && (picked.length >= SHOW_LINES || chars > SHOW_CHARS)) break;
      picked.push(line);
    }
    const fits = picked.length === lines.length;
    blocks.push(code(picked.join('\n'), 'text', 'mypy --strict'));
    if (!fits) {
      files.push({ name: 'mypy.txt', data: Buffer.from(`${lines.join('\n')}\n`, 'utf8'), contentType: 'text/plain' });
      blocks.push(note(`${picked.length} of ${lines.length} findings shown — all of them are attached as mypy.txt`));
    }
  }
  if (m.detail && (m.status === 'failed' || m.status === 'findings')) {
    blocks.push(code(numbered(m.detail, { tail: true }).shown, 'text', 'mypy said'));
  }

  const b = r.black;
  const blackStopped = toolStopped('black', b.status, limits);
  if (blackStopped) blocks.push(text(blackStopped));
  else if (b.status === 'clean') blocks.push(text('✅ black: already formatted'));
  else if (b.status === 'unparsable') blocks.push(text('❌ black: cannot parse the code'));
  else if (b.status === 'output_limit') blocks.push(text(`✏️ black: would reformat (the diff is over ${limits.outputKb} KiB and was cut)`));
  else blocks.push(text('✏️ black: would reformat'));
  if (b.diff) {
    const diffLines = b.diff.replace(/\n$/, '').split('\n');
    if (diffLines.length <= SHOW_LINES && b.diff.length <= SHOW_CHARS && !b.truncated) {
      blocks.push(code(visible(b.diff.replace(/\n$/, '')), 'diff', 'black --diff'));
    } else {
      files.push({ name: DIFF_FILE, data: Buffer.from(b.diff, 'utf8'), contentType: 'text/x-diff' });
      blocks.push(note(`black's diff is ${diffLines.length} lines — attached as ${DIFF_FILE}`));
    }
  }
  if (b.detail && (b.status === 'unparsable' || b.status === 'failed')) {
    blocks.push(code(numbered(b.detail, { tail: true }).shown, 'text', 'black said'));
  }
  return { title, blocks, ...(files.length && { files }) };
}

/** The reply a learner sees at once: their code is queued, and where they are in the line. */
export function renderQueued(what: { challengeTitle?: string | undefined; checking?: boolean }, position: number): Message {
  const doing = what.checking
    ? 'Checking your code with mypy and black'
    : what.challengeTitle
      ? `Testing your solution to **${what.challengeTitle}**`
      : 'Running your code';
  return {
    blocks: [text(`⏳ ${doing}… ${position > 1 ? `(#${position} in the queue)` : ''}`.trim()), note('The result will appear here.')],
  };
}

/** What a learner still waiting reads where the result will appear: their place in the queue. */
export function renderWaiting(s: Submission, content: Content, at: { position: number; runnersUp: boolean }): Message {
  const title = s.challengeId ? content.challengeById.get(s.challengeId)?.title : undefined;
  const doing = s.kind === 'check' ? 'Checking your code with mypy and black' : title ? `Testing your solution to **${title}**` : 'Running your code';
  const where = at.position > 0 ? ` (#${at.position} in the queue)` : '';
  return {
    blocks: [
      text(`⏳ ${doing}…${where}`),
      note(
        at.runnersUp
          ? 'Still waiting for its turn; the result will appear here.'
          : 'No code runner is available right now; it stays in the queue and runs when one is back.',
      ),
    ],
  };
}

/** The chat message for a finished submission, whatever it came to. */
export function renderOutcome(s: Submission, outcome: Outcome, limits: Limits, content: Content): Message {
  if ('error' in outcome) {
    return {
      blocks: [
        text(`⚠️ **Code runner unavailable**: your code could not be run (${outcome.error}). Nothing was scored; please send it again in a minute.`),
      ],
    };
  }
  if (outcome.kind === 'run') return renderRunResult(outcome, { stdinGiven: Boolean(s.stdin), limits });
  if (outcome.kind === 'check') return renderCheckResult(outcome, limits);
  return renderGradeResult(outcome, content.challengeById.get(outcome.challengeId), {
    points: s.pointsAwarded,
    firstPass: s.pointsAwarded > 0,
    ...(s.streakDays !== null && { streakDays: s.streakDays }),
  });
}

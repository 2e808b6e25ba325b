import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/chat/reply.js';
import type { CheckResult } from '../../src/contract/code-runs.js';
import { CHECK_CLEAN, DIFF_FILE, renderCheckResult, type Limits } from '../../src/runs/render.js';

/** What a /check answer says for the outcomes the sandbox tests cannot make on demand. */
const limits: Limits = { timeoutSeconds: 5, memoryMb: 128, outputKb: 64, checkTimeoutSeconds: 10, checkMemoryMb: 256 };

function result(over: { mypy?: Partial<CheckResult['mypy']>; black?: Partial<CheckResult['black']> } = {}): CheckResult {
  return {
    kind: 'check',
    submissionId: 's1',
    mypy: { status: 'clean', findings: [], detail: '', truncated: false, durationMs: 400, ...over.mypy },
    black: { status: 'clean', diff: '', detail: '', truncated: false, durationMs: 30, ...over.black },
    durationMs: 500,
  };
}

describe('the /check answer', () => {
  it('says a clean snippet is clean in one line, with nothing attached', () => {
    const m = renderCheckResult(result(), limits);
    expect(plainText(m)).toContain(`✅ ${CHECK_CLEAN}`);
    expect(m.files).toBeUndefined();
  });

  it('lists the first findings and attaches all of them when there are many', () => {
    const findings = Array.from({ length: 40 }, (_, i) => ({
      line: i + 1,
      severity: 'error' as const,
      message: `Incompatible types in assignment (expression has type "str", variable has type "int")`,
      code: 'assignment',
    }));
    const m = renderCheckResult(result({ mypy: { status: 'findings', findings } }), limits);
    const text = plainText(m);
    expect(text).toContain('❌ mypy --strict: 40 errors');
    expect(text).toContain('line 1: error: Incompatible types in assignment (expression has type "str", variable has type "int")  [assignment]');
    expect(text).not.toContain('line 40: error');
    expect(text).toMatch(/\d+ of 40 findings shown — all of them are attached as mypy\.txt/);
    const file = m.files?.find((f) => f.name === 'mypy.txt');
    expect(file?.data.toString('utf8').trim().split('\n')).toHaveLength(40);
  });

  it('says when a tool ran out of time or memory, with the limit', () => {
    const text = plainText(renderCheckResult(result({ mypy: { status: 'timeout' }, black: { status: 'memory' } }), limits));
    expect(text).toContain('⏱️ mypy --strict: stopped at the time limit (10 s).');
    expect(text).toContain('🧠 black: stopped at the memory limit (256 MiB)');
  });

  it('shows why mypy could not check the code, and why black could not parse it', () => {
    const m = renderCheckResult(
      result({
        mypy: { status: 'failed', detail: 'RecursionError: maximum recursion depth exceeded' },
        black: { status: 'unparsable', detail: 'cannot parse: Cannot parse for target version Python 3.13: 1:11: def broken(:' },
      }),
      limits,
    );
    const text = plainText(m);
    expect(text).toContain('⚠️ mypy --strict could not check this code');
    expect(text).toContain('RecursionError: maximum recursion depth exceeded');
    expect(text).toContain('❌ black: cannot parse the code');
    expect(text).toContain('1:11: def broken(:');
  });

  it('shows a short diff inline and attaches a cut one', () => {
    const short = renderCheckResult(result({ black: { status: 'findings', diff: '--- main.py\n+++ main.py (black)\n-x=1\n+x = 1\n' } }), limits);
    expect(plainText(short)).toContain('+x = 1');
    expect(short.files).toBeUndefined();
    const cut = renderCheckResult(
      result({ black: { status: 'output_limit', diff: '--- main.py\n+++ main.py (black)\n-x=1\n', truncated: true } }),
      limits,
    );
    expect(plainText(cut)).toContain('✏️ black: would reformat (the diff is over 64 KiB and was cut)');
    expect(cut.files?.map((f) => f.name)).toEqual([DIFF_FILE]);
  });
});

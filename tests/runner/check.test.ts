import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/contract/code-runs.js';
import { parseMypyReport } from '../../src/runner/results.js';
import { py, useQueuedRunner } from './helpers.js';

/**
 * /check jobs through the queue, a runner and Docker: mypy --strict and black read the snippet in
 * the sandbox and run none of it.
 */
// A generous time limit: these tests are about what the tools find, on however busy a machine.
const queued = useQueuedRunner('check', { poolSize: 2, concurrency: 2, checkTimeoutSeconds: 60 });

let counter = 0;
async function check(code: string): Promise<CheckResult> {
  counter += 1;
  const data = { kind: 'check' as const, submissionId: `check-${process.pid}-${counter}`, code };
  const job = await queued().queue.add('check', data, { jobId: data.submissionId });
  const result = (await job.waitUntilFinished(queued().events, 120_000)) as CheckResult;
  expect(result.kind).toBe('check');
  return result;
}

describe.concurrent('type and style checks in the sandbox', () => {
  it('names the line, the message and the code of each type error', async () => {
    const r = await check(py`
      def add(a: int, b: int) -> int:
          return a + b


      total: str = add(1, 2)
    `);
    expect(r.mypy.status).toBe('findings');
    expect(r.mypy.findings).toEqual([
      {
        line: 5,
        severity: 'error',
        message: 'Incompatible types in assignment (expression has type "int", variable has type "str")',
        code: 'assignment',
      },
    ]);
    expect(r.black.status).toBe('clean');
    expect(r.black.diff).toBe('');
  });

  it('is strict: a function without annotations is an error', async () => {
    const r = await check('def double(x):\n    return x * 2\n');
    expect(r.mypy.findings).toContainEqual({ line: 1, severity: 'error', message: 'Function is missing a type annotation', code: 'no-untyped-def' });
  });

  it("gives black's diff for badly formatted code", async () => {
    const r = await check("x = {  'a':1,'b' :2 }\nprint( x )\n");
    expect(r.mypy.status).toBe('clean');
    expect(r.black.status).toBe('findings');
    expect(r.black.diff).toContain('--- main.py\n+++ main.py (black)\n');
    expect(r.black.diff).toContain('-x = {  \'a\':1,\'b\' :2 }\n-print( x )\n+x = {"a": 1, "b": 2}\n+print(x)\n');
  });

  it('says a clean snippet is clean', async () => {
    const r = await check(py`
      import asyncio
      from dataclasses import dataclass


      @dataclass
      class Point:
          x: int
          y: int


      async def main() -> Point:
          await asyncio.sleep(0)
          return Point(1, 2)
    `);
    expect(r.mypy).toMatchObject({ status: 'clean', findings: [], detail: '' });
    expect(r.black).toMatchObject({ status: 'clean', diff: '', detail: '' });
  });

  it('checks code that uses Pydantic, and reports an untyped package as mypy does', async () => {
    // mypy holds Pydantic's types in more memory than a free run's 128 MiB: this check needs the
    // container raised to the check limit.
    const r = await check(py`
      import requests
      from pydantic import BaseModel


      class Point(BaseModel):
          x: int


      origin = Point(x="zero")
    `);
    expect(r.mypy.status).toBe('findings');
    expect(r.mypy.findings.filter((f) => f.severity === 'error')).toEqual([
      { line: 1, severity: 'error', message: 'Library stubs not installed for "requests"', code: 'import-untyped' },
      { line: 9, severity: 'error', message: 'Argument "x" to "Point" has incompatible type "str"; expected "int"', code: 'arg-type' },
    ]);
    expect(r.mypy.detail).toBe('');
  });

  it('runs none of the code', async () => {
    // Run, this would exit at once with status 3; read, it is clean code.
    const r = await check('import os\n\nos._exit(3)\nprint("ran")\nwhile True:\n    pass\n');
    expect(r.mypy.status).toBe('clean');
    expect(r.black.status).toBe('clean');
  });

  it('reports code black cannot parse, and mypy its syntax error by line', async () => {
    const r = await check('def broken(:\n    pass\n');
    expect(r.black.status).toBe('unparsable');
    expect(r.black.detail).toMatch(/cannot parse/i);
    expect(r.mypy.status).toBe('findings');
    expect(r.mypy.findings[0]).toMatchObject({ line: 1, severity: 'error', code: 'syntax' });
  });
});

describe.concurrent('attacks on the checking tools', () => {
  it('plugins, an executable or a cache named in inline mypy comments are not used', async () => {
    // Were any of these honoured, mypy would fail to import the plugin, or run /bin/sh to ask it
    // for its search path, and say so instead of reporting the snippet's one error.
    const r = await check(py`
      # mypy: plugins=studybot_missing_plugin
      # mypy: python_executable=/bin/sh
      # mypy: cache_dir=/work/cache, strict=False
      count: int = "three"
    `);
    expect(r.mypy.status).toBe('findings');
    expect(r.mypy.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['assignment']);
    expect(r.mypy.detail).not.toMatch(/plugin|executable/i);
  });

  it('a pyproject.toml pasted as the snippet is read as Python, not as configuration', async () => {
    const r = await check('[tool.mypy]\nplugins = ["studybot_missing_plugin"]\n');
    expect(r.mypy.detail).not.toMatch(/plugin/i);
    expect(r.mypy.findings).toEqual([{ line: 1, severity: 'error', message: 'Name "tool" is not defined', code: 'name-defined' }]);
  });

  it('a flood of errors is cut at the output cap and still reported by line', async () => {
    const code = Array.from({ length: 900 }, (_, i) => `v${i}: int = ""`).join('\n');
    const r = await check(`${code}\n`);
    expect(r.mypy.status).toBe('output_limit');
    expect(r.mypy.truncated).toBe(true);
    expect(r.mypy.findings.length).toBeGreaterThan(100);
    expect(r.mypy.findings.length).toBeLessThan(900);
    expect(r.mypy.findings[0]).toMatchObject({ line: 1, code: 'assignment' });
  });
});

describe('reading a mypy report', () => {
  it('splits findings from other lines, keeping notes without a code', () => {
    const report = [
      'main.py:3: error: Name "y" is not defined  [name-defined]',
      'main.py:7: note: Revealed type is "builtins.int"',
      'main.py:9:5: error: Missing return statement  [return]',
      'mypy: error: something else',
    ].join('\n');
    expect(parseMypyReport(report)).toEqual({
      findings: [
        { line: 3, severity: 'error', message: 'Name "y" is not defined', code: 'name-defined' },
        { line: 7, severity: 'note', message: 'Revealed type is "builtins.int"' },
        { line: 9, severity: 'error', message: 'Missing return statement', code: 'return' },
      ],
      other: ['mypy: error: something else'],
    });
  });
});

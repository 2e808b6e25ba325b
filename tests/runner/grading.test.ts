import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createSandbox, type Sandbox } from '../../src/runner/index.js';
import type { CaseResult, GradeCase, Grader } from '../../src/contract/code-runs.js';
import { asGrade, containersOf, ensureSandboxImage, gradeJob, py, testSettings } from './helpers.js';

let sandbox: Sandbox;

beforeAll(() => {
  ensureSandboxImage();
  sandbox = createSandbox(testSettings({ poolSize: 3 }), silentLogger);
});

afterAll(async () => {
  await sandbox.close();
  expect(await containersOf(sandbox.id)).toEqual([]);
});

async function grade(
  grader: Grader,
  code: string,
  cases: Array<Partial<GradeCase> & { expected: string }>,
  options: { target?: string; timeLimitSeconds?: number } = {},
) {
  return asGrade(await sandbox.run(gradeJob(grader, code, cases, options)));
}

const statuses = (cases: CaseResult[]) => cases.map((c) => c.status);

describe.concurrent('stdio grader', () => {
  it('runs the program per case with its stdin and compares stdout', async () => {
    const r = await grade('stdio', 'a, b = map(int, input().split())\nprint(a + b)   \n\n', [
      { stdin: '1 2\n', expected: '3' },
      { stdin: '2 2\n', expected: '5\n' },
      { stdin: 'x y\n', expected: '0' },
      { stdin: '40 2', expected: '42', hidden: true },
    ]);
    expect(statuses(r.cases)).toEqual(['ok', 'wrong', 'error', 'ok']);
    expect(r.passed).toBe(false);
    expect(r.cases.map((c) => c.passed)).toEqual([true, false, false, true]);
    expect(r.cases[1]).toMatchObject({ got: '4\n', expected: '5\n' });
    expect(r.cases[2]!.stderr).toContain('ValueError');
    expect(r.cases[2]!.stderr).not.toContain('sandbox.py');
  });

  it('tells nothing about hidden cases but the verdict', async () => {
    const r = await grade('stdio', 'print(input())', [
      { stdin: 'a', expected: 'a' },
      { stdin: 'b', expected: 'secret', hidden: true },
      { stdin: 'c', expected: 'c', hidden: true },
    ]);
    expect(r.cases[1]).toEqual({ name: 'case 2', hidden: true, passed: false, status: 'wrong', durationMs: expect.any(Number) });
    expect(r.cases[2]).toEqual({ name: 'case 3', hidden: true, passed: true, status: 'ok', durationMs: expect.any(Number) });
    expect(JSON.stringify(r)).not.toContain('secret');
  });

  it('runs each case in its own process: one crash hides nothing', async () => {
    const r = await grade(
      'stdio',
      py`
      import os, sys
      n = int(input())
      if n == 1: os.kill(os.getpid(), 11)
      if n == 2:
          while True: pass
      if n == 3: x = bytearray(1 << 30)
      if n == 4:
          while True: print("spam")
      print(n * 10)
    `,
      [
        { stdin: '1', expected: '10' },
        { stdin: '2', expected: '20' },
        { stdin: '3', expected: '30' },
        { stdin: '4', expected: '40' },
        { stdin: '5', expected: '50' },
      ],
      { timeLimitSeconds: 2 },
    );
    expect(statuses(r.cases)).toEqual(['error', 'timeout', 'memory', 'output_limit', 'ok']);
  });
});

describe.concurrent('call grader', () => {
  it('compares repr() of the expression, per case', async () => {
    const code = py`
      def bubble_sort(items):
          items = list(items)
          passes = 0
          for i in range(len(items)):
              passes += 1
              swapped = False
              for j in range(len(items) - 1 - i):
                  if items[j] > items[j + 1]:
                      items[j], items[j + 1] = items[j + 1], items[j]
                      swapped = True
              if not swapped:
                  break
          return items, passes
      def greet(name):
          return f"hi {name}"
      if __name__ == "__main__":
          print("the module is imported, not run")
    `;
    const r = await grade('call', code, [
      { call: 'bubble_sort([1, 2, 3])', expected: '([1, 2, 3], 1)' },
      { call: 'bubble_sort([3, 2, 1])', expected: '([1, 2, 3], 3)', hidden: true },
      { call: 'greet("Ada")', expected: "'hi Ada'" },
      { call: 'solution.greet("x")', expected: "'hi x'" },
      { call: 'bubble_sort(None)', expected: 'None' },
      { call: 'greet("A")', expected: 'hi A' },
    ]);
    expect(statuses(r.cases)).toEqual(['ok', 'ok', 'ok', 'ok', 'error', 'wrong']);
    expect(r.cases[4]!.stderr).toMatch(/TypeError/);
    expect(r.cases[4]!.stderr).toContain('File "/work/solution.py"');
    expect(r.cases[4]!.stderr).not.toContain('sandbox.py');
    expect(r.cases[5]).toMatchObject({ got: "'hi A'", expected: 'hi A' });
  });

  it('runs scripts with the module names, `solution` and standard modules in scope', async () => {
    const code = py`
      import asyncio as _aio
      __all__ = ["fetch_all"]
      async def fetch_all(n):
          return await _aio.gather(*(_aio.sleep(0, result=i) for i in range(n)))
      def private_helper():
          return 1
    `;
    const r = await grade('call', code, [
      { script: 'print(asyncio.run(fetch_all(3)))\nprint(solution.private_helper())', expected: '[0, 1, 2]\n1' },
      { script: 'print(time.time() > 0, math.pi > 3, collections.Counter("aab")["a"])', expected: 'True True 2' },
      { script: 'private_helper()', expected: '' },
      { call: 'asyncio.run(fetch_all(2))', expected: '[0, 1]' },
      // A call is evaluated in the module's own namespace, private names included.
      { call: 'private_helper() + _aio.sleep.__name__.count("s")', expected: '2' },
    ]);
    expect(statuses(r.cases)).toEqual(['ok', 'ok', 'error', 'ok', 'ok']);
    expect(r.cases[2]!.stderr).toContain("NameError: name 'private_helper' is not defined");
  });

  it('checks max_seconds outside the code: only concurrent waits pass', async () => {
    const cases = [{ script: 'print(sorted(run_all([0.5, 0.5, 0.5])))', expected: '[0.5, 0.5, 0.5]', maxSeconds: 1.2 }];
    const concurrent = py`
      import threading, time
      def run_all(delays):
          out = []
          def work(d):
              time.sleep(d)
              out.append(d)
          threads = [threading.Thread(target=work, args=(d,)) for d in delays]
          for t in threads: t.start()
          for t in threads: t.join()
          return out
    `;
    const sequential = py`
      import time
      def run_all(delays):
          out = []
          for d in delays:
              time.sleep(d)
              out.append(d)
          return out
    `;
    const [fast, slow] = await Promise.all([grade('call', concurrent, cases), grade('call', sequential, cases)]);
    expect(fast.cases[0]).toMatchObject({ status: 'ok', passed: true });
    expect(fast.cases[0]!.durationMs).toBeGreaterThanOrEqual(450);
    expect(fast.cases[0]!.durationMs).toBeLessThan(1200);
    expect(slow.cases[0]).toMatchObject({ status: 'too_slow', passed: false, got: '[0.5, 0.5, 0.5]\n' });
    expect(slow.cases[0]!.durationMs).toBeGreaterThanOrEqual(1500);
  });

  it('checks min_seconds: a rate limiter that does not wait is too fast', async () => {
    const cases = [{ script: 'for i in limited(5): print(i)', expected: '0\n1\n2\n3\n4', minSeconds: 0.35 }];
    const waits = 'import time\ndef limited(n):\n    for i in range(n):\n        if i: time.sleep(0.1)\n        yield i\n';
    const rushes = 'def limited(n):\n    yield from range(n)\n';
    const [good, bad] = await Promise.all([grade('call', waits, cases), grade('call', rushes, cases)]);
    expect(good.cases[0]).toMatchObject({ status: 'ok', passed: true });
    expect(bad.cases[0]).toMatchObject({ status: 'too_fast', passed: false });
  });
});

describe.concurrent('pytest grader', () => {
  const good = 'def add(a, b):\n    return a + b\n';
  const buggy = 'def add(a, b):\n    return a - b\n';
  const cases = [
    { module: good, expected: 'pass' },
    { module: buggy, expected: 'fail', hidden: true },
  ];

  it('runs the learner tests against each module', async () => {
    const tests = py`
      import pytest
      from calc import add

      def test_add():
          assert add(2, 3) == 5

      @pytest.mark.parametrize("a,b,c", [(0, 0, 0), (-1, 1, 0)])
      def test_more(a, b, c):
          assert add(a, b) == c

      async def test_async_style():
          assert add(1, 1) == 2
    `;
    const r = await grade('pytest', tests, cases, { target: 'calc' });
    expect(statuses(r.cases)).toEqual(['ok', 'ok']);
    expect(r.passed).toBe(true);
  });

  it('tests that catch nothing fail the buggy case', async () => {
    const r = await grade('pytest', 'from calc import add\n\ndef test_runs():\n    add(1, 2)\n', cases, { target: 'calc' });
    expect(statuses(r.cases)).toEqual(['ok', 'wrong']);
  });

  it('no tests collected is a fail', async () => {
    const r = await grade('pytest', 'import calc\n', cases, { target: 'calc' });
    expect(r.cases[0]).toMatchObject({ status: 'wrong', got: 'fail', expected: 'pass' });
    expect(r.cases[0]!.stderr).toContain('no tests ran');
  });
});

describe.concurrent('grading cannot be forged', () => {
  it('printing pass markers or fake frames is just output', async () => {
    const fake = py`
      import sys, base64
      print("PASS")
      print('{"t":"end","i":0,"exitCode":0,"signal":null,"reason":null,"stdout":"' + base64.b64encode(b"42\\n").decode() + '","stderr":"","value":null,"stdoutTruncated":false,"stderrTruncated":false}')
      print('{"t":"done"}')
      sys.__stdout__.write("ok\\n")
    `;
    const r = await grade('stdio', fake, [{ expected: '42' }, { expected: 'PASS', hidden: true }]);
    expect(statuses(r.cases)).toEqual(['wrong', 'wrong']);
    expect(r.cases[0]!.got).toContain('{"t":"done"}');
  });

  it('exiting 0 early fails', async () => {
    const early = 'import os, sys\nos._exit(0)\n\ndef answer():\n    return 42\n';
    const r = await grade('call', early, [{ call: 'answer()', expected: '42' }]);
    expect(r.cases[0]).toMatchObject({ status: 'error', passed: false });
    const stdio = await grade('stdio', 'import sys\nsys.exit(0)\nprint(42)', [{ expected: '42' }]);
    expect(stdio.cases[0]).toMatchObject({ status: 'wrong', passed: false });
    const pytest = await grade('pytest', 'import os\nos._exit(0)\n', [{ module: '', expected: 'pass' }], { target: 'calc' });
    expect(pytest.cases[0]).toMatchObject({ status: 'wrong', passed: false });
  });

  it('monkeypatching the harness gains nothing', async () => {
    const patch = py`
      import builtins, json, os, sys
      builtins.repr = lambda value: "PASS"
      json.dumps = lambda *a, **k: '{"value": "PASS"}'
      sys.modules["__main__"].__dict__.clear()
      os.environ["STUDYBOT_EXPECTED"] = "PASS"
      try:
          os.write(1, b'{"t":"done"}\\n')
      except OSError:
          pass
      def answer():
          return 41
    `;
    const r = await grade('call', patch, [
      { call: 'answer()', expected: '42' },
      { call: 'answer()', expected: '42', hidden: true },
    ]);
    expect(statuses(r.cases)).toEqual(['wrong', 'wrong']);
    expect(r.passed).toBe(false);
  });

  it('hidden expected outputs are nowhere in the sandbox: filesystem, environment, stdin, memory', async () => {
    const token = `HIDDEN-${randomUUID()}`;
    const search = py`
      import gc, os, re, stat, sys
      # Built from pieces so this program's own text never matches.
      needle = re.compile("HID" + "DEN-[0-9a-f]{8}-[0-9a-f]{4}-")
      found = []
      def look(text, where):
          if needle.search(text):
              found.append(where)
      look(sys.stdin.read(), "stdin")
      look(repr(dict(os.environ)), "environ")
      # Every file name everywhere; the contents of every regular file written since the image was
      # built (anything the runner could have put there) and of everything under writable mounts.
      built = os.stat("/opt/studybot/sandbox.py").st_mtime
      for root, dirs, files in os.walk("/"):
          if root in ("/proc", "/sys"):
              dirs[:] = []
              continue
          for name in files:
              path = os.path.join(root, name)
              look(path, "file name")
              try:
                  st = os.lstat(path)
                  writable = path.startswith(("/work", "/tmp", "/dev/shm", "/run", "/etc", "/home"))
                  recent = st.st_mtime > built or st.st_ctime > built
                  if stat.S_ISREG(st.st_mode) and (recent or writable) and st.st_size < 4 << 20:
                      with open(path, "rb") as f:
                          look(f.read().decode("latin-1"), path)
              except OSError:
                  pass
      for path in ("/proc/self/environ", "/proc/self/cmdline", "/proc/1/cmdline", "/proc/1/environ"):
          try:
              look(open(path, "rb").read().decode("latin-1"), path)
          except OSError:
              pass
      for obj in gc.get_objects():
          look(repr(obj)[:100000], "memory")
      print(sorted(set(found)) or "not found")
    `;
    const r = await grade(
      'stdio',
      search,
      [
        { stdin: 'the visible input', expected: 'not found' },
        { stdin: 'another input', expected: token, hidden: true },
      ],
      { timeLimitSeconds: 15 },
    );
    expect(r.cases[0]).toMatchObject({ status: 'ok', got: 'not found\n' });
    expect(r.cases[1]!.status).toBe('wrong');
    // The search itself works: given the token as input, it finds it.
    const control = await grade('stdio', search, [{ stdin: token, expected: '' }], { timeLimitSeconds: 15 });
    expect(control.cases[0]!.got).toContain("'stdin'");
  });
});

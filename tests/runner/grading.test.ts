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

  it('tells nothing about a hidden case but whether it passed, its status and its hint', async () => {
    const r = await grade('stdio', 'print(input())', [
      { stdin: 'a', expected: 'a' },
      { stdin: 'b', expected: 'secret', hidden: true, name: 'HIDDEN-NAME-1', hint: 'think about one letter' },
      { stdin: 'c', expected: 'c', hidden: true, name: 'HIDDEN-NAME-2', hint: 'never shown: this case passes' },
    ]);
    expect(r.cases[0]).toMatchObject({ name: 'case 1', hidden: false, passed: true, got: 'a\n', expected: 'a' });
    // No name, no duration, no output; passes listed first, so the order says nothing either.
    expect(r.cases.slice(1)).toEqual([
      { hidden: true, passed: true, status: 'ok' },
      { hidden: true, passed: false, status: 'wrong', hint: 'think about one letter' },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/secret|HIDDEN-NAME|never shown/);
  });

  it('runs each case in its own process: one crash hides nothing', async () => {
    // A generous limit: the memory bomb and the flood need CPU, and the machine may be busy (the
    // infinite loop takes all of it).
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
      { timeLimitSeconds: 20 },
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
      { call: 'greet("Ada")', expected: "'hi Ada'" },
      { call: 'solution.greet("x")', expected: "'hi x'" },
      { call: 'bubble_sort(None)', expected: 'None' },
      { call: 'greet("A")', expected: 'hi A' },
      { call: 'bubble_sort([3, 2, 1])', expected: '([1, 2, 3], 3)', hidden: true },
    ]);
    expect(statuses(r.cases)).toEqual(['ok', 'ok', 'ok', 'error', 'wrong', 'ok']);
    expect(r.cases[3]!.stderr).toMatch(/TypeError/);
    expect(r.cases[3]!.stderr).toContain('File "/work/solution.py"');
    expect(r.cases[3]!.stderr).not.toMatch(/sandbox\.py|case\.py/);
    expect(r.cases[4]).toMatchObject({ got: "'hi A'", expected: 'hi A' });
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
    // Three waits of 1 s: together about 1 s, one after another 3 s; the limit sits well between.
    const cases = [{ script: 'print(sorted(run_all([1.0, 1.0, 1.0])))', expected: '[1.0, 1.0, 1.0]', maxSeconds: 2.5 }];
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
    expect(slow.cases[0]).toMatchObject({ status: 'too_slow', passed: false, got: '[1.0, 1.0, 1.0]\n' });
    expect(slow.cases[0]!.why).toMatch(/^took \d+\.\d\d s; the limit is 2\.5 s$/);
    // Measured, not assumed: the waits themselves bound both from below, and the sequential one
    // took at least the three waits.
    expect(fast.cases[0]!.durationMs).toBeGreaterThanOrEqual(950);
    expect(slow.cases[0]!.durationMs).toBeGreaterThanOrEqual(2950);
    expect(slow.cases[0]!.durationMs).toBeGreaterThan(fast.cases[0]!.durationMs!);
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

describe.concurrent("checks measured from outside the learner's process", () => {
  it('threads alive at the same time, and threads started', async () => {
    // Threads that live long enough to overlap however busy the machine is.
    const cases = [
      {
        script: 'print(run_all([1.5, 1.5, 1.5, 1.5]))',
        expected: '[1.5, 1.5, 1.5, 1.5]',
        observe: { threads: { min: 4 }, started: { min: 4, max: 4 } },
      },
    ];
    const threaded = py`
      import threading, time
      def run_all(delays):
          out = []
          threads = [threading.Thread(target=lambda d=d: (time.sleep(d), out.append(d))) for d in delays]
          for t in threads: t.start()
          for t in threads: t.join()
          return out
    `;
    const inline = py`
      import time
      def run_all(delays):
          time.sleep(max(delays))
          return list(delays)
    `;
    const tooMany = py`
      import threading, time
      def run_all(delays):
          extra = [threading.Thread(target=time.sleep, args=(1.5,)) for _ in range(6)]
          for t in extra: t.start()
          for t in extra: t.join()
          return list(delays)
    `;
    const [good, none, many] = await Promise.all([grade('call', threaded, cases), grade('call', inline, cases), grade('call', tooMany, cases)]);
    expect(good.cases[0]).toMatchObject({ status: 'ok', passed: true });
    expect(none.cases[0]).toMatchObject({ status: 'method', passed: false, got: '[1.5, 1.5, 1.5, 1.5]\n' });
    expect(none.cases[0]!.why).toBe('expected at least 4 threads running at the same time, saw 0');
    expect(many.cases[0]).toMatchObject({ status: 'method', why: 'expected exactly 4 threads or processes to be started, saw 6' });
  });

  it('child processes alive at the same time', async () => {
    const cases = [{ call: 'squares(6)', expected: '[0, 1, 4, 9, 16, 25]', observe: { processes: { min: 2, max: 2 } } }];
    const pool = py`
      import time
      from multiprocessing import Pool
      def square(x):
          time.sleep(0.2)
          return x * x
      def squares(n):
          with Pool(2) as p:
              return p.map(square, range(n))
    `;
    const local = 'def squares(n):\n    return [x * x for x in range(n)]\n';
    const [good, bad] = await Promise.all([grade('call', pool, cases, { timeLimitSeconds: 20 }), grade('call', local, cases)]);
    expect(good.cases[0]).toMatchObject({ status: 'ok', passed: true });
    expect(bad.cases[0]).toMatchObject({ status: 'method', why: 'expected exactly 2 child processes running at the same time, saw 0' });
  });

  it("probe calls: how many, how many at once, how many given up, on the supervisor's clock", async () => {
    // The script's "work" is a call the supervisor holds for 3 s of its own time; the learner gives
    // up on each after 1 s, time enough for all five to be under way at once on a busy machine
    // (0.3 s was not: a loaded machine can start the fifth call after the first gave up).
    const script = py`
      async def work(i):
          await probe.ahold("work", 3.0)
          return i
      print(asyncio.run(fetch(work, 5, 1.0)))
    `;
    const cases = [
      {
        script,
        expected: "['late', 'late', 'late', 'late', 'late']",
        observe: { atOnce: { work: { min: 5 } }, abandoned: { work: { min: 5, max: 5 } }, calls: { work: { max: 0 } } },
      },
    ];
    const concurrent = py`
      import asyncio
      async def fetch(work, n, timeout):
          async def one(i):
              try:
                  return await asyncio.wait_for(work(i), timeout)
              except TimeoutError:
                  return "late"
          return await asyncio.gather(*(one(i) for i in range(n)))
    `;
    // Knows the answer without waiting: no call is made at all.
    const guess = 'async def fetch(work, n, timeout):\n    return ["late"] * n\n';
    // Waits for every call, one after another, and then answers.
    const patient = py`
      async def fetch(work, n, timeout):
          for i in range(n):
              await work(i)
          return ["late"] * n
    `;
    const [good, guessed, waited] = await Promise.all([
      grade('call', concurrent, cases),
      grade('call', guess, cases),
      grade('call', patient, cases, { timeLimitSeconds: 30 }),
    ]);
    // A failure says what the supervisor measured.
    expect(good.cases[0], good.cases[0]!.why).toMatchObject({ status: 'ok', passed: true });
    expect(guessed.cases[0]).toMatchObject({ status: 'method', why: 'expected at least 5 calls to work in progress at the same time, saw 0' });
    expect(waited.cases[0]).toMatchObject({ status: 'method', why: 'expected at most 0 calls to work to complete, saw 5' });
  });

  it("a probe hold lasts its time on the supervisor's clock, whatever the learner does to time", async () => {
    const script = py`
      def job():
          probe.hold("io", 0.5)
      print(run(job, 3))
    `;
    const cases = [{ script, expected: '3', minSeconds: 1.4, observe: { calls: { io: { min: 3, max: 3 } } } }];
    // Sequential, with every clock the interpreter has sped up a hundredfold.
    const hurried = py`
      import time, asyncio
      _real = time.monotonic
      time.monotonic = lambda: _real() * 100
      time.time = lambda: _real() * 100
      time.sleep = lambda s: None
      def run(job, n):
          for _ in range(n):
              job()
          return n
    `;
    const r = await grade('call', hurried, cases);
    expect(r.cases[0]).toMatchObject({ status: 'ok', passed: true });
    expect(r.cases[0]!.durationMs).toBeGreaterThanOrEqual(1400);
  });
});

// A pytest session needs a second or more of CPU per case; the limit is generous for a busy machine.
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
    const r = await grade('pytest', tests, cases, { target: 'calc', timeLimitSeconds: 20 });
    expect(statuses(r.cases)).toEqual(['ok', 'ok']);
    expect(r.passed).toBe(true);
  });

  it('tests that catch nothing fail the buggy case', async () => {
    const r = await grade('pytest', 'from calc import add\n\ndef test_runs():\n    add(1, 2)\n', cases, { target: 'calc', timeLimitSeconds: 20 });
    expect(statuses(r.cases)).toEqual(['ok', 'wrong']);
  });

  it('no tests collected is a fail', async () => {
    const r = await grade('pytest', 'import calc\n', cases, { target: 'calc', timeLimitSeconds: 20 });
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
    const pytest = await grade('pytest', 'import os\nos._exit(0)\n', [{ module: '', expected: 'pass' }], { target: 'calc', timeLimitSeconds: 20 });
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

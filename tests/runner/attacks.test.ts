import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GradeCase, GradeResult, Grader, RunJobData, RunJobResult, RunResult } from '../../src/contract/code-runs.js';
import { asGrade, asRun, gradeJob, py, runJob, useQueuedRunner } from './helpers.js';

/**
 * Attacks on grading and on other learners' runs, each a real submission through the queue, a runner
 * and Docker. Every one of them worked before grading moved out of the learner's reach (issue 10);
 * each must now fail to pass, or fail to interfere. None of them depends on how fast the machine is.
 */
const queued = useQueuedRunner('attacks', { poolSize: 2, concurrency: 3 });

async function submit(data: RunJobData): Promise<RunJobResult> {
  const job = await queued().queue.add(data.kind, data, { jobId: data.submissionId });
  return job.waitUntilFinished(queued().events, 120_000);
}

async function grade(
  grader: Grader,
  code: string,
  cases: Array<Partial<GradeCase> & { expected: string }>,
  options: { target?: string; timeLimitSeconds?: number } = {},
): Promise<GradeResult> {
  return asGrade(await submit(gradeJob(grader, code, cases, { timeLimitSeconds: 10, ...options })));
}

async function run(code: string, timeLimitSeconds = 10): Promise<RunResult> {
  return asRun(await submit(runJob(code, { timeLimitSeconds })));
}

describe.concurrent("checks inside the learner's process cannot be patched", () => {
  it('replacing threading.active_count does not hide threads still running', async () => {
    // Each worker records its name, then lingers; the function returns once every name is in.
    const attack = py`
      import threading, time
      threading.active_count = lambda: 1
      threading.enumerate = lambda: [threading.main_thread()]
      def run_workers(jobs):
          done = []
          def work(name, delay):
              time.sleep(delay)
              done.append(name)
              time.sleep(1.0)
          for name, delay in jobs:
              threading.Thread(target=work, args=(name, delay)).start()
          while len(done) < len(jobs):
              time.sleep(0.01)
          return done
    `;
    const script = 'names = run_workers([("late", 0.3), ("early", 0.05)])\nprint(names)\nprint("threads alive:", threading.active_count())';
    const r = await grade('call', attack, [{ script, expected: "['early', 'late']\nthreads alive: 1" }]);
    expect(r.cases[0]).toMatchObject({ status: 'wrong', passed: false, got: "['early', 'late']\nthreads alive: 3\n" });
  });

  it('speeding up time.sleep, asyncio.sleep and every clock does not make sequential work concurrent', async () => {
    const attack = py`
      import asyncio, time
      _real = time.monotonic
      time.monotonic = lambda: _real() * 50
      time.perf_counter = time.monotonic
      time.time = lambda: _real() * 50
      time.sleep = lambda seconds: None
      _sleep = asyncio.sleep
      async def _fast(delay, result=None):
          return await _sleep(0, result)
      asyncio.sleep = _fast
      async def fetch_all(fetch, urls):
          return [await fetch(url) for url in urls]
    `;
    // The script's fetch takes 0.3 s of the supervisor's time, which no clock in the learner's process moves.
    const script = py`
      async def fetch(url):
          await probe.ahold("fetch", 0.3)
          return url.upper()
      print(asyncio.run(fetch_all(fetch, ["a", "b", "c", "d"])))
    `;
    const r = await grade('call', attack, [
      { script, expected: "['A', 'B', 'C', 'D']", maxSeconds: 0.9, observe: { atOnce: { fetch: { min: 4 } }, calls: { fetch: { min: 4, max: 4 } } } },
    ]);
    expect(r.cases[0]).toMatchObject({
      status: 'method',
      passed: false,
      why: 'expected at least 4 calls to fetch in progress at the same time, saw 1',
    });
    expect(r.cases[0]!.durationMs).toBeGreaterThanOrEqual(1150);
  });

  it("a script's own sleeps and clocks are the real ones, whatever the module rebinds", async () => {
    const attack = py`
      import time, asyncio, os
      time.sleep = lambda s: None
      asyncio.sleep = None
      os.getpid = lambda: 1
      def nothing():
          return None
    `;
    const script = py`
      t0 = time.monotonic()
      time.sleep(0.2)
      asyncio.run(asyncio.sleep(0.1))
      nothing()
      print(round(time.monotonic() - t0, 1) >= 0.3, os.getpid() != 1)
    `;
    const r = await grade('call', attack, [{ script, expected: 'True True' }]);
    expect(r.cases[0]).toMatchObject({ status: 'ok', passed: true });
  });

  it("names the module defines do not replace the script's modules or builtins", async () => {
    const attack = py`
      import types
      threading = types.SimpleNamespace(active_count=lambda: 1)
      time = types.SimpleNamespace(sleep=lambda s: None, monotonic=lambda: 0)
      def print(*args, **kwargs):
          import builtins
          builtins.print("PASS")
      len = lambda x: 3
      sorted = lambda x, **k: ["a", "b", "c"]
      def lingering():
          import threading as real
          real.Thread(target=__import__("time").sleep, args=(0.5,)).start()
    `;
    const script = 'lingering()\nprint(threading.active_count(), len([1]), sorted(["z", "y"]))';
    const r = await grade('call', attack, [{ script, expected: "1 3 ['a', 'b', 'c']" }]);
    expect(r.cases[0]).toMatchObject({ status: 'wrong', got: "2 1 ['y', 'z']\n" });
  });

  it('rewriting sys.stdout, print or repr in the module does not change what the script reports', async () => {
    const attack = py`
      import builtins, sys
      class Rewriter:
          def __init__(self, inner):
              self.inner = inner
          def write(self, text):
              return self.inner.write(text.replace("False", "True"))
          def flush(self):
              self.inner.flush()
      sys.stdout = Rewriter(sys.stdout)
      _print = builtins.print
      builtins.print = lambda *a, **k: _print(*[str(x).replace("False", "True") for x in a], **k)
      builtins.repr = lambda value: "True"
      def is_sorted(items):
          return False
    `;
    const r = await grade('call', attack, [
      { script: 'print(is_sorted([1, 2]))', expected: 'True' },
      { call: 'is_sorted([1, 2])', expected: 'True' },
    ]);
    expect(r.cases.map((c) => [c.status, c.got])).toEqual([
      ['wrong', 'False\n'],
      ['wrong', 'False'],
    ]);
  });

  it('intercepting the spy the script assigns to the module only means doing the work', async () => {
    // The module refuses the spy and calls it one call at a time, as if it were the real thing.
    const attack = py`
      import sys, types
      class Guarded(types.ModuleType):
          def __setattr__(self, name, value):
              if name == "fetch":
                  super().__setattr__("_spy", value)
                  return
              super().__setattr__(name, value)
      sys.modules[__name__].__class__ = Guarded
      async def fetch(url):
          return url.upper()
      async def fetch_all(urls):
          spy = getattr(sys.modules[__name__], "_spy", None)
          out = []
          for url in urls:
              out.append(await (spy or fetch)(url))
          return out
    `;
    const script = py`
      async def fetch(url):
          await probe.ahold("fetch", 0.2)
          return url.upper()
      solution.fetch = fetch
      print(asyncio.run(fetch_all(["x", "y", "z"])))
    `;
    const r = await grade('call', attack, [{ script, expected: "['X', 'Y', 'Z']", observe: { atOnce: { fetch: { min: 3 } } } }]);
    expect(r.cases[0]).toMatchObject({ status: 'method', why: 'expected at least 3 calls to fetch in progress at the same time, saw 1' });
  });
});

describe.concurrent('a verdict the learner can write is no verdict', () => {
  it('writing {"memoryError": true} to fd 3 and exiting 0 is a program that finished normally', async () => {
    const r = await run('import os\nos.write(3, b\'{"memoryError": true}\')\nprint("done")');
    expect(r).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'done\n' });
  });

  it("descriptors the harness used before the learner's code are closed", async () => {
    const r = await run(py`
      import os
      for fd in (4, 5, 6):
          try:
              os.write(fd, b".")
              print(fd, "open")
          except OSError:
              print(fd, "closed")
    `);
    expect(r.stdout).toBe('4 closed\n5 closed\n6 closed\n');
  });

  it("a stdio case's status comes from its exit, not from what it writes on fd 3", async () => {
    const attack = 'import os, sys\nos.write(3, b\'{"memoryError": true, "value": "42"}\')\nprint(41)\nsys.exit(3)\n';
    const r = await grade('stdio', attack, [{ expected: '41' }]);
    expect(r.cases[0]).toMatchObject({ status: 'error', passed: false });
  });
});

describe.concurrent('cases cannot tell themselves apart', () => {
  it("a case finds no other case's input anywhere in its interpreter, its frames or its memory", async () => {
    const marker = `HIDDEN-INPUT-${randomUUID()}`;
    const search = py`
      import gc, re, sys
      def look():
          # Built so that the pattern's own text never matches it.
          text = re.compile("HIDDEN-" + "INPUT-[0-9a-f]{8}-[0-9a-f]{4}")
          needle = re.compile(text.pattern.encode())
          found = set()
          frame = sys._getframe()
          while frame is not None:
              for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
                  if text.search(repr(value)[:1_000_000]):
                      found.add("frame " + frame.f_code.co_name)
              frame = frame.f_back
          for obj in gc.get_objects():
              try:
                  if text.search(repr(obj)[:100_000]):
                      found.add("object")
              except Exception:
                  pass
          with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
              for line in maps:
                  span, perms = line.split()[:2]
                  if "r" not in perms or "[vvar" in line or "[vsyscall" in line:
                      continue
                  start, end = (int(x, 16) for x in span.split("-"))
                  try:
                      mem.seek(start)
                      if needle.search(mem.read(end - start)):
                          found.add("memory")
                  except (OSError, OverflowError, ValueError):
                      pass
          return sorted(found)
    `;
    const r = await grade(
      'call',
      search,
      [
        { call: 'look()', expected: '[]' },
        { call: `None if "${marker}" else look()`, expected: 'None', hidden: true },
      ],
      { timeLimitSeconds: 20 },
    );
    expect(r.cases[0]).toMatchObject({ status: 'ok', got: '[]' });
    // The search works: in the case whose own input carries the marker, it finds it.
    const control = await grade('call', search, [{ call: `look() if "${marker}" else None`, expected: '' }], { timeLimitSeconds: 20 });
    expect(control.cases[0]!.got).toContain('memory');
  });

  it('nothing a case leaves behind reaches the next one: files, queues, shared memory, processes', async () => {
    const leave = py`
      import ctypes, os, subprocess
      libc = ctypes.CDLL(None, use_errno=True)
      libc.mq_open.restype = ctypes.c_int
      def visit():
          seen = []
          for path in ("/tmp/count", "/work/count", "/dev/shm/count", "/var/tmp/count"):
              try:
                  n = int(open(path).read()) + 1
              except (OSError, ValueError):
                  n = 1
              try:
                  open(path, "w").write(str(n))
              except OSError:
                  n = "-"
              seen.append(n)
          # A POSIX message queue and a System V shared memory segment, both keyed by name.
          seen.append(len(os.listdir("/dev/mqueue")) + 1)
          libc.mq_open(b"/count", os.O_CREAT | os.O_RDWR, 0o600, None)
          shm = libc.shmget(0x5EED, 4096, 0o600)
          seen.append(2 if shm >= 0 else 1)
          libc.shmget(0x5EED, 4096, 0o1000 | 0o600)
          # A process that would outlive the case, and a locked-down directory tree.
          others = 0
          for p in os.listdir("/proc"):
              try:
                  others += p.isdigit() and b"sleep" in open(f"/proc/{p}/cmdline", "rb").read()
              except OSError:
                  pass
          seen.append(others + 1)
          subprocess.Popen(["sleep", "1000"], start_new_session=True)
          os.makedirs("/work/deep/" + "/".join(["d"] * 50), exist_ok=True)
          seen.append(2 if os.path.exists("/work/deep/locked") else 1)
          open("/work/deep/locked", "w").close()
          os.chmod("/work/deep/d", 0)
          os.chmod("/work/deep", 0o500)
          return seen
    `;
    const r = await grade(
      'call',
      leave,
      Array.from({ length: 4 }, () => ({ call: 'visit()', expected: "[1, 1, 1, '-', 1, 1, 1, 1]" })),
    );
    expect(r.cases.map((c) => c.got)).toEqual(Array(4).fill("[1, 1, 1, '-', 1, 1, 1, 1]"));
  });

  it('a case sees nothing that tells it where it runs: identical cases find identical surroundings', async () => {
    // What a case can see above its module: the harness's frames and their simple values.
    const probeFrames = py`
      import sys
      def where():
          seen = []
          frame = sys._getframe(1)
          while frame is not None:
              values = []
              for name, value in sorted(frame.f_locals.items()):
                  if isinstance(value, (int, str, bytes, bool)) and not isinstance(value, bool) or value is None:
                      values.append(f"{name}={value!r}"[:80])
              seen.append(frame.f_code.co_name + "(" + ",".join(values) + ")")
              frame = frame.f_back
          with open("/proc/self/status") as f:
              ppid = [l for l in f if l.startswith("PPid")][0].split()[1]
          return " > ".join(seen) + " ppid=" + ppid
    `;
    const r = await grade(
      'call',
      probeFrames,
      Array.from({ length: 3 }, () => ({ call: 'where()', expected: '' })),
    );
    const seen = r.cases.map((c) => c.got);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).not.toMatch(/\bi=\d|index|case=/);
  });

  it('a test-writing challenge is not passed by tests that pass everything, and hidden results cannot be told apart', async () => {
    const correct = 'def add(a, b):\n    return a + b\n';
    const cases = [
      { module: correct, expected: 'pass' },
      { module: 'def add(a, b):\n    return a - b\n', expected: 'fail', hidden: true, name: 'minus' },
      { module: 'def add(a, b):\n    return a * b\n', expected: 'fail', hidden: true, name: 'times' },
      { module: 'def add(a, b):\n    return b + a\n', expected: 'pass', hidden: true, name: 'swapped' },
    ];
    const lazy = 'def test_anything():\n    assert True\n';
    const [first, second] = await Promise.all([
      grade('pytest', lazy, cases, { target: 'calc', timeLimitSeconds: 30 }),
      grade('pytest', lazy, cases, { target: 'calc', timeLimitSeconds: 30 }),
    ]);
    expect(first.passed).toBe(false);
    // Run twice (in different random orders), the hidden results are the same list: passes first,
    // no names, no durations, nothing to match a result to a case.
    expect(first.cases.slice(1)).toEqual([
      { hidden: true, passed: true, status: 'ok' },
      { hidden: true, passed: false, status: 'wrong' },
      { hidden: true, passed: false, status: 'wrong' },
    ]);
    expect(second.cases.slice(1)).toEqual(first.cases.slice(1));
    expect(JSON.stringify(first)).not.toMatch(/minus|times|swapped/);
  });

  it('killing or stopping the clean interpreter spoils nothing for the cases after it', async () => {
    const attack = py`
      import os, signal
      def strike(how):
          me, parents = os.getpid(), set()
          for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
              if pid in (1, me):
                  continue
              try:
                  cmd = open(f"/proc/{pid}/cmdline", "rb").read()
              except OSError:
                  continue
              if b"case.py" in cmd:
                  os.kill(pid, signal.SIGKILL if how == "kill" else signal.SIGSTOP)
                  parents.add(how)
          return sorted(parents)
      def fine():
          return "fine"
    `;
    const r = await grade('call', attack, [
      { call: 'strike("stop")', expected: "['stop']" },
      { call: 'fine()', expected: "'fine'" },
      { call: 'strike("kill")', expected: "['kill']" },
      { call: 'fine()', expected: "'fine'" },
    ]);
    expect(r.cases.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('flooding the probe or taking its address does not break the sandbox', async () => {
    const attack = py`
      import socket
      def flood():
          held = []
          for _ in range(600):
              s = socket.socket(socket.AF_UNIX)
              try:
                  s.connect("\\0studybot-probe")
                  held.append(s)
              except OSError:
                  break
          taken = socket.socket(socket.AF_UNIX)
          try:
              taken.bind("\\0studybot-probe")
              return "bound"
          except OSError:
              return "in use"
    `;
    const r = await grade('call', attack, [
      { call: 'flood()', expected: "'in use'" },
      { script: 'probe.hold("after", 0.1)\nprint("ok")', expected: 'ok', observe: { calls: { after: { min: 1, max: 1 } } } },
    ]);
    expect(r.cases.map((c) => c.status)).toEqual(['ok', 'ok']);
  });

  it('learner code cannot take back the priority the sandbox keeps over it', async () => {
    // The sandbox samples threads and processes and keeps the deadline from a process that must get
    // the CPU before the learner's code does: a busy case cannot starve it by raising its own.
    const attack = py`
      import os
      def climb():
          tried = []
          for how in (lambda: os.nice(-10), lambda: os.setpriority(os.PRIO_PROCESS, 0, 0), lambda: os.setpriority(os.PRIO_PGRP, 0, -5)):
              try:
                  how()
                  tried.append("raised")
              except PermissionError:
                  tried.append("refused")
          return os.getpriority(os.PRIO_PROCESS, 0), tried
    `;
    const r = await grade('call', attack, [{ call: 'climb()', expected: "(10, ['refused', 'refused', 'refused'])" }]);
    expect(r.cases[0]).toMatchObject({ status: 'ok', got: "(10, ['refused', 'refused', 'refused'])" });
  });
});

describe('runs cannot touch each other', () => {
  it('one run holding every inotify instance its user may have does not starve another run', async () => {
    // A takes inotify instances until the kernel refuses (the per-user limit), holds them, then
    // lets go; B, started while A holds them, needs one. Both report the system-wide monotonic
    // clock, so the test knows B's attempt fell inside A's hold.
    const hog = py`
      import ctypes, os, time
      libc = ctypes.CDLL(None, use_errno=True)
      held = []
      while len(held) < 4096:
          fd = libc.inotify_init()
          if fd < 0:
              break
          held.append(fd)
      print(len(held), ctypes.get_errno(), time.monotonic(), os.getuid(), flush=True)
      time.sleep(6)
      print(time.monotonic())
    `;
    const needy = py`
      import ctypes, os, time
      libc = ctypes.CDLL(None, use_errno=True)
      fd = libc.inotify_init()
      print(fd >= 0, ctypes.get_errno(), time.monotonic(), os.getuid())
    `;
    for (let attempt = 1; ; attempt += 1) {
      const hogJob = runJob(hog, { timeLimitSeconds: 20 });
      const hogDone = submit(hogJob);
      const added = await queued().queue.getJob(hogJob.submissionId);
      while ((await added!.getState()) !== 'active') await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 2_500));
      const b = asRun(await submit(runJob(needy)));
      const a = asRun(await hogDone);
      const [count, errno, heldAt, hogUid] = a.stdout.split('\n')[0]!.split(' ');
      const releasedAt = Number(a.stdout.split('\n')[1]);
      const [ok, needErrno, triedAt, needUid] = b.stdout.trim().split(' ');
      // EMFILE: A reached its user's limit (128 by default), so the limit was really in play.
      expect(errno).toBe('24');
      expect(Number(count)).toBeGreaterThan(0);
      expect(hogUid).not.toBe(needUid);
      if (!(Number(triedAt) > Number(heldAt) && Number(triedAt) < releasedAt) && attempt < 3) continue;
      expect(Number(triedAt)).toBeGreaterThan(Number(heldAt));
      expect(Number(triedAt)).toBeLessThan(releasedAt);
      expect([ok, needErrno]).toEqual(['True', '0']);
      return;
    }
  }, 180_000);
});

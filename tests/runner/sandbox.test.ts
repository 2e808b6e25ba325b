import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createSandbox, type Sandbox } from '../../src/runner/index.js';
import { asRun, containersOf, ensureSandboxImage, py, runJob, testSettings } from './helpers.js';

let sandbox: Sandbox;

beforeAll(() => {
  ensureSandboxImage();
  sandbox = createSandbox(testSettings({ poolSize: 2 }), silentLogger);
});

afterAll(async () => {
  await sandbox.close();
  expect(await containersOf(sandbox.id)).toEqual([]);
});

const run = async (code: string, options: { stdin?: string; timeLimitSeconds?: number } = {}) => asRun(await sandbox.run(runJob(code, options)));

describe.concurrent('free runs', () => {
  it('prints, reads stdin and reports the exit', async () => {
    const r = await run(
      py`
      name = input()
      print(f"hello {name}")
      print(input())
    `,
      { stdin: 'Ada\nsecond line\n' },
    );
    expect(r).toMatchObject({ status: 'ok', stdout: 'hello Ada\nsecond line\n', stderr: '', exitCode: 0, signal: null });
    expect(r.stdoutTruncated || r.stderrTruncated).toBe(false);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.durationMs).toBeLessThan(5_000);
  });

  it('gives empty stdin as end-of-file', async () => {
    const r = await run('import sys\nprint(repr(sys.stdin.read()))');
    expect(r.stdout).toBe("''\n");
  });

  it('reports exit codes and runs as __main__ from main.py', async () => {
    const r = await run('import sys\nprint(__name__, __file__)\nsys.exit(3)');
    expect(r).toMatchObject({ status: 'error', exitCode: 3, stdout: '__main__ /work/main.py\n' });
  });

  it('shows an ordinary Python traceback, without the supervisor in it', async () => {
    const r = await run(py`
      def f(x):
          return 1 / x
      f(0)
    `);
    expect(r.status).toBe('error');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "\/work\/main.py", line 3, in <module>/);
    expect(r.stderr).toContain('ZeroDivisionError: division by zero');
    expect(r.stderr).not.toContain('sandbox.py');
  });

  it('reports syntax errors like python does', async () => {
    const r = await run('print("x"\n');
    expect(r.status).toBe('error');
    expect(r.stderr).toContain('File "/work/main.py", line 1');
    expect(r.stderr).toContain('SyntaxError');
    expect(r.stderr).not.toContain('sandbox.py');
  });

  it('handles unicode both ways', async () => {
    const r = await run('s = input()\nprint(s[::-1], "→", len(s))', { stdin: 'héllo wörld ✓' });
    expect(r.stdout).toBe('✓ dlröw olléh → 13\n');
  });

  it('runs multiprocessing.Pool', async () => {
    const r = await run(py`
      from multiprocessing import Pool

      def square(x):
          return x * x

      if __name__ == "__main__":
          with Pool(2) as pool:
              print(pool.map(square, range(10)))
    `);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ status: 'ok', stdout: '[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n' });
  });

  it('runs threads and waits for non-daemon threads at exit', async () => {
    const r = await run(py`
      import threading, time
      from concurrent.futures import ThreadPoolExecutor
      with ThreadPoolExecutor(4) as ex:
          print(sum(ex.map(lambda x: x * 2, range(100))))
      def late():
          time.sleep(0.2)
          print("late thread done")
      threading.Thread(target=late).start()
      print("main done")
    `);
    expect(r).toMatchObject({ status: 'ok', stdout: '9900\nmain done\nlate thread done\n' });
  });

  it('runs asyncio', async () => {
    const r = await run(py`
      import asyncio
      async def work(i):
          await asyncio.sleep(0.05)
          return i * 10
      async def main():
          print(await asyncio.gather(*(work(i) for i in range(5))))
      asyncio.run(main())
    `);
    expect(r).toMatchObject({ status: 'ok', stdout: '[0, 10, 20, 30, 40]\n' });
  });

  it('runs atexit handlers and flushes output on sys.exit', async () => {
    const r = await run(py`
      import atexit, sys
      atexit.register(lambda: print("bye"))
      sys.stdout.write("no newline")
      sys.exit(0)
    `);
    expect(r).toMatchObject({ status: 'ok', stdout: 'no newlinebye\n' });
  });

  it('has the course packages', async () => {
    const r = await run('import pytest, pytest_asyncio, hypothesis, fastapi, httpx, django, rest_framework, pydantic, jwt\nprint("ok")');
    expect(r).toMatchObject({ status: 'ok', stdout: 'ok\n' });
  });

  it('honours a per-job time limit', async () => {
    const r = await run('import time\ntime.sleep(0.3)\nprint("done")', { timeLimitSeconds: 2 });
    expect(r.status).toBe('ok');
    expect(r.durationMs).toBeGreaterThanOrEqual(250);
  });
});

describe('containers', () => {
  it('never shares a container between runs', async () => {
    const code = 'import socket\nprint(socket.gethostname())';
    const seen: string[] = [];
    const hosts = await Promise.all(
      Array.from({ length: 6 }, () => sandbox.run(runJob(code), { onContainer: (id) => seen.push(id) }).then((r) => asRun(r).stdout.trim())),
    );
    expect(new Set(hosts).size).toBe(6);
    expect(new Set(seen).size).toBe(6);
    for (const host of hosts) expect(seen.some((id) => id.startsWith(host))).toBe(true);
  });

  it('removes each container after its run', async () => {
    let id = '';
    await sandbox.run(runJob('print(1)'), { onContainer: (c) => (id = c) });
    const deadline = Date.now() + 5_000;
    while ((await containersOf(sandbox.id)).some((c) => id.startsWith(c)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await containersOf(sandbox.id)).some((c) => id.startsWith(c))).toBe(false);
  });

  it('works with the pool off: every run creates its own container', async () => {
    const cold = createSandbox(testSettings({ poolSize: 0 }), silentLogger);
    try {
      expect(await containersOf(cold.id)).toEqual([]);
      const [a, b] = await Promise.all([cold.run(runJob('print(2 + 2)')), cold.run(runJob('print(3)'))]);
      expect(asRun(a)).toMatchObject({ status: 'ok', stdout: '4\n' });
      expect(asRun(b)).toMatchObject({ status: 'ok', stdout: '3\n' });
    } finally {
      await cold.close();
    }
    expect(await containersOf(cold.id)).toEqual([]);
  });
});

import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createSandbox, type Sandbox } from '../../src/runner/index.js';
import { asRun, containersOf, ensureSandboxImage, py, runJob, testSettings } from './helpers.js';

/**
 * Hostile programs: each must be contained, reported with the right status, and leave the host and
 * later runs unaffected. The tests run concurrently on a machine that may be busy, so no assertion
 * here depends on how fast the machine is: programs that should end on their own get a limit far
 * above what they need, and a program that must be stopped is shown to end long before the limit
 * it would otherwise run into.
 */
let sandbox: Sandbox;
const secret = `studybot-secret-${process.pid}`;
const settings = testSettings({ poolSize: 3 });

beforeAll(() => {
  ensureSandboxImage();
  // Variables of the runner's own process must never reach the container.
  process.env.STUDYBOT_TEST_TOKEN = secret;
  process.env.REDIS_URL ??= `redis://${secret}`;
  sandbox = createSandbox(settings, silentLogger);
});

afterAll(async () => {
  // Whatever ran before, the sandbox still works.
  const after = asRun(await sandbox.run(runJob('print("still fine")')));
  expect(after).toMatchObject({ status: 'ok', stdout: 'still fine\n' });
  await sandbox.close();
  expect(await containersOf(sandbox.id)).toEqual([]);
  delete process.env.STUDYBOT_TEST_TOKEN;
});

async function run(code: string, timeLimitSeconds = 10) {
  const begun = performance.now();
  const result = asRun(await sandbox.run(runJob(code, { timeLimitSeconds })));
  return { ...result, wallMs: performance.now() - begun };
}

describe.concurrent('runaway programs are stopped', () => {
  it('infinite loop: timeout', async () => {
    const r = await run('while True: pass', 2);
    expect(r.status).toBe('timeout');
    expect(r.signal).toBe('SIGKILL');
    expect(r.durationMs).toBeGreaterThanOrEqual(1950);
  });

  it('sleeping forever: timeout', async () => {
    const r = await run('import time\nprint("going to sleep", flush=True)\ntime.sleep(10**6)', 2);
    expect(r).toMatchObject({ status: 'timeout', stdout: 'going to sleep\n' });
  });

  it('a process stopping itself with SIGSTOP: timeout', async () => {
    const r = await run('import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\nprint("never")', 2);
    expect(r.status).toBe('timeout');
    expect(r.stdout).toBe('');
  });

  // Near the memory limit the kernel reclaims what it can before it kills, which on a busy machine
  // takes a while: a limit far above that, so only a program that is never stopped times out.
  it('memory bomb: memory', async () => {
    const r = await run('x = bytearray(1 << 30)\nprint(len(x))', 30);
    expect(r.status).toBe('memory');
  });

  it('growing memory: memory', async () => {
    const r = await run('chunks = []\nwhile True:\n    chunks.append(" " * 10**6)', 30);
    expect(r.status).toBe('memory');
  });

  it('fork bomb: stopped at the limit, pids capped', async () => {
    const r = await run(
      py`
      import os
      while True:
          try:
              os.fork()
          except OSError:
              pass
    `,
      1,
    );
    expect(r.status).toBe('timeout');
  });

  it('thread bomb: capped by the pids limit', async () => {
    const r = await run(py`
      import threading, time
      n = 0
      try:
          while True:
              threading.Thread(target=time.sleep, args=(100,), daemon=True).start()
              n += 1
      except RuntimeError as e:
          print("stopped at", n, "threads:", e)
    `);
    expect(r.status).toBe('ok');
    const n = Number(/stopped at (\d+)/.exec(r.stdout)?.[1]);
    expect(n).toBeLessThan(settings.pids);
  });

  it('an orphan outliving its parent is killed and does not hold the run open', async () => {
    // The orphans would hold the run to its 30 s limit; it ends as soon as the parent does.
    const r = await run(
      py`
      import subprocess, sys, os
      # A grandchild that keeps stdout open and one that detaches completely.
      subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)"])
      if os.fork() == 0:
          os.setsid()
          os.close(1); os.close(2)
          import time
          time.sleep(100)
      print("parent exits")
    `,
      30,
    );
    expect(r).toMatchObject({ status: 'ok', stdout: 'parent exits\n' });
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('stdout flood with newlines: cut, flagged, output_limit', async () => {
    const r = await run('while True: print("flood")');
    expect(r.status).toBe('output_limit');
    expect(r.stdoutTruncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(settings.outputKb * 1024);
    expect(r.stdout.startsWith('flood\nflood\n')).toBe(true);
  });

  it('stdout flood without newlines: output_limit', async () => {
    const r = await run('import sys\nwhile True: sys.stdout.write("x" * 4096)');
    expect(r).toMatchObject({ status: 'output_limit', stdoutTruncated: true });
    expect(r.stdout.length).toBe(settings.outputKb * 1024);
  });

  it('stderr flood: output_limit', async () => {
    const r = await run('import sys\nwhile True: sys.stderr.write("e" * 1000 + "\\n")');
    expect(r).toMatchObject({ status: 'output_limit', stderrTruncated: true, stdoutTruncated: false });
    expect(Buffer.byteLength(r.stderr)).toBeLessThanOrEqual(settings.outputKb * 1024);
  });

  it('invalid UTF-8 and NUL bytes in output do not break anything', async () => {
    const r = await run('import sys\nsys.stdout.buffer.write(b"ok \\xff\\xfe \\x00 end\\n")\nsys.stderr.buffer.write(b"\\xc3\\x28\\x00")');
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('ok \uFFFD\uFFFD \uFFFD end\n');
    expect(r.stderr).not.toContain('\u0000');
  });

  it('segfault: error with the signal', async () => {
    const r = await run('import ctypes\nctypes.string_at(0)');
    expect(r).toMatchObject({ status: 'error', signal: 'SIGSEGV', exitCode: null });
  });

  it('runaway recursion: error', async () => {
    const r = await run('def f(n):\n    return f(n + 1)\nf(0)');
    expect(r.status).toBe('error');
    expect(r.stderr).toContain('RecursionError');
  });

  it('recursion with the limit lifted: stopped by the stack or the memory limit, not a hang', async () => {
    const r = await run('import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\nf(0)', 30);
    // Python 3.11 keeps frames on the heap, so the memory limit usually comes first.
    expect(['error', 'memory']).toContain(r.status);
    expect(r.signal === 'SIGSEGV' || r.signal === 'SIGKILL' || r.stderr.includes('RecursionError')).toBe(true);
  });
});

describe.concurrent('the container is a dead end', () => {
  it('disk fill stops at the tmpfs size', async () => {
    const r = await run(
      py`
      import errno
      for path in ("/work/fill", "/tmp/fill", "/dev/shm/fill"):
          try:
              with open(path, "wb") as f:
                  while True:
                      f.write(b"x" * (1 << 20))
          except OSError as e:
              print(path, errno.errorcode[e.errno])
    `,
      5,
    );
    expect(r.status).toBe('ok');
    expect(r.stdout).toBe('/work/fill ENOSPC\n/tmp/fill ENOSPC\n/dev/shm/fill ENOSPC\n');
  });

  it('cannot write under /usr or anywhere on the image', async () => {
    const r = await run(py`
      for path in ("/usr/lib/evil.py", "/etc/passwd", "/opt/studybot/sandbox.py", "/evil"):
          try:
              open(path, "a").write("x")
              print("WROTE", path)
          except OSError as e:
              print("denied", path)
    `);
    expect(r.stdout).not.toContain('WROTE');
    expect(r.stdout.match(/denied/g)).toHaveLength(4);
  });

  it('cannot read /etc/shadow and sees no host variables', async () => {
    const r = await run(py`
      import os, json
      try:
          open("/etc/shadow").read()
          print("READ SHADOW")
      except OSError:
          print("shadow denied")
      print(json.dumps(dict(os.environ), sort_keys=True))
      print(os.getuid(), os.geteuid())
    `);
    const [shadow, env, ids] = r.stdout.trim().split('\n');
    expect(shadow).toBe('shadow denied');
    expect(JSON.parse(env!)).toEqual({ HOME: '/tmp', LANG: 'C.UTF-8', PATH: '/usr/local/bin:/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1' });
    // Each run has a host uid of its own (see 'runs cannot touch each other').
    const [uid, euid] = ids!.split(' ').map(Number);
    expect(uid).toBe(euid);
    expect(uid).toBeGreaterThanOrEqual(2_100_000_000);
    expect(r.stdout).not.toContain(secret);
  });

  it('has no capabilities and cannot gain privileges', async () => {
    const r = await run('print("".join(l for l in open("/proc/self/status") if l.startswith(("CapEff", "CapBnd", "NoNewPrivs"))))');
    expect(r.stdout).toContain('CapEff:\t0000000000000000');
    expect(r.stdout).toContain('CapBnd:\t0000000000000000');
    expect(r.stdout).toContain('NoNewPrivs:\t1');
  });

  it('files left in /tmp, /dev/shm and /work are gone in the next run', async () => {
    const write = await run('for p in ("/tmp/left", "/dev/shm/left", "/work/left"):\n    open(p, "w").write("x")\nprint("written")');
    expect(write.stdout).toBe('written\n');
    const look = await run('import os\nprint([os.path.exists(p) for p in ("/tmp/left", "/dev/shm/left", "/work/left")])');
    expect(look.stdout).toBe('[False, False, False]\n');
  });

  it('has no network and cannot reach the metadata address', async () => {
    const r = await run(
      py`
      import socket
      for host, port in (("1.1.1.1", 53), ("169.254.169.254", 80), ("172.17.0.1", 2375)):
          try:
              socket.create_connection((host, port), timeout=1)
              print("CONNECTED", host)
          except OSError as e:
              print("blocked", host)
      try:
          socket.getaddrinfo("example.com", 80)
          print("RESOLVED")
      except OSError:
          print("no dns")
      print(sorted(name for _, name in socket.if_nameindex()))
    `,
      5,
    );
    expect(r.stdout).toBe("blocked 1.1.1.1\nblocked 169.254.169.254\nblocked 172.17.0.1\nno dns\n['lo']\n");
  });

  it('cannot reach the Docker socket', async () => {
    const r = await run(py`
      import os, socket
      for path in ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock"):
          s = socket.socket(socket.AF_UNIX)
          try:
              s.connect(path)
              print("CONNECTED", path)
          except OSError:
              print("absent", path)
    `);
    expect(r.stdout).not.toContain('CONNECTED');
  });

  it('kill(-1) and signals to PID 1 do not take the supervisor down', async () => {
    const r = await run(py`
      import os, signal
      for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGSTOP):
          try:
              os.kill(1, sig)
          except OSError:
              pass
      try:
          os.kill(-1, signal.SIGKILL)
      except OSError:
          pass
      print("alive")
    `);
    expect(r).toMatchObject({ status: 'ok', stdout: 'alive\n' });
  });

  it('cannot reach the supervisor to forge its frames', async () => {
    const r = await run(py`
      import ctypes, os
      for path in ("/proc/1/fd/1", "/proc/1/fd/0", "/proc/1/mem", "/proc/1/environ"):
          try:
              open(path, "wb" if path.endswith(("1", "mem")) else "rb")
              print("OPENED", path)
          except OSError:
              print("denied", path)
      libc = ctypes.CDLL(None, use_errno=True)
      print("ptrace", libc.ptrace(16, 1, 0, 0))  # PTRACE_ATTACH
      print(sorted(os.listdir("/proc/self/fd")))
    `);
    expect(r.stdout).not.toContain('OPENED');
    expect(r.stdout).toContain('ptrace -1');
    // stdin, stdout, stderr, the result pipe and listdir's own descriptor; nothing of the supervisor's.
    expect(r.stdout.trim().split('\n').pop()).toBe("['0', '1', '2', '3', '4']");
  });
});

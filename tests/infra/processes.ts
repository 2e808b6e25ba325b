import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** A studybot process that keeps running (the bot, a runner), its output collected as it comes. */
export interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** Waits until `pattern` shows up in stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | string>;
}

/**
 * Starts `studybot <args>` from the sources (or, with `compiled`, the build in dist/, which the
 * caller builds first), as `npm start` would run it; stdin stays open until closed.
 */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
  opts: { cwd?: string; devNull?: boolean; compiled?: boolean } = {},
): Running {
  // Rate limits are per person in the shared test Redis: tests elsewhere must not spend this one's.
  const full: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', COMMANDS_PER_MINUTE: '10000', CLICKS_PER_MINUTE: '10000' };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete full[k];
    else full[k] = v;
  }
  const [command, entry] = opts.compiled ? [process.execPath, 'dist/src/cli.js'] : [TSX, 'src/cli.ts'];
  const child = spawn(command, [path.join(ROOT, entry), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: full,
    // 'ignore' is /dev/null: what a service manager or `docker run` without -i gives.
    stdio: [opts.devNull ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  }) as ChildProcessWithoutNullStreams;
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let ended: number | string | undefined;
  void exited.then((c) => (ended = c));
  const running: Running = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out) && !pattern.test(err)) {
        if (ended !== undefined) throw new Error(`studybot ${args.join(' ')} exited (${ended}) before ${pattern}.\nstdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(graceMs = 20_000) {
      if (ended !== undefined) return ended;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return running;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** GET on localhost: status, content type and body. */
export async function get(port: number, pathname: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** Waits until GET `pathname` answers at all (the server is up). */
export async function waitForHttp(port: number, pathname = '/healthz', timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await get(port, pathname);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** One sample of a Prometheus text exposition: `name{a="x",b="y"}`, 0 when absent. */
export function sample(metrics: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of metrics.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return 0;
}

/** Whether a process id is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` is gone; false when it is still there after `timeoutMs`. */
export async function gone(pid: number, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The private Redis a bot recorded for its data directory. */
export function ownerOf(dataDir: string): { bot: number; redis: number } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'redis', 'owner.json'), 'utf8')) as { bot: number; redis: number };
  } catch {
    return undefined;
  }
}

/** Runs `studybot <args>` to its end in `cwd`: `input` on stdin (a pipe), or /dev/null with `devNull`. */
export function runCliIn(
  args: string[],
  env: Record<string, string | undefined>,
  opts: { cwd?: string; input?: string; devNull?: boolean; timeoutMs?: number } = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const r = startCli(args, env, opts);
  if (!opts.devNull) r.child.stdin.end(opts.input ?? '');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return r.exited.then((code) => {
    clearTimeout(timer);
    return { code, stdout: r.stdout(), stderr: r.stderr() };
  });
}

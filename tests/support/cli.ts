import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type CliOptions = { env?: Record<string, string | undefined>; timeoutMs?: number; compiled?: boolean };

/** A `studybot` process still running: lines are typed into it one at a time, as a person would. */
export interface LiveCli {
  /** Types a line (the process reads it at once). */
  say(line: string): void;
  /** Resolves with the output so far once it matches `pattern` after `from` characters (default: anywhere). */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** What the process printed so far. */
  readonly stdout: string;
  /** Ends the input (after `input`, if given) and resolves once the process exits. */
  end(input?: string): Promise<CliResult>;
}

/**
 * Starts `studybot <args>` as a user would (a real process): from the sources through tsx, or with
 * `compiled` the build in dist/ as `npm start` runs it (the caller builds it first).
 */
export function startCli(args: string[], opts: CliOptions = {}): LiveCli {
  // Rate limits live in the shared test Redis, keyed per person: every script's "ada" would share
  // one budget across test files. They are tested on their own (tests/router).
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'warn', COMMANDS_PER_MINUTE: '10000', CLICKS_PER_MINUTE: '10000' };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const [command, entry] = opts.compiled ? [process.execPath, 'dist/src/cli.js'] : [TSX, 'src/cli.ts'];
  const child = spawn(command, [path.join(ROOT, entry), ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    for (const l of listeners) l();
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`studybot ${args.join(' ')} did not finish in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      for (const l of listeners) l();
      resolve({ code, stdout, stderr });
    });
  });
  return {
    say: (line) => child.stdin.write(`${line}\n`),
    get stdout() {
      return stdout;
    },
    waitFor: (pattern, from = 0, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout.slice(from))) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(stdout);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`studybot exited before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`studybot did not print ${pattern} in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    end: (input) => {
      child.stdin.end(input ?? '');
      return exited;
    },
  };
}

/** Runs `studybot <args>` to the end, feeding `input` on stdin. */
export function runCli(args: string[], opts: CliOptions & { input?: string } = {}): Promise<CliResult> {
  return startCli(args, opts).end(opts.input);
}

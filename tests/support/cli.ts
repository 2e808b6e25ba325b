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

/**
 * Runs `studybot <args>` as a user would (a real process), feeding `input` on stdin: from the
 * sources through tsx, or with `compiled` the build in dist/ as `npm start` runs it (the caller
 * builds it first).
 */
export function runCli(
  args: string[],
  opts: { input?: string; env?: Record<string, string | undefined>; timeoutMs?: number; compiled?: boolean } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
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
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`studybot ${args.join(' ')} did not finish in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

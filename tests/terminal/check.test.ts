import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { testRedisUrl } from '../support/redis.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-check-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A long badly formatted snippet: black's diff runs far past what a chat message shows. */
const CRAMPED = Array.from({ length: 40 }, (_, i) => `v${i}=${i}`).join('\n');

// The real CLI as a learner scripts it, with its in-process runner on the real queue and Docker.
describe('terminal: /check through the queue and the sandbox', { timeout: 240_000 }, () => {
  it('reports type errors by line, black findings with their diff, a long diff as a file, and a clean snippet plainly', async () => {
    const dir = dataDir();
    const r = await runCli(['start', '--user', 'ada'], {
      input: `${[
        '/check ```python',
        'def add(a: int, b: int) -> int:',
        '    return a + b',
        '',
        '',
        'total: str = add(1, 2)',
        '```',
        "/check ```python\nx = {  'a':1 }\n```",
        '/check ```python',
        'def double(n: int) -> int:',
        '    return n * 2',
        '```',
        '/check ```python',
        CRAMPED,
        '```',
        // The command alone opens the code form; a block pasted into it ends at its closing fence.
        '/check',
        '```python',
        'def half(n: int) -> str:',
        '    return n // 2',
        '```',
        '/leaderboard all',
      ].join('\n')}\n`,
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: dir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'true', SANDBOX_POOL_SIZE: '1' },
      timeoutMs: 230_000,
    });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('⏳ Checking your code with mypy and black');
    // The type error, by line, with mypy's message and code.
    expect(out).toContain('❌ mypy --strict: 1 error');
    expect(out).toContain('line 5: error: Incompatible types in assignment (expression has type "int", variable has type "str")  [assignment]');
    // Black's finding with its diff.
    expect(out).toContain('✏️ black: would reformat');
    expect(out).toContain("-x = {  'a':1 }");
    expect(out).toContain('+x = {"a": 1}');
    // A clean snippet says so plainly.
    expect(out).toContain('✅ mypy --strict: no issues · black: already formatted');
    // The long diff is not printed whole: it is saved as a file.
    expect(out).toContain("black's diff is");
    const saved = /📎 reformatted\.diff \(\d+ bytes\) saved to (\S+)/.exec(out);
    expect(saved, out).not.toBeNull();
    const diff = readFileSync(path.resolve(process.cwd(), saved![1]!), 'utf8');
    expect(diff).toContain('--- main.py\n+++ main.py (black)\n');
    expect(diff).toContain('\n-v39=39\n');
    expect(diff).toContain('\n+v39 = 39\n');
    expect(out).not.toContain('+v39 = 39');
    // The block pasted into the form was checked, and the command after it ran as a command.
    expect(out).toContain('line 2: error: Incompatible return value type (got "int", expected "str")  [return-value]');
    // Checks earn nothing: ada is not on the points board.
    expect(out).toContain('Nobody is on this board yet.');
    expect(out).not.toContain('Commands start with a slash');
  });

  it('refuses empty, binary and oversized code as /run does, before anything is queued, and is in /help', async () => {
    const r = await runCli(['start', '--user', 'ada'], {
      input: `${['/check ```python', '```', '/check print("a\u0001b")', `/check ${'x = 1; '.repeat(500)}`, '/help', '/help check'].join('\n')}\n`,
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: dataDir(), CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false', CODE_MAX_BYTES: '2000' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⚠️ Your code block is empty, so nothing was checked.');
    expect(r.stdout).toContain(
      '⚠️ Your code contains a control character (U+0001) on line 1, so it looks like binary data rather than Python source.',
    );
    expect(r.stdout).toMatch(/⚠️ Your code is [\d.]+ ?KB; the limit is [\d.]+ ?KB\./);
    expect(r.stdout).not.toContain('Checking your code');
    // /help lists it, and /help check shows its forms.
    expect(r.stdout).toContain('/check — Type-check a Python snippet with mypy --strict and check its style with black');
    expect(r.stdout).toContain('• /check [code…] [file]');
  });
});

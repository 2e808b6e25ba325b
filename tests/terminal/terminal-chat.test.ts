import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { runCli, startCli } from '../support/cli.js';
import { testRedisUrl } from '../support/redis.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-term-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const chat = (dir: string, lines: string[], env: Record<string, string | undefined> = {}) =>
  runCli(['start', '--user', 'ada'], {
    input: `${lines.join('\n')}\n`,
    env: { REDIS_URL: testRedisUrl(), DATA_DIR: dir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false', ...env },
  });

// Each test starts the real CLI (a few seconds of start-up, more when the machine is busy).
describe('terminal chat (piped, as a script)', { timeout: 180_000 }, () => {
  const dir = dataDir();
  /** What the first script earned, checked again after a restart. */
  let total = -1;

  it('serves lessons, quizzes, flashcards, streaks, leaderboards and daily config, then exits at end of input', async () => {
    const r = await chat(dir, [
      '/lesson',
      '/quiz alpha',
      '1', // answer A
      '2', // then B: refused, the first answer stands
      '/flashcards review',
      '1', // Show answer
      '3', // Good
      '/streak',
      '/leaderboard',
      '/config daily time:09:00 timezone:Europe/Rome',
      '/config daily show',
    ]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('studybot — terminal chat as ada');
    expect(out).toMatch(/── The first lesson ──[\s\S]*You will learn to[\s\S]*\[1\] Quiz me {3}\[2\] Flashcards {3}\[3\] Challenge/);
    // Any alpha question (the pick is random), its options in the post's own (random) order.
    expect(out).toMatch(/── Quiz ──\n(What does print\(1 \+ 1\) show\?|What is len\("abc"\)\?|What is sum\(\[1, 2, 3\]\)\?)/);
    expect(out).toMatch(
      /\[1\] A {3}\[2\] B {3}\[3\] C {3}\[4\] D {3}\[5\] Reveal\n👥 0 answered · Alpha basics · (easy|medium) · from “The (first|second) lesson” · open for 24 h/,
    );
    const verdict =
      /→ A\n(✅ Correct! .+\n\+(\d+) points \((easy|medium)\) · 🔥 streak: 1 day|❌ Not quite\. You chose A: .+\n\nThe answer is [BCD]\. .+\n🔥 streak: 1 day)/.exec(
        out,
      );
    expect(verdict).not.toBeNull();
    const earned = Number(verdict![2] ?? 0);
    expect(out).toMatch(new RegExp(`→ B\nYou already answered this one: you chose A, which was ${earned ? 'right ✅' : 'not right ❌'}\\.`));
    if (earned) {
      expect(out).toMatch(/── Flashcard ──\nWhat does print return\?\n\[1\] Show answer/);
      expect(out).toMatch(/Answer\nNone\.\n\[1\] Again · 1m {3}\[2\] Hard · \d+m {3}\[3\] Good · 10m {3}\[4\] Easy · \d+d/);
    } else {
      // A wrong answer brings the missed question back first, as a card that says why.
      expect(out).toMatch(/── Flashcard ──\n❌ You missed this in a quiz on \w{3} \d+ \w{3}\.\n/);
      expect(out).toMatch(/You chose \*?\*?.+/);
    }
    expect(out).toMatch(/\[1\] Again · 1m {3}\[2\] Hard · \d+m {3}\[3\] Good · 10m {3}\[4\] Easy · \d+d/);
    expect(out).toMatch(/Rated Good: you'll see that card again in 10m\./);
    expect(out).toMatch(/🔥 1 day — today counts already\.\nLongest streak: 1 day/);
    // The one-page lesson read (1 point), the card (2) and the quiz answer if it was right.
    expect(out).toMatch(new RegExp(`── Leaderboard — this week ──\\n🥇 ada — ${3 + earned} points`));
    expect(out).toMatch(/📅 Daily lesson set up: every day at 09:00 Europe\/Rome in #terminal\./);
    expect(out).toMatch(/• #terminal at 09:00 Europe\/Rome — next \w{3} \d+ \w{3} 09:00/);
    total = 3 + earned;
  });

  it("a quiz's count of answers, arriving during a review, is one line and leaves the review's choices alone", async () => {
    const live = startCli(['start', '--user', 'bea'], {
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: dataDir(), CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false' },
    });
    try {
      await live.waitFor(/terminal chat as bea/);
      live.say('/quiz alpha');
      await live.waitFor(/\[5\] Reveal\n👥 0 answered/);
      live.say('1');
      const answered = (await live.waitFor(/→ A\n.*(Correct|Not quite)/)).length;
      live.say('/flashcards review');
      await live.waitFor(/── Flashcard ──\n[\s\S]*\[1\] Show answer/, answered);
      // The post's count is refreshed a moment after the answer (before or after the card shows, as
      // the machine goes): one line, naming the message it belongs to, never the whole quiz again.
      await live.waitFor(/↻ Quiz: 👥 1 answered · Alpha basics/, answered);
      expect(live.stdout.slice(answered)).not.toContain('── Quiz ──');
      expect(live.stdout.slice(answered)).not.toContain('[5] Reveal');
      // 1 is still the review's "Show answer", not the quiz's option A.
      const before = live.stdout.length;
      live.say('1');
      await live.waitFor(/→ Show answer\n── Flashcard ──[\s\S]*\[1\] Again/, before);
      expect(live.stdout.slice(before)).not.toContain('You already answered');
    } finally {
      expect((await live.end('/quit\n')).code).toBe(0);
    }
  });

  it('keeps everything across a restart', async () => {
    const r = await chat(dir, ['/leaderboard all', '/streak', '/config daily show', '/progress']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`🥇 ada — ${total} points`));
    expect(r.stdout).toMatch(/🔥 1 day/);
    expect(r.stdout).toMatch(/#terminal at 09:00 Europe\/Rome/);
    expect(r.stdout).toMatch(/Lessons read: 1 of 3/);
  });

  it('answers bad input with clear, specific messages and keeps going', async () => {
    const r = await chat(dataDir(), [
      '/lessn',
      '/lesson show nope',
      '/settings timezone Mars/Base',
      '/quiz gamma',
      '7',
      'hello',
      '/config daily time:25:99',
      '/run print(1)',
      '/leaderboard forever',
      '/run ```python',
      '```',
      `/${'x'.repeat(100_000)}`,
      '/help quiz',
    ]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('⚠️ There is no /lessn command. Did you mean /lesson?');
    expect(out).toContain('⚠️ There is no lesson "nope".');
    expect(out).toContain('⚠️ "Mars/Base" is not a time zone I know.');
    expect(out).toContain('⚠️ There is no track "gamma".');
    expect(out).toContain('There is nothing to choose right now.');
    expect(out).toContain('Commands start with a slash');
    expect(out).toContain('⚠️ "25:99" is not a time I understand.');
    expect(out).toContain('⚠️ The code runner is unavailable right now, so your code was not run.');
    expect(out).toContain('⚠️ board must be one of: week, all, streaks, mastery, improved (not "forever").');
    // An empty code block is pointed out; the lines after it stay commands (no code form opens).
    expect(out).toContain('⚠️ Your code block is empty, so nothing was run.');
    expect(out).not.toContain('Input (stdin)');
    // A 100 KB command is not echoed back whole.
    expect(out).toMatch(/⚠️ There is no \/x{20,80}… command\./);
    expect(out.length).toBeLessThan(20_000);
    expect(out).toMatch(/── \/quiz ──\n\/quiz — Post a quiz question/);
  });

  it('/help shows every form of a command and its multi-line examples whole', async () => {
    const r = await chat(dataDir(), ['/help run', '/help config']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('• /run [code…] [stdin] [file]');
    // The multi-line example arrives whole, fences and input block included, as a code block.
    expect(r.stdout).toMatch(
      /┌ Example\n {2}│ \/run ```python\n {2}│ name = input\(\)\n {2}│ print\("hi", name\)\n {2}│ ```\n {2}│ ```stdin\n {2}│ Ada\n {2}│ ```/,
    );
    expect(r.stdout).not.toContain('``code``');
    expect(r.stdout).toContain('• /config daily set <time> [timezone] [channel] [track] [after] — ');
    expect(r.stdout).toContain('• /config timezone <zone> — ');
  });

  it('runs code through the queue and sandbox, with a stdin block after the code block', async () => {
    const r = await chat(
      dataDir(),
      ['/run ```python', 'name = input()', 'print(f"hi {name}")', '```', '```stdin', 'Ada', '```', '/run print(6 * 7)', '/streak'],
      { RUNNER: 'true', SANDBOX_POOL_SIZE: '1' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✅ Finished in \d+ ms \(exit code 0\)\n\n {2}┌ Output\n {2}│ 1 │ hi Ada/);
    // The line after the code block was a new command, not lost to the look-ahead.
    expect(r.stdout).toMatch(/│ 1 │ 42/);
    expect(r.stdout).toMatch(/── ada's streak ──/);
    expect(r.stdout).not.toContain('Commands start with a slash');
  });

  it('starts and stops its own redis-server when REDIS_URL is unset', async () => {
    const own = dataDir();
    const r = await chat(own, ['/quiz'], { REDIS_URL: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/── Quiz ──/);
    expect(existsSync(path.join(own, 'redis', 'appendonlydir'))).toBe(true);
    // Stopped on exit: its socket is gone.
    expect(existsSync(path.join(own, 'redis', 'redis.sock'))).toBe(false);
  });

  it('reports a broken content file by file, line and field, and does not start', async () => {
    const r = await runCli(['start'], {
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: dataDir(), CONTENT_DIR: path.join(FIXTURE_CONTENT, 'lessons') },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tracks\.yaml:0: missing: the list of tracks/);
  });

  it('reports bad configuration by variable name', async () => {
    const r = await runCli(['start'], { env: { REDIS_URL: 'http://nope', DEFAULT_TIMEZONE: 'Moon/Base', SANDBOX_MEMORY_MB: 'lots' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REDIS_URL="http://nope": expected a URL starting with redis:// or rediss:// or unix://');
    expect(r.stderr).toContain('DEFAULT_TIMEZONE="Moon/Base": expected an IANA time zone');
    expect(r.stderr).toMatch(/SANDBOX_MEMORY_MB="lots": /);
  });
});

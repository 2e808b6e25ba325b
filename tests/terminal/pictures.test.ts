import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { decodePng, distinctColors } from '../support/png.js';
import { testRedisUrl } from '../support/redis.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-pictures-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const chat = (dir: string, lines: string[], env: Record<string, string> = {}) =>
  runCli(['start', '--user', 'ada'], {
    input: `${lines.join('\n')}\n`,
    env: { REDIS_URL: testRedisUrl(), DATA_DIR: dir, CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false', ...env },
  });

describe('terminal: pictures saved to the data directory', { timeout: 180_000 }, () => {
  it('prints where each card was saved, under DATA_DIR/pictures, as a PNG that decodes', async () => {
    const dir = dataDir();
    const r = await chat(dir, ['/quiz alpha', '1', '/progress', '/streak', '/leaderboard']);
    expect(r.code).toBe(0);
    const saved = [...r.stdout.matchAll(/🖼 {2}Picture saved to (.+\.png)$/gm)].map((m) => m[1]!);
    expect(saved).toEqual([
      path.join(dir, 'pictures', 'progress.png'),
      path.join(dir, 'pictures', 'streak.png'),
      path.join(dir, 'pictures', 'leaderboard-week.png'),
    ]);
    const sizes = saved.map((file) => {
      const png = decodePng(readFileSync(file));
      expect(distinctColors(png), file).toBeGreaterThan(40);
      return [png.width, png.height];
    });
    expect(sizes).toEqual([
      [800, 440],
      [800, 380],
      [800, 28 * 2 + 78 + 44],
    ]);
    // Each picture follows its text: the facts are printed too.
    expect(r.stdout).toMatch(/── ada's progress ──\nPoints: \d+ all time[\s\S]*?🖼 {2}Picture saved to .+progress\.png/);
    expect(r.stdout).toMatch(
      /── Leaderboard — this week ──\n(🥇 ada — \d+ points|Nobody is on this board yet)[\s\S]*?🖼 {2}Picture saved to .+leaderboard-week\.png/,
    );
  });

  it('PICTURES=false answers with the text alone and saves nothing', async () => {
    const dir = dataDir();
    const r = await chat(dir, ['/progress', '/streak'], { PICTURES: 'false' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("── ada's progress ──");
    expect(r.stdout).toContain("── ada's streak ──");
    expect(r.stdout).not.toContain('Picture saved');
    expect(existsSync(path.join(dir, 'pictures'))).toBe(false);
  });
});

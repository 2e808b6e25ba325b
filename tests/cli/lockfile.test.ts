import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'studybot-lockfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package-lock.json', () => {
  it('is what npm install writes for package.json, so a fresh install leaves the clone clean', () => {
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(path.join(root, f), path.join(dir, f));
    // The lock npm resolves from the manifest (the same resolution a full install does, without the download).
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: dir,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const committed = readFileSync(path.join(root, 'package-lock.json'), 'utf8');
    const resolved = readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
    const changed = resolved.split('\n').filter((line, i) => line !== committed.split('\n')[i]);
    expect(changed, 'lines npm install would rewrite').toEqual([]);
  }, 150_000);
});

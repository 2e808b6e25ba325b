import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** The dependency rules of .dependency-cruiser.cjs applied to `paths`; the violations found. */
async function violations(paths: string[]): Promise<Violation[]> {
  const { stdout } = await run(DEPCRUISE, [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', '--no-progress'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layers: imports run downwards only', () => {
  it('holds for the project: no cycle, no import against the layers', async () => {
    const found = await violations(['src', 'commands']);
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 120_000);

  it('catches each kind of violation, as the fixture tree plants them', async () => {
    const found = await violations(['tests/fixtures/layers']);
    const seen = new Set(found.map((v) => `${v.rule.name} ${path.basename(v.from)}→${path.basename(v.to)}`));
    expect(seen).toEqual(
      new Set([
        'kernel-imports-kernel-only reply.ts→points.ts',
        'learning-returns-data points.ts→reply.ts',
        'no-cycles reply.ts→points.ts',
        'commands-below-router streak.ts→schema.ts',
        'platforms-are-transport home.ts→streak.ts',
        'runner-shares-only-the-contract worker.ts→reply.ts',
      ]),
    );
  }, 120_000);
});

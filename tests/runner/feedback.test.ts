import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult } from '../../src/contract/code-runs.js';
import { silentLogger } from '../../src/logger.js';
import { plainStyle, renderMessage } from '../../src/platforms/terminal/render.js';
import { createSandbox, type Sandbox } from '../../src/runner/index.js';
import { renderGradeResult } from '../../src/runs/render.js';
import { asGrade, containersOf, ensureSandboxImage, gradeJob, py, testSettings } from './helpers.js';

/**
 * What a learner reads after a submission: everything about visible cases, and about hidden ones
 * only what cannot be replayed.
 */
let sandbox: Sandbox;

beforeAll(() => {
  ensureSandboxImage();
  sandbox = createSandbox(testSettings({ poolSize: 1 }), silentLogger);
});

afterAll(async () => {
  await sandbox.close();
  expect(await containersOf(sandbox.id)).toEqual([]);
});

const shown = (r: ReturnType<typeof asGrade>) =>
  renderMessage(renderGradeResult(parseResult(r) as typeof r, undefined, { points: 0, firstPass: false }), plainStyle).text;

describe('feedback on a graded submission', () => {
  it('shows hidden results as a count and the hints of the failures, in no telling order', async () => {
    const code = py`
      import time
      def double(x):
          if x == 7:
              time.sleep(3)
          return x * 2 if x != 3 else 0
    `;
    const r = asGrade(
      await sandbox.run(
        gradeJob(
          'call',
          code,
          [
            { name: 'doubles two', call: 'double(2)', expected: '4' },
            { name: 'SECRET-ONE', call: 'double(3)', expected: '6', hidden: true, hint: 'small numbers' },
            { name: 'SECRET-TWO', call: 'double(5)', expected: '10', hidden: true, hint: 'never shown: it passes' },
            { name: 'SECRET-THREE', call: 'double(7)', expected: '14', hidden: true, hint: 'large numbers', maxSeconds: 1 },
            { name: 'SECRET-FOUR', call: 'double(9)', expected: '18', hidden: true },
          ],
          { timeLimitSeconds: 10 },
        ),
      ),
    );
    const text = shown(r);
    expect(text).toContain('✅ doubles two');
    expect(text).toContain('Hidden tests ✅✅❌❌ (2 of 4 passed)');
    expect(text).toContain('❌ took longer than allowed (does it run concurrently?) — hint: large numbers');
    expect(text).toContain('❌ wrong output — hint: small numbers');
    expect(text).not.toMatch(/SECRET|never shown|double\(|hidden test \d/);
  });

  it('says which outside measure a visible case failed, and what was measured', async () => {
    const r = asGrade(
      await sandbox.run(
        gradeJob('call', 'def work(n):\n    return n\n', [{ name: 'in threads', call: 'work(3)', expected: '3', observe: { threads: { min: 3 } } }]),
      ),
    );
    expect(shown(r)).toContain(
      '❌ in threads — right output, but not done the way the challenge asks (measured from outside your code): expected at least 3 threads running at the same time, saw 0',
    );
  });
});

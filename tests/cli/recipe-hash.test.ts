import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_RECIPE, sandboxRecipeHash } from '../../src/doctor.js';

describe('the sandbox recipe hash', () => {
  it('doctor and the runner compute the hash scripts/build-sandbox.sh labels the image with', () => {
    const script = readFileSync(new URL('../../scripts/build-sandbox.sh', import.meta.url), 'utf8');
    const line = /^hash=\$\(cd "\$ctx" && (cat [^|]+\| sha256sum \| cut -c1-16)\)$/m.exec(script);
    expect(line, 'the hash line of build-sandbox.sh').not.toBeNull();
    const byScript = execFileSync('sh', ['-c', line![1]!], { cwd: SANDBOX_RECIPE, encoding: 'utf8' }).trim();
    expect(sandboxRecipeHash()).toBe(byScript);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, VARIABLES } from '../../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** The README's configuration table: from its heading to the next section. */
const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));

describe('configuration is documented', () => {
  it('the README’s configuration table names every variable the bot reads', () => {
    expect(VARIABLES.length).toBeGreaterThan(20);
    const missing = VARIABLES.filter((name) => !table.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('PICTURES is on unless set to false, and a typo is refused by name', () => {
    expect(loadConfig({}, '/tmp').pictures).toBe(true);
    expect(loadConfig({ PICTURES: 'false' }, '/tmp').pictures).toBe(false);
    expect(loadConfig({ PICTURES: 'off' }, '/tmp').pictures).toBe(false);
    expect(() => loadConfig({ PICTURES: 'nope' }, '/tmp')).toThrow(/PICTURES="nope": expected one of 1\/0, true\/false, yes\/no, on\/off/);
  });
});

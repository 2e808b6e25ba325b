import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('PICTURES is on unless set to false, and a typo is refused by name', () => {
    expect(loadConfig({}, '/tmp').pictures).toBe(true);
    expect(loadConfig({ PICTURES: 'false' }, '/tmp').pictures).toBe(false);
    expect(loadConfig({ PICTURES: 'off' }, '/tmp').pictures).toBe(false);
    expect(() => loadConfig({ PICTURES: 'nope' }, '/tmp')).toThrow(/PICTURES="nope": expected one of 1\/0, true\/false, yes\/no, on\/off/);
  });
});

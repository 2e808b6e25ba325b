import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { ROOT } from '../infra/processes.js';

/**
 * The documentation matches the code: every variable the configuration reads is in .env.example
 * with its default (and its range, which the configuration really enforces), and every variable read
 * anywhere (code, scripts, the compose file, the image's build arguments) is in the README.
 */
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');
const example = read('.env.example');
const readme = read('README.md');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return files(rel, ext);
    return ext.test(name) ? [rel] : [];
  });
}

/** Variables of the machine and the shell, not of studybot. */
const SYSTEM = new Set(['TMPDIR', 'PATH', 'HOME', 'CI', 'DEBIAN_FRONTEND']);

function variablesReadAnywhere(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (name: string, where: string) => {
    if (!SYSTEM.has(name) && !found.has(name)) found.set(name, where);
  };
  for (const f of [...files('src', /\.ts$/), ...files('commands', /\.ts$/), ...files('bench', /\.ts$/)]) {
    for (const m of read(f).matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) add(m[1] ?? m[2]!, f);
    // Names read through a list: for (const name of ['SANDBOX_IMAGE', ...]) ... process.env[name]
    for (const m of read(f).matchAll(/\[((?:\s*'[A-Z][A-Z0-9_]+',?)+)\]\)\s*if \(process\.env\[name\]/g)) {
      for (const n of m[1]!.matchAll(/'([A-Z0-9_]+)'/g)) add(n[1]!, f);
    }
  }
  for (const f of [...files('scripts', /\.sh$/), ...files('docker', /\.sh$/), 'docker/compose.yaml']) {
    const code = read(f).replace(/^\s*#.*$/gm, '');
    for (const m of code.matchAll(/\$\{([A-Z][A-Z0-9_]+)|env_(?:value|bool) "?([A-Z][A-Z0-9_]+)/g)) add(m[1] ?? m[2]!, f);
  }
  for (const m of read('docker/bot/Dockerfile').matchAll(/^ARG ([A-Z][A-Z0-9_]+)/gm)) add(m[1]!, 'docker/bot/Dockerfile');
  return found;
}

/** `# NAME=value   # comment [min–max]` lines of .env.example. */
function exampleLines(): Map<string, { value: string; range?: [number, number] }> {
  const out = new Map<string, { value: string; range?: [number, number] }>();
  for (const line of example.split('\n')) {
    const m = line.match(/^# ([A-Z][A-Z0-9_]+)=(\S*)(.*)$/);
    if (!m) continue;
    const range = m[3]!.match(/\[(-?[\d.]+)–([\d.]+)\]/);
    out.set(m[1]!, { value: m[2]!, ...(range && { range: [Number(range[1]), Number(range[2])] as [number, number] }) });
  }
  return out;
}

describe('the documentation of the configuration', () => {
  it('.env.example lists every variable the configuration reads, and the README explains each', () => {
    const lines = exampleLines();
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(35);
    expect(CONFIG_VARIABLES.filter((v) => !lines.has(v))).toEqual([]);
    expect(CONFIG_VARIABLES.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
  });

  it('every variable read anywhere is documented in the README', () => {
    const read = variablesReadAnywhere();
    for (const name of [
      'STUDYBOT_USER',
      'NO_COLOR',
      'FORCE',
      'SANDBOX_BASE',
      'PULL_TIMEOUT',
      'DEBIAN_MIRROR',
      'DEBIAN_SUITE',
      'NODE_IMAGE',
      'BENCH_RUNS',
    ]) {
      expect(read.has(name), name).toBe(true);
    }
    expect([...read].filter(([name]) => !readme.includes(`\`${name}\``)).map(([name, where]) => `${name} (${where})`)).toEqual([]);
  });

  it("the example's values are valid, and every documented range is the one enforced", () => {
    const lines = exampleLines();
    const configured = Object.fromEntries(
      [...lines]
        .filter(([name, l]) => CONFIG_VARIABLES.includes(name as never) && l.value && !l.value.includes('...'))
        .map(([name, l]) => [name, l.value]),
    );
    expect(() => loadConfig(configured, ROOT)).not.toThrow();
    const ranged = [...lines].filter(([, l]) => l.range);
    expect(ranged.length).toBeGreaterThan(15);
    for (const [name, { range }] of ranged) {
      const [min, max] = range!;
      const step = Number.isInteger(min) && Number.isInteger(max) ? 1 : min / 2;
      for (const ok of [min, max]) expect(() => loadConfig({ [name]: String(ok) }, ROOT), `${name}=${ok}`).not.toThrow();
      for (const bad of [min - step, max + step]) expect(() => loadConfig({ [name]: String(bad) }, ROOT), `${name}=${bad}`).toThrow(name);
    }
  });

  it('says no more about Discord permissions than "Run Python" needs', () => {
    expect(readme).not.toContain('Read Message History |');
    // View Channels, Send Messages, Embed Links, Attach Files, Use Application Commands.
    const bits = (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 31n);
    expect(readme).toContain(`permissions integer **${bits}**`);
    expect(readme).toContain(`permissions=${bits}`);
  });
});

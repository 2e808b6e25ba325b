import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { testRedisUrl } from '../support/redis.js';

const dir = mkdtempSync(path.join(tmpdir(), 'studybot-term-deck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DECK = `questions:
  - id: term-q-walrus
    difficulty: easy
    question: What does the walrus operator do?
    options:
      - text: Assigns a value inside an expression
        correct: true
        why: "\`:=\` binds a name and yields the value."
      - text: Compares two values for identity
        why: That is \`is\`.
`;

// The real CLI, as someone at the terminal types: a path on this machine names the file.
describe('terminal: /config import <path>', { timeout: 180_000 }, () => {
  it('imports a local file and serves it with /quiz group; a missing path is named', async () => {
    const file = path.join(dir, 'walrus.yaml');
    writeFileSync(file, DECK);
    const r = await runCli(['start', '--user', 'ada'], {
      input: `${[`/config import ${path.join(dir, 'nope.yaml')}`, `/config import ${file}`, '/quiz group', '1'].join('\n')}\n`,
      env: { REDIS_URL: testRedisUrl(), DATA_DIR: path.join(dir, 'data'), CONTENT_DIR: FIXTURE_CONTENT, RUNNER: 'false' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`There is no file "${path.join(dir, 'nope.yaml')}"`);
    expect(r.stdout).toContain('Imported Our deck from walrus.yaml: 1 question and 0 flashcards, for this workspace only.');
    expect(r.stdout).toMatch(/── Quiz ──\nWhat does the walrus operator do\?/);
    expect(r.stdout).toMatch(/Our deck · easy/);
  });
});

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash, loadContentCached } from '../../src/content/cache.js';
import { ContentError, loadContent } from '../../src/content/loader.js';
import { FIXTURE_CONTENT } from '../support/app.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(): { content: string; cache: string } {
  const d = mkdtempSync(path.join(tmpdir(), 'studybot-cache-'));
  dirs.push(d);
  cpSync(FIXTURE_CONTENT, path.join(d, 'content'), { recursive: true });
  return { content: path.join(d, 'content'), cache: path.join(d, 'cache') };
}

describe('content validated once per version of the files', () => {
  it('reads the validated content back from the cache, identical to a fresh load', () => {
    const { content, cache } = scratch();
    const first = loadContentCached(content, cache);
    expect(readdirSync(cache)).toEqual([`content-${contentHash(content)}.json`]);
    const again = loadContentCached(content, cache);
    const fresh = loadContent(content);
    for (const c of [first, again]) {
      expect([...c.questionById.values()]).toEqual([...fresh.questionById.values()]);
      expect(c.lessons).toEqual(fresh.lessons);
      expect([...c.challengeById.keys()]).toEqual([...fresh.challengeById.keys()]);
      expect(c.trackById.get('alpha')).toEqual(fresh.trackById.get('alpha'));
    }
  });

  it('validates again when any file changes, so a broken edit is still reported with its line', () => {
    const { content, cache } = scratch();
    loadContentCached(content, cache);
    const quiz = path.join(content, 'quizzes', 'alpha.yaml');
    writeFileSync(quiz, readFileSync(quiz, 'utf8').replace('correct: true', 'correct: maybe'));
    expect(() => loadContentCached(content, cache)).toThrow(ContentError);
    expect(() => loadContentCached(content, cache)).toThrow(/content\/quizzes\/alpha\.yaml:\d+: questions\[\d+\]\.options\[\d+\]\.correct/);
  });
});

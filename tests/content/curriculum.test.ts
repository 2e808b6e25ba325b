import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/loader.js';
import type { Challenge, RunnableExample } from '../../src/content/types.js';
import { silentLogger } from '../../src/logger.js';
import { sandboxEnv } from '../support/app.js';
import { createSandbox, normalizeOutput, type Sandbox } from '../../src/runner/index.js';
import type { GradeResult, RunResult } from '../../src/contract/code-runs.js';
import { gradeJob } from '../../src/runs/producer.js';

/**
 * The course itself, proven: volumes, shapes, and every runnable example and challenge executed in
 * the real sandbox (the same image, limits and grader learners get).
 */
const content = loadContent('content');
const lessons = content.lessons;
const questions = [...content.questionById.values()];
const cards = [...content.cardById.values()];
const challenges = [...content.challengeById.values()];

/** Runs `tasks` with at most `limit` in flight (two cores: more would only queue in Docker). */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

describe('the curriculum', () => {
  it('has the volume the course promises', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(60);
    expect(cards.length).toBeGreaterThanOrEqual(250);
    expect(questions.length).toBeGreaterThanOrEqual(200);
    expect(challenges.length).toBeGreaterThanOrEqual(40);
  });

  it('every lesson: 300–900 words, objectives, a runnable example, official docs, in order', () => {
    for (const l of lessons) {
      expect.soft(l.wordCount, l.file).toBeGreaterThanOrEqual(300);
      expect.soft(l.wordCount, l.file).toBeLessThanOrEqual(900);
      expect.soft(l.examples.length, `${l.file} runnable examples`).toBeGreaterThanOrEqual(1);
      expect.soft(l.docs.length, l.file).toBeGreaterThanOrEqual(1);
    }
    for (const t of content.tracks) {
      const orders = lessons.filter((l) => l.track === t.id).map((l) => l.order);
      expect(orders, t.id).toEqual(orders.map((_, i) => i + 1));
    }
  });

  it('every question: four options, one correct, a why for each, linked back to its lesson', () => {
    for (const q of questions) {
      expect.soft(q.options.length, q.id).toBe(4);
      expect.soft(q.options.filter((o) => o.correct).length, q.id).toBe(1);
      expect
        .soft(
          q.options.every((o) => o.why.length > 10),
          q.id,
        )
        .toBe(true);
      expect.soft(content.lessonById.get(q.lessonId)?.quiz, q.id).toContain(q.id);
    }
    for (const c of cards) expect.soft(content.lessonById.get(c.lessonId)?.flashcards, c.id).toContain(c.id);
  });

  it('every challenge: at least 3 visible and 5 hidden cases, linked from a lesson', () => {
    for (const c of challenges) {
      expect.soft(c.cases.filter((x) => !x.hidden).length, c.id).toBeGreaterThanOrEqual(3);
      expect.soft(c.cases.filter((x) => x.hidden).length, c.id).toBeGreaterThanOrEqual(5);
      expect.soft(c.lessonId, c.id).toBeDefined();
    }
  });

  it("includes the sources' own exercises and challenges", () => {
    for (const id of [
      'recursive-factorial',
      'early-exit-bubble-sort',
      'shape-factory', // a Factory
      'event-observer', // an Observer
      'finish-order-workers', // threads running (and recording) concurrently
      'pool-sum-of-squares', // a multiprocess sum of squares
      'async-fetch-timeout', // concurrent fetches with a timeout
      'async-rate-limiter',
      'rotating-log-setup',
      'factorial-parametrized-tests', // a parametrized pytest suite
    ]) {
      expect(content.challengeById.has(id), id).toBe(true);
    }
  });

  it('concurrency challenges check the behaviour asked for, timed from outside the code', () => {
    const timed = (id: string) => content.challengeById.get(id)!.cases;
    // Only finishes within the limit if the waits overlap.
    expect(timed('finish-order-workers').some((c) => c.maxSeconds !== undefined)).toBe(true);
    expect(timed('async-fetch-timeout').some((c) => c.maxSeconds !== undefined)).toBe(true);
    // A rate limiter is held to its stated rate: a burst may not finish sooner than the rate allows.
    expect(timed('async-rate-limiter').some((c) => c.minSeconds !== undefined)).toBe(true);
  });

  it("challenges that ask for a method check it with measures taken outside the learner's process", () => {
    // What each challenge's statement asks for, and the outside measure a case holds it to.
    const demands: Record<string, Array<'threads' | 'processes' | 'started' | 'calls' | 'atOnce' | 'abandoned'>> = {
      'finish-order-workers': ['threads', 'started'], // a thread per job, running at the same time
      'alternating-printers': ['started'], // two threads per call
      'queue-worker-pool': ['threads', 'started'], // exactly `workers` consumer threads
      'offload-blocking-calls': ['threads', 'atOnce'], // worker threads, at most max_threads calls at once
      'multiprocess-word-count': ['processes'], // one process per share
      'pool-sum-of-squares': ['processes'], // a pool of exactly 2
      'async-fetch-timeout': ['atOnce', 'abandoned'], // all at once, timed-out ones cancelled
      'taskgroup-all-or-nothing': ['atOnce', 'abandoned'], // all at once, the rest cancelled on failure
      'async-pipeline': ['atOnce'], // exactly `workers` transforms at once
      'bounded-async-crawl': ['atOnce', 'calls'], // at most `limit` at once, each URL once
      'atomic-tally': ['calls'], // slow_io really between the read and the write
      'memoize-with-stats': ['calls'], // a hit does not call the function
      'ttl-lru-cache': ['calls'], // a live entry is not loaded again
      'repository-decorators': ['calls'], // a cache hit does not reach the component
      'early-exit-bubble-sort': ['calls'], // the items are compared as bubble sort compares them
    };
    for (const [id, measures] of Object.entries(demands)) {
      const cases = content.challengeById.get(id)!.cases;
      for (const measure of measures)
        expect
          .soft(
            cases.some((c) => c.observe?.[measure] !== undefined),
            `${id}: ${measure}`,
          )
          .toBe(true);
    }
  });

  it('test-writing challenges hide a correct module written differently from the visible ones', () => {
    for (const c of challenges.filter((x) => x.grader === 'pytest')) {
      const shown = new Set(c.cases.filter((x) => !x.hidden).map((x) => x.module?.trim()));
      expect(
        c.cases.some((x) => x.hidden && x.expected === 'pass' && !shown.has(x.module?.trim())),
        c.id,
      ).toBe(true);
    }
  });
});

describe('the curriculum in the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox(loadConfig({ SANDBOX_POOL_SIZE: '2', ...sandboxEnv() }).runner, silentLogger);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('every runnable example prints exactly what its lesson says', async () => {
    const examples = lessons.flatMap((l) => l.examples.map((e) => ({ lesson: l, e })));
    const failures: string[] = [];
    await inParallel(examples, 2, async ({ lesson, e }: { lesson: (typeof lessons)[number]; e: RunnableExample }) => {
      const r = (await sandbox.run({ kind: 'run', submissionId: `example-${lesson.id}-${e.line}`, code: e.code, stdin: '' })) as RunResult;
      if (r.status !== 'ok' || normalizeOutput(r.stdout) !== normalizeOutput(e.output)) {
        failures.push(`${lesson.file}:${e.line}: ${r.status}\n--- expected\n${e.output}\n--- got\n${r.stdout}${r.stderr}`);
      }
    });
    expect(failures).toEqual([]);
  }, 600_000);

  it('every challenge: the reference solution passes every case and the starter fails at least one', async () => {
    const failures: string[] = [];
    await inParallel(challenges, 2, async (challenge: Challenge) => {
      // Graded with every case shown, so that a failure names the case and says why.
      const c = { ...challenge, cases: challenge.cases.map((x) => ({ ...x, hidden: false })) };
      const solution = (await sandbox.run(gradeJob(`solution-${c.id}`, c.solution, c))) as GradeResult;
      if (!solution.passed) {
        const bad = solution.cases.filter((x) => !x.passed).map((x) => `${x.name}: ${x.status} ${x.why ?? ''} ${x.got ?? ''} ${x.stderr ?? ''}`);
        failures.push(`${c.id}: the solution fails ${bad.join('; ')}`);
      }
      const starter = (await sandbox.run(gradeJob(`starter-${c.id}`, c.starter, c))) as GradeResult;
      if (starter.passed) failures.push(`${c.id}: the starter passes every case`);
    });
    expect(failures).toEqual([]);
  }, 1_200_000);
});

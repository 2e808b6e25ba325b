/**
 * Core benchmark (npm run bench:core): the learning commands at 1,000 and 100,000 learners.
 *
 * For each size, in one run: seeds the learners through the project's own write paths (quiz answers
 * and flashcard reviews that award points and record streak days, over 8 weeks), then measures the
 * p50 and p99 of /leaderboard (week, all, streaks), /progress, /quiz and a quiz answer through the
 * real router and handlers; then scored answers per second with 1,000 learners answering the same
 * question at once (each must score exactly once). Then the compiled bot itself: time to ready and
 * idle RSS of `node dist/src/cli.js start`. Last, the ratio of the worst board p99 at 100,000
 * learners to the same at 1,000, which must stay at or under 2.
 *
 * Sizes: BENCH_LEARNERS (default "1000,100000"); samples per command BENCH_SAMPLES (default 300).
 * Uses REDIS_URL when set, otherwise its own redis-server on a temporary unix socket.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type App, startApp } from '../src/app.js';
import type { ChatContext } from '../src/chat/context.js';
import { parseCommandLine } from '../src/chat/parse.js';
import type { Reply } from '../src/chat/reply.js';
import { and, eq, like, sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { points as pointsTable } from '../src/db/schema.js';
import { startPrivateRedis } from '../src/infra/redis-server.js';
import { rateCard } from '../src/learning/flashcards.js';
import { answer, createPost, optionOrder } from '../src/learning/quizzes.js';
import { enterLearner } from '../src/learning/users.js';
import { silentLogger } from '../src/logger.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_LEARNERS ?? '1000,100000').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-03T12:00:00Z'); // a Wednesday: the week has two days of points in it
const WS = 'discord:bench';

interface Stats {
  p50: number;
  p99: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99) };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const line = (label: string, s: Stats) => console.log(`  ${label.padEnd(26)} p50 ${ms(s.p50).padStart(10)}   p99 ${ms(s.p99).padStart(10)}`);

function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function ctxOf(userId: string): ChatContext {
  return {
    platform: 'discord',
    workspaceId: 'bench',
    channelId: 'study',
    userId,
    userName: `learner ${userId}`,
    locale: 'en-US',
    isAdmin: false,
    conversation: { platform: 'discord', workspaceId: 'bench', channelId: 'study', userId },
  };
}

/**
 * Eight weeks of study for `n` learners, through the functions the commands use: each learner is
 * active on about two days a week, answering a question (10 points when right) and reviewing a card.
 */
function seed(app: App, n: number): { answers: number; reviews: number } {
  const { db, content } = app.services;
  const random = lcg(n);
  const questions = [...content.questionById.values()];
  const cards = [...content.cardById.values()];
  const zones = ['UTC', 'Europe/Rome', 'America/New_York', 'Asia/Kolkata'];
  let answers = 0;
  let reviews = 0;
  const reps = new Map<string, number>();
  const BATCH = 500;
  for (let start = 0; start < n; start += BATCH) {
    db.transaction((tx) => {
      for (let u = start; u < Math.min(n, start + BATCH); u++) {
        const userId = `u${u}`;
        const zone = zones[u % zones.length]!;
        enterLearner(tx, { ws: WS, userId, name: `learner ${u}` }, NOW - 60 * DAY, 'UTC');
        // Recent learners were active lately; the rest stopped some weeks ago.
        const lastDay = Math.floor(random() * 70) - 14;
        for (let d = 56; d >= Math.max(0, lastDay); d--) {
          if (random() > 0.3) continue;
          const at = NOW - d * DAY - Math.floor(random() * 6) * 3_600_000;
          const q = questions[Math.floor(random() * questions.length)]!;
          const post = createPost(tx, { ws: WS, channelId: 'study', question: q, source: 'command', now: at, openMs: DAY, random });
          const shown = random() < 0.7 ? optionOrder(post, q).indexOf(q.options.findIndex((o) => o.correct)) : 0;
          answer(tx, content, { ws: WS, channelId: 'study', postId: post.id, userId, shown, now: at + 60_000, zone, workspaceZone: 'UTC' });
          answers++;
          if (random() < 0.5) {
            const card = cards[(u + d) % cards.length]!;
            const key = `${u}:${card.id}`;
            const seen = reps.get(key) ?? 0;
            const r = rateCard(tx, content, {
              ws: WS,
              userId,
              cardId: card.id,
              expectedReps: seen,
              rating: 3,
              now: at + 120_000,
              zone,
              workspaceZone: 'UTC',
              newPerDay: 1000,
            });
            if (r.kind === 'rated') {
              reps.set(key, seen + 1);
              reviews++;
            }
          }
        }
      }
    });
  }
  return { answers, reviews };
}

async function time(samples: number, fn: (i: number) => Promise<unknown>): Promise<Stats> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return stats(out);
}

const textOf = (replies: Reply[]) => replies.map((r) => (r.kind === 'message' ? JSON.stringify(r.message) : '')).join('');

async function measure(n: number, redisUrl: string): Promise<Record<string, Stats>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'studybot-bench-core-'));
  const config = loadConfig({ REDIS_URL: redisUrl, DATA_DIR: dir, RUNNER: 'false', COMMANDS_PER_MINUTE: '10000', CLICKS_PER_MINUTE: '10000' }, root);
  const app = await startApp({ config, logger: silentLogger, clock: { now: () => NOW }, runner: false, redisPrefix: `bench-${n}:` });
  try {
    const t0 = performance.now();
    const seeded = seed(app, n);
    console.log(
      `\n${n.toLocaleString('en')} learners: seeded ${seeded.answers.toLocaleString('en')} answers and ${seeded.reviews.toLocaleString('en')} reviews in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const random = lcg(42);
    const someone = () => `u${Math.floor(random() * n)}`;
    const run = (userId: string, line: string) => app.router.dispatch(parseCommandLine(line, app.router.commands), ctxOf(userId));
    const results: Record<string, Stats> = {};
    for (const board of ['week', 'all', 'streaks'] as const) {
      results[`/leaderboard ${board}`] = await time(SAMPLES, () => run(someone(), `/leaderboard ${board}`));
    }
    results['/progress'] = await time(SAMPLES, () => run(someone(), '/progress'));
    results['/quiz'] = await time(SAMPLES, () => run(someone(), '/quiz'));
    // An answer click on a fresh post each time (so every one is a first, scored answer).
    const questions = [...app.services.content.questionById.values()];
    const posts = Array.from({ length: SAMPLES }, (_, i) =>
      createPost(app.services.db, {
        ws: WS,
        channelId: 'study',
        question: questions[i % questions.length]!,
        source: 'command',
        now: NOW,
        openMs: DAY,
        random: Math.random,
      }),
    );
    results['quiz answer'] = await time(SAMPLES, (i) =>
      app.router.dispatch({ type: 'component', id: `quiz:answer:1:${posts[i]!.id}:0` }, ctxOf(someone())),
    );
    for (const [label, s] of Object.entries(results)) line(label, s);

    // 1,000 learners answer the same question at once, through the full command path.
    const q = [...app.services.content.questionById.values()][0]!;
    const post = createPost(app.services.db, {
      ws: WS,
      channelId: 'study',
      question: q,
      source: 'command',
      now: NOW,
      openMs: DAY,
      random: Math.random,
    });
    const right = optionOrder(post, q).indexOf(q.options.findIndex((o) => o.correct));
    const crowd = Array.from({ length: 1000 }, (_, i) => `crowd-${i}`);
    const t1 = performance.now();
    const replies = await Promise.all(
      crowd.map((u) => app.router.dispatch({ type: 'component', id: `quiz:answer:1:${post.id}:${right}` }, ctxOf(u))),
    );
    const elapsed = performance.now() - t1;
    const scored = replies.filter((r) => textOf(r).includes('+10 points')).length;
    const points = app.services.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(pointsTable)
      .where(and(eq(pointsTable.workspace, WS), like(pointsTable.userId, 'crowd-%')))
      .get()!;
    console.log(
      `  1,000 learners answering at once: ${((1000 / elapsed) * 1000).toFixed(0)} scored answers/s; ${scored} replies said +10, ${points.n} point rows (each must be 1,000)`,
    );
    return results;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the compiled bot with the terminal chat (no platform tokens) and reports ready time and idle RSS. */
async function botProcess(redisUrl: string): Promise<{ readyMs: number; rssMb: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'studybot-bench-bot-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist/src/cli.js'), 'start', '--user', 'bench'], {
    cwd: root,
    env: { ...process.env, REDIS_URL: redisUrl, DATA_DIR: dir, NO_COLOR: '1', LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('terminal chat as bench')) resolve(performance.now() - t0);
      });
      child.on('exit', (code) => reject(new Error(`the bot exited (${code}) before it was ready:\n${out}`)));
    });
    await new Promise((r) => setTimeout(r, 5000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { readyMs, rssMb: rssKb / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const own = process.env.REDIS_URL
    ? undefined
    : await startPrivateRedis(mkdtempSync(path.join(tmpdir(), 'studybot-bench-redis-')), { persist: false });
  const redisUrl = process.env.REDIS_URL ?? own!.url;
  try {
    const bySize = new Map<number, Record<string, Stats>>();
    for (const n of SIZES) bySize.set(n, await measure(n, redisUrl));

    // A first start validates the content and fills the cache; time to ready is the second start.
    await botProcess(redisUrl);
    const bot = await botProcess(redisUrl);
    console.log(
      `\nbot process (compiled, terminal chat, in-process runner): ready in ${bot.readyMs.toFixed(0)} ms, idle RSS ${bot.rssMb.toFixed(0)} MiB`,
    );

    const worst = (n: number) => Math.max(...['week', 'all', 'streaks'].map((b) => bySize.get(n)![`/leaderboard ${b}`]!.p99));
    const [small, large] = [Math.min(...SIZES), Math.max(...SIZES)];
    if (small !== large) {
      console.log(
        `\nworst board p99: ${ms(worst(large))} at ${large.toLocaleString('en')} learners, ${ms(worst(small))} at ${small.toLocaleString('en')}` +
          ` — ratio ${(worst(large) / worst(small)).toFixed(2)} (target ≤ 2)`,
      );
    }
  } finally {
    await own?.stop();
  }
}

await main();

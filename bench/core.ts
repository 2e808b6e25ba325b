/**
 * Core benchmark (npm run bench:core): the learning commands at 1,000 and 100,000 learners.
 *
 * For each size, in one run: seeds the learners through the project's own write paths (points and
 * streak days over 8 weeks, the last days as full quiz answers and flashcard reviews), then measures the
 * p50 and p99 of /leaderboard (week, all, streaks), /progress, /quiz and a quiz answer through the
 * real router and handlers; then scored answers per second with 1,000 learners answering the same
 * question at once (each must score exactly once), five rounds and their median. Then the compiled
 * bot itself, started as `npm start` starts it: time to ready, and idle RSS ten seconds after ready.
 * Last, the ratio of the worst board p99 at 100,000 learners to the same at 1,000, which must stay
 * at or under 2.
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
import { award } from '../src/learning/points.js';
import { recordActivity } from '../src/learning/streaks.js';
import { answer, createPost, optionOrder } from '../src/learning/quizzes.js';
import { enterLearner } from '../src/learning/users.js';
import { silentLogger } from '../src/logger.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_LEARNERS ?? '1000,100000').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const ROUNDS = 5;
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

/** Days of the eight weeks whose answers and reviews go through the full command functions. */
const FULL_DAYS = 3;

/**
 * Eight weeks of study for `n` learners, about two active days a week each, through the project's
 * own write functions. Each day the channel gets a few quiz posts; on the last few days every
 * active learner answers one of them (`answer`: the answer, its points, streak, mistakes and
 * mastery) and reviews a card (`rateCard`). Earlier days write what those same functions write for
 * the boards, the points (`award`) and the streak day (`recordActivity`), without the per-answer
 * rows the boards never read: that keeps 100,000 learners to a few minutes of seeding.
 */
function seed(app: App, n: number): { answers: number; awards: number; reviews: number } {
  const { db, content } = app.services;
  const random = lcg(n);
  const questions = [...content.questionById.values()];
  const cards = [...content.cardById.values()];
  const zones = ['UTC', 'Europe/Rome', 'America/New_York', 'Asia/Kolkata'];
  let answers = 0;
  let awards = 0;
  let reviews = 0;
  // A few posts a day, open for a day from the morning (UTC).
  const posts = Array.from({ length: 57 }, (_, d) =>
    Array.from({ length: 4 }, (_, k) => {
      const question = questions[(d * 4 + k) % questions.length]!;
      const post = createPost(db, { ws: WS, channelId: 'study', question, source: 'daily', now: NOW - d * DAY - 6 * 3_600_000, openMs: DAY, random });
      return { post, question, right: optionOrder(post, question).indexOf(question.options.findIndex((o) => o.correct)) };
    }),
  );
  const BATCH = 2000;
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
          const today = posts[d]![Math.floor(random() * 4)]!;
          if (d >= FULL_DAYS) {
            if (random() < 0.7 && award(tx, { ws: WS, userId, amount: 10, reason: 'quiz', ref: today.question.id, now: at, workspaceZone: 'UTC' }))
              awards++;
            recordActivity(tx, WS, userId, zone, at);
            continue;
          }
          const shown = random() < 0.7 ? today.right : (today.right + 1) % today.question.options.length;
          answer(tx, content, { ws: WS, channelId: 'study', postId: today.post.id, userId, shown, now: at, zone, workspaceZone: 'UTC' });
          answers++;
          const card = cards[(u + d) % cards.length]!;
          const r = rateCard(tx, content, {
            ws: WS,
            userId,
            cardId: card.id,
            expectedReps: 0,
            rating: 3,
            now: at + 120_000,
            zone,
            workspaceZone: 'UTC',
            newPerDay: 1000,
          });
          if (r.kind === 'rated') reviews++;
        }
      }
    });
  }
  return { answers, awards, reviews };
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
  // The commands' own work at scale; drawing their cards costs the same at any size and is timed in bench/pictures.ts.
  const config = loadConfig(
    { REDIS_URL: redisUrl, DATA_DIR: dir, RUNNER: 'false', COMMANDS_PER_MINUTE: '10000', CLICKS_PER_MINUTE: '10000', PICTURES: 'false' },
    root,
  );
  const app = await startApp({ config, logger: silentLogger, clock: { now: () => NOW }, runner: false, redisPrefix: `bench-${n}:` });
  try {
    const t0 = performance.now();
    const seeded = seed(app, n);
    console.log(
      `\n${n.toLocaleString('en')} learners: seeded ${seeded.awards.toLocaleString('en')} earlier awards with their streak days, then ${seeded.answers.toLocaleString('en')} answers and ${seeded.reviews.toLocaleString('en')} reviews, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    // Seeding's garbage is collected before anything is timed (npm run bench:core exposes gc).
    (globalThis as { gc?: () => void }).gc?.();
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

    // 1,000 learners answer the same question at once, through the full command path: five rounds,
    // each a new question and a new crowd of members who have used the bot before.
    const rates: number[] = [];
    let exact = true;
    for (let round = 0; round < ROUNDS; round++) {
      const q = questions[round % questions.length]!;
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
      const crowd = Array.from({ length: 1000 }, (_, i) => `crowd-${round}-${i}`);
      for (const u of crowd) enterLearner(app.services.db, { ws: WS, userId: u, name: `learner ${u}` }, NOW, 'UTC');
      const t1 = performance.now();
      const replies = await Promise.all(
        crowd.map((u) => app.router.dispatch({ type: 'component', id: `quiz:answer:1:${post.id}:${right}` }, ctxOf(u))),
      );
      rates.push((1000 / (performance.now() - t1)) * 1000);
      const scored = replies.filter((r) => /\+\d+ points/.test(textOf(r))).length;
      const rows = app.services.db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(pointsTable)
        .where(and(eq(pointsTable.workspace, WS), like(pointsTable.userId, `crowd-${round}-%`)))
        .get()!.n;
      if (scored !== 1000 || rows !== 1000) {
        exact = false;
        console.log(`  round ${round + 1}: ${scored} replies gave points and ${rows} point rows were written, where each must be 1,000`);
      }
    }
    const median = [...rates].sort((x, y) => x - y)[Math.floor(rates.length / 2)]!;
    console.log(
      `  1,000 learners answering at once, ${ROUNDS} rounds: median ${median.toFixed(0)} scored answers/s (target ≥ 1,000; rounds ${rates.map((r) => r.toFixed(0)).join(', ')});` +
        ` ${exact ? 'every round exactly 1,000 replies with points and 1,000 point rows' : 'NOT exactly one score each'}`,
    );
    return results;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How `npm start` runs the compiled bot: the environment variables and node flags of the last
 * command of its script (`A=1 B=2 node --flag dist/src/cli.js start`), so the bench measures the
 * process as it is started for real.
 */
function startCommand(): { env: Record<string, string>; flags: string[] } {
  const script: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const last = script.split('&&').at(-1)!.trim().split(/\s+/);
  const node = last.indexOf('node');
  const env = Object.fromEntries(last.slice(0, node).map((kv) => kv.split('=', 2) as [string, string]));
  const flags = last.slice(node + 1, last.indexOf('dist/src/cli.js'));
  return { env, flags };
}

/** Starts the compiled bot with the terminal chat (no platform tokens) and reports ready time and idle RSS. */
async function botProcess(redisUrl: string, dir: string): Promise<{ readyMs: number; rssMb: number; rss: number[] }> {
  const { env, flags } = startCommand();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...flags, path.join(root, 'dist/src/cli.js'), 'start', '--user', 'bench'], {
    cwd: root,
    env: { ...process.env, ...env, REDIS_URL: redisUrl, DATA_DIR: dir, NO_COLOR: '1', LOG_LEVEL: 'warn' },
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
    // Resident memory each second for ten seconds after ready: start-up's garbage is collected once
    // the process has been idle a few seconds (V8's memory reducer), and idle is the last reading.
    const rss: number[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
    }
    return { readyMs, rssMb: rss.at(-1)!, rss };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Bare Node with the same flags, idle: the floor under the bot's own memory. */
async function bareNodeRssMb(): Promise<number> {
  const { env, flags } = startCommand();
  const child = spawn(process.execPath, [...flags, '-e', 'setTimeout(() => {}, 60_000)'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 10_000));
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/**
 * How long a bare Node process with the same flags takes to print its first line, the median of
 * five: the machine's own start-up cost, the baseline for the bot's time to ready.
 */
async function bareNodeStartMs(): Promise<number> {
  const { env, flags } = startCommand();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...flags, '-e', 'process.stdout.write("up")'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    times.push(performance.now() - t0);
    await new Promise((r) => child.once('exit', r));
  }
  return times.sort((a, b) => a - b)[2]!;
}

async function main(): Promise<void> {
  const own = process.env.REDIS_URL
    ? undefined
    : await startPrivateRedis(mkdtempSync(path.join(tmpdir(), 'studybot-bench-redis-')), { persist: false });
  const redisUrl = process.env.REDIS_URL ?? own!.url;
  try {
    // The bot process first, while this process is fresh: after 100,000 learners its own garbage
    // collection would compete with the bot's start-up for the machine's two cores.
    // A first start validates the content and fills the cache; time to ready is the second start.
    // The same data directory both times, where the content cache is kept.
    const botDir = mkdtempSync(path.join(tmpdir(), 'studybot-bench-bot-'));
    await botProcess(redisUrl, botDir);
    const bot = await botProcess(redisUrl, botDir);
    rmSync(botDir, { recursive: true, force: true });
    const bareStart = await bareNodeStartMs();

    const bySize = new Map<number, Record<string, Stats>>();
    for (const n of SIZES) bySize.set(n, await measure(n, redisUrl));

    const { env, flags } = startCommand();
    console.log(
      `\nbot process (compiled, terminal chat, in-process runner; ${[...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...flags].join(' ')}, as npm start): ` +
        `ready in ${bot.readyMs.toFixed(0)} ms (target ≤ 600), idle RSS ${bot.rssMb.toFixed(0)} MiB 10 s after ready (target ≤ 120)`,
    );
    console.log(
      `  bare Node, same flags, to its first line: ${bareStart.toFixed(0)} ms; ready is ${(bot.readyMs / bareStart).toFixed(1)}× that on this machine`,
    );
    console.log(`  RSS 1 s to 10 s after ready: ${bot.rss.map((r) => r.toFixed(0)).join(', ')} MiB`);
    const bare = await bareNodeRssMb();
    console.log(`  bare Node, same flags, idle: ${bare.toFixed(0)} MiB; the bot's own share ${(bot.rssMb - bare).toFixed(0)} MiB`);

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

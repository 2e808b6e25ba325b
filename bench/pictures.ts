/**
 * Pictures benchmark (npm run bench:pictures): how long each card takes to draw and what it costs
 * in memory, against baselines measured in the same run.
 *
 * For the profile, streak and board cards: the first (cold) render, which loads the fonts and
 * satori's layout engine, then BENCH_SAMPLES renders each (default 200) timed as layout (satori:
 * element tree to SVG) and raster (resvg: SVG to pixels, then png.ts: pixels to PNG), with p50 and p95 and the PNG's size. Two
 * baselines: a blank card of the same size through the same two steps (the fixed cost of the
 * pipeline), and the text-only /progress message rendered for Discord and Slack (what a reply cost
 * before pictures). Last, resident memory before the first render, after the warm-up, and after
 * every sample (a leak would show as growth between the last two). Target: each card p50 ≤ 50 ms.
 */
import { performance } from 'node:perf_hooks';
import type { Message } from '../src/chat/reply.js';
import { blankLayout, boardLayout, boardSize, type Layout, profileLayout, streakLayout } from '../src/pictures/cards.js';
import { boardCard, type BoardCardData, profileCard, type ProfileCardData, streakCard, type StreakCardData } from '../src/pictures/index.js';
import { toPng, toSvg } from '../src/pictures/render.js';
import { ComponentIds } from '../src/platforms/discord/component-ids.js';
import { renderMessage as discordMessage } from '../src/platforms/discord/render.js';
import { renderMessage as slackMessage } from '../src/platforms/slack/blocks.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const TARGET_MS = 50;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${n.toFixed(2)} ms`.padStart(10);

function stats(samples: number[]): { p50: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

function days(): { day: string; count: number }[] {
  const last = Date.UTC(2026, 5, 3);
  return Array.from({ length: 84 }, (_, i) => ({
    day: new Date(last - (83 - i) * 86_400_000).toISOString().slice(0, 10),
    count: (i * 7919) % 11 > 4 ? (i * 31) % 9 : 0,
  }));
}

const profile: ProfileCardData = {
  name: 'Ada Lovelace',
  points: { total: 12_840, week: 385 },
  rank: 3,
  streak: { current: 12, longest: 30, freezes: 2 },
  heatmap: days(),
  tracks: [
    { title: 'Asyncio and concurrency', mastery: 0.92, label: 'mastered' },
    { title: 'Typing', mastery: 0.71, label: 'solid' },
    { title: 'Testing with pytest', mastery: 0.38, label: 'shaky' },
    { title: 'Design patterns', mastery: 0.12, label: 'shaky' },
    { title: 'Databases', mastery: 0, label: 'new' },
  ],
};
const heat = days();
const streak: StreakCardData = {
  name: 'Ada Lovelace',
  streak: { current: 12, longest: 30, freezes: 1, frozenDays: [heat[60]!.day] },
  heatmap: heat.map((d, i) => (i === 60 ? { ...d, count: 0 } : d)),
};
const board: BoardCardData = {
  title: 'Leaderboard — this week',
  subtitle: 'Points earned since Monday',
  unit: 'points',
  rows: Array.from({ length: 11 }, (_, i) => ({ rank: i + 1, name: `Learner number ${i + 1}`, score: 1240 - i * 97, ...(i === 6 && { me: true }) })),
};

/** The text /progress sends beside its card: the baseline a reply cost before pictures. */
const progressText: Message = {
  title: "Ada Lovelace's progress",
  blocks: [
    {
      kind: 'text',
      markdown:
        '**Points:** 12840 all time · 385 this week (#3)\n**Streak:** 12 days (longest 30)\n**Flashcards due:** 4\n**Lessons read:** 9 of 24 · **challenges solved:** 3 of 8',
    },
    { kind: 'text', markdown: profile.tracks.map((t) => `\`▰▰▰▱▱▱▱▱▱▱\` **${t.title}** — ${t.label} · read 2/4`).join('\n') },
    { kind: 'note', markdown: 'Mastery joins what you would recall of each lesson’s flashcards now, your recent quiz answers and its challenge.' },
    { kind: 'note', markdown: 'Up next: “Context managers” — /lesson show context-managers' },
  ],
};

async function timeLayout(layout: Layout): Promise<{ layout: number[]; raster: number[]; total: number[]; bytes: number }> {
  const out = { layout: [] as number[], raster: [] as number[], total: [] as number[], bytes: 0 };
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const svg = await toSvg(layout.tree, layout.size);
    const t1 = performance.now();
    const png = await toPng(svg);
    const t2 = performance.now();
    out.layout.push(t1 - t0);
    out.raster.push(t2 - t1);
    out.total.push(t2 - t0);
    out.bytes = png.length;
    // Between two requests a bot returns to its event loop, where the renderer's native memory is
    // released (napi finalizers run there); a loop that never yields would only measure a backlog.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

function timeSync(f: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(`Pictures benchmark: ${SAMPLES} samples per card, Node ${process.version}, ${process.platform}/${process.arch}`);
  const rssStart = process.memoryUsage().rss;

  const cold: [string, () => Promise<Buffer>][] = [
    ['profile', () => profileCard(profile)],
    ['streak', () => streakCard(streak)],
    ['board', () => boardCard(board)],
  ];
  console.log('\nFirst render (fonts and layout engine loaded on first use):');
  for (const [name, f] of cold) {
    const t0 = performance.now();
    await f();
    console.log(`  ${name.padEnd(10)} ${ms(performance.now() - t0)}`);
  }
  const rssWarm = process.memoryUsage().rss;

  const ids = new ComponentIds();
  const slack = { commandNames: ['progress', 'lesson'], commandPrefix: 'study' };
  const textDiscord = stats(timeSync(() => discordMessage(progressText, ids)));
  const textSlack = stats(timeSync(() => slackMessage(progressText, slack)));
  const blank = await timeLayout(blankLayout(boardSize(11)));
  const blankTotal = stats(blank.total);

  console.log(`\nWarm renders (p50 / p95; target p50 ≤ ${TARGET_MS} ms):`);
  console.log(
    `  ${'card'.padEnd(10)} ${'layout p50'.padStart(10)} ${'raster p50'.padStart(10)} ${'total p50'.padStart(10)} ${'total p95'.padStart(10)}   PNG      vs blank  vs text`,
  );
  const row = (name: string, r: { layout: number[]; raster: number[]; total: number[]; bytes: number }) => {
    const total = stats(r.total);
    console.log(
      `  ${name.padEnd(10)} ${ms(stats(r.layout).p50)} ${ms(stats(r.raster).p50)} ${ms(total.p50)} ${ms(total.p95)}   ${`${(r.bytes / 1024).toFixed(0)} KB`.padEnd(8)} ×${(total.p50 / blankTotal.p50).toFixed(1).padEnd(7)} ×${(total.p50 / textDiscord.p50).toFixed(0)}` +
        (total.p50 <= TARGET_MS ? '' : '   over target'),
    );
    return total.p50;
  };
  row('blank', blank);
  const worst = Math.max(
    row('profile', await timeLayout(profileLayout(profile))),
    row('streak', await timeLayout(streakLayout(streak))),
    row('board', await timeLayout(boardLayout(board))),
  );
  console.log(`\nBaselines, the text-only /progress message rendered (p50 / p95):`);
  console.log(`  for Discord ${ms(textDiscord.p50)} ${ms(textDiscord.p95)}`);
  console.log(`  for Slack   ${ms(textSlack.p50)} ${ms(textSlack.p95)}`);
  console.log(`  blank card  ${ms(blankTotal.p50)} ${ms(blankTotal.p95)}  (same pipeline, nothing drawn)`);
  const rssEnd = process.memoryUsage().rss;
  console.log(
    `\nMemory (RSS): ${mb(rssStart)} at start, ${mb(rssWarm)} after the first renders (+${mb(rssWarm - rssStart)}), ${mb(rssEnd)} after ${SAMPLES * 4} more (+${mb(rssEnd - rssWarm)})`,
  );
  console.log(
    `Slowest card p50 ${worst.toFixed(1)} ms: ${worst <= TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS} ms target, ×${(worst / textDiscord.p50).toFixed(0)} the text-only reply.`,
  );
}

await main();

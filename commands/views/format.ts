/** Small formatting pieces several commands' messages share. */

export const LETTERS = 'ABCDE';

export const MEDALS = ['🥇', '🥈', '🥉'];

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A progress bar of `width` cells: ▰▰▰▱▱. */
export function bar(done: number, total: number, width = 10): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

/** A duration as a learner reads it on a button: 10m, 3h, 4d, 2mo, 1y. */
export function formatInterval(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${Math.max(1, m)}m`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.round(h / 24);
  if (d < 60) return `${d}d`;
  const mo = Math.round(d / 30);
  return mo < 24 ? `${mo}mo` : `${Math.round(d / 365)}y`;
}

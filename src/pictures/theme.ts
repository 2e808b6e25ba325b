import type { MasteryLabel } from './types.js';

/** One dark palette for every card: it reads well on Discord's and Slack's dark and light themes. */
export const COLORS = {
  /** Flat: a gradient costs a third more to rasterise and makes the PNG many times larger. */
  background: '#0f172a',
  panel: '#1e293b',
  line: '#334155',
  text: '#f1f5f9',
  muted: '#94a3b8',
  faint: '#64748b',
  /** Python's blue and yellow. */
  blue: '#3776ab',
  yellow: '#ffd43b',
  /** A day with no activity, then four levels of more. */
  heat: ['#273449', '#0e4429', '#006d32', '#26a641', '#39d353'],
  frozen: '#7dd3fc',
  highlight: '#1d3a6e',
} as const;

export const MASTERY_COLORS: Record<MasteryLabel, string> = {
  mastered: '#22c55e',
  solid: '#3b82f6',
  shaky: '#f59e0b',
  new: '#64748b',
};

export const MEDALS = [
  { fill: '#fbbf24', ring: '#b45309', text: '#422006' },
  { fill: '#e2e8f0', ring: '#64748b', text: '#1e293b' },
  { fill: '#cd7f32', ring: '#7c3f12', text: '#2a1405' },
] as const;

/** What the cards are drawn from: plain data, gathered by the commands. */

export interface HeatDay {
  /** YYYY-MM-DD, the learner's local day. */
  day: string;
  count: number;
}

export type MasteryLabel = 'mastered' | 'solid' | 'shaky' | 'new';

export interface ProfileCardData {
  name: string;
  points: { total: number; week: number };
  /** Place on this week's board. */
  rank?: number;
  streak: { current: number; longest: number; freezes: number };
  /** The last 84 days, oldest first. */
  heatmap: HeatDay[];
  tracks: {
    title: string;
    /** 0..1 */
    mastery: number;
    label: MasteryLabel;
  }[];
}

export interface StreakCardData {
  name: string;
  streak: { current: number; longest: number; freezes: number; frozenDays: string[] };
  /** The last 84 days, oldest first. */
  heatmap: HeatDay[];
}

export interface BoardCardData {
  title: string;
  subtitle?: string;
  /** What the scores count ("points", "mastery"). */
  unit: string;
  rows: { rank: number; name: string; score: number; me?: boolean }[];
}

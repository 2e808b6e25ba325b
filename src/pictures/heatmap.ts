import { box, type Element, label, painted, rect } from './element.js';
import { COLORS } from './theme.js';
import type { HeatDay } from './types.js';

export const WEEKS = 12;
export const DAYS = WEEKS * 7;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface Cell {
  day?: string;
  count: number;
  frozen: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string | undefined): { month: number; weekday: number } | undefined {
  const m = day ? DAY.exec(day) : null;
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) ? undefined : { month: date.getUTCMonth(), weekday: date.getUTCDay() };
}

/** The last 84 days as 12 columns of 7, oldest first; missing days at the start stay empty. */
export function heatCells(days: readonly HeatDay[], frozen: readonly string[] = []): Cell[][] {
  const ice = new Set(frozen);
  const last = days.slice(-DAYS);
  const cells: Cell[] = [
    ...Array.from({ length: DAYS - last.length }, () => ({ count: 0, frozen: false })),
    ...last.map((d) => ({ day: d.day, count: Number.isFinite(d.count) ? Math.max(0, d.count) : 0, frozen: ice.has(d.day) })),
  ];
  return Array.from({ length: WEEKS }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

/** 0 for a day without activity, then 1 to 4 relative to the busiest day. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((4 * count) / max)));
}

export interface HeatmapStyle {
  cell: number;
  gap: number;
  fontSize: number;
}

/**
 * A GitHub-style activity grid: weeks as columns (oldest on the left), weekdays as rows, month
 * names over the columns where a month begins, frozen days in ice blue, today outlined. The cells
 * are painted as one set of shapes and the names placed absolutely: laid out as boxes, the 84 cells
 * cost more than the rest of a card together.
 */
export function heatmap(days: readonly HeatDay[], frozen: readonly string[], s: HeatmapStyle): Element {
  const weeks = heatCells(days, frozen);
  const flat = weeks.flat();
  const max = Math.max(0, ...flat.map((c) => c.count));
  const step = s.cell + s.gap;
  const labelWidth = Math.round(s.fontSize * 2.6);
  const gridWidth = WEEKS * step - s.gap;
  const gridHeight = 7 * step - s.gap;
  const firstKnown = flat.findIndex((c) => parts(c.day));
  const weekdayOfRow = (row: number): number | undefined => {
    if (firstKnown < 0) return undefined;
    const known = parts(flat[firstKnown]!.day)!;
    return (((known.weekday + row - (firstKnown % 7)) % 7) + 7) % 7;
  };
  let lastMonth: number | undefined;
  const months = weeks.map((week, w) => {
    const month = parts(week.find((c) => c.day)?.day)?.month;
    const named = month !== undefined && month !== lastMonth && (w > 0 || parts(weeks[1]?.[0]?.day)?.month === month);
    if (month !== undefined) lastMonth = month;
    return named ? label(MONTHS[month!]!, { position: 'absolute', left: w * step, top: 0, fontSize: s.fontSize, color: COLORS.muted }) : null;
  });
  const radius = Math.max(2, Math.round(s.cell / 5));
  const cells = weeks
    .flatMap((week, w) =>
      week.map((c, d) => {
        const today = w * 7 + d === flat.length - 1 && c.day !== undefined;
        const fill = c.frozen && c.count === 0 ? COLORS.frozen : COLORS.heat[heatLevel(c.count, max)]!;
        const border = today ? COLORS.text : c.frozen && c.count > 0 ? COLORS.frozen : undefined;
        return rect(w * step, d * step, s.cell, s.cell, radius, fill, border ? { width: 2, color: border } : undefined);
      }),
    )
    .join('');
  const rowLabels = Array.from({ length: 7 }, (_, row) => {
    const wd = weekdayOfRow(row);
    return row % 2 === 1 && wd !== undefined
      ? box(
          { position: 'absolute', left: 0, top: row * step, height: s.cell, alignItems: 'center' },
          label(WEEKDAYS[wd]!, { fontSize: s.fontSize, color: COLORS.muted }),
        )
      : null;
  });
  return box(
    { flexDirection: 'column' },
    box({ position: 'relative', marginLeft: labelWidth, width: gridWidth, height: s.fontSize + 4 }, ...months),
    box({}, box({ position: 'relative', width: labelWidth, height: gridHeight, flexShrink: 0 }, ...rowLabels), painted(gridWidth, gridHeight, cells)),
  );
}

/** "less ▪▪▪▪▪ more", and the frozen colour when the grid shows frozen days. */
export function heatLegend(s: { cell: number; fontSize: number; frozen: boolean }): Element {
  const swatch = (color: string) => box({ width: s.cell, height: s.cell, borderRadius: 2, backgroundColor: color, marginRight: 3 });
  const word = (t: string, margin: number) => label(t, { fontSize: s.fontSize, color: COLORS.muted, marginRight: margin });
  return box(
    { alignItems: 'center' },
    word('less', 5),
    ...COLORS.heat.map(swatch),
    word('more', s.frozen ? 14 : 0),
    s.frozen ? swatch(COLORS.frozen) : null,
    s.frozen ? word('frozen', 0) : null,
  );
}

/** Days with any activity among the last 84. */
export function activeDays(days: readonly HeatDay[]): number {
  return days.slice(-DAYS).filter((d) => d.count > 0).length;
}

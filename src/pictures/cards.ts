import { box, type Child, type Element, label, line, painted, rect } from './element.js';
import { FAMILY, fonts } from './fonts.js';
import { FLAME, SNOWFLAKE } from './glyphs.js';
import { activeDays, heatLegend, heatmap } from './heatmap.js';
import { draw, type Size } from './render.js';
import { drawable, formatNumber, plural } from './text.js';
import { COLORS, MASTERY_COLORS, MEDALS } from './theme.js';
import type { BoardCardData, MasteryLabel, ProfileCardData, StreakCardData } from './types.js';

export const WIDTH = 800;
export const PROFILE_SIZE: Size = { width: WIDTH, height: 440 };
export const STREAK_SIZE: Size = { width: WIDTH, height: 380 };
/** Rows a board card shows; the caller picks them (the top ones and, below, their own). */
export const BOARD_ROWS = 12;
const PAD = 28;
const ROW = 44;
const ROW_GAP = 6;
const BOARD_HEADER = 78;
const ROW_PADDING = 14;
const MEDAL = 32;
/** The score column, right-aligned under the unit. */
const SCORE_WIDTH = 150;
const TRACKS = 5;

/** A board card's size: as tall as its rows (at least one row's worth, for the empty board). */
export function boardSize(rows: number): Size {
  const n = Math.max(1, Math.min(BOARD_ROWS, rows));
  return { width: WIDTH, height: PAD * 2 + BOARD_HEADER + n * ROW + (n - 1) * ROW_GAP };
}

/** User text as the font can draw it (see text.ts). */
const safe = (s: string, max: number) => drawable(s, max, fonts().covers);

function frame(size: Size, ...children: Child[]): Element {
  return box(
    {
      width: size.width,
      height: size.height,
      flexDirection: 'column',
      padding: PAD,
      backgroundColor: COLORS.background,
      color: COLORS.text,
      fontFamily: FAMILY,
      fontSize: 16,
    },
    ...children,
  );
}

function panel(style: Record<string, string | number>, ...children: Child[]): Element {
  return box({ flexDirection: 'column', backgroundColor: COLORS.panel, borderRadius: 14, padding: 14, ...style }, ...children);
}

const heading = (text: string, extra: Child = null) =>
  box(
    { justifyContent: 'space-between', alignItems: 'center', marginBottom: 10 },
    label(text, { fontSize: 14, fontWeight: 700, color: COLORS.muted, letterSpacing: 1 }),
    extra,
  );

/** The learner's initial on a round badge, where an avatar would be. */
function initial(name: string, size: number): Element {
  const first = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(name)][0]?.segment ?? '?';
  return box(
    {
      width: size,
      height: size,
      borderRadius: size / 2,
      backgroundColor: COLORS.blue,
      border: `3px solid ${COLORS.yellow}`,
      alignItems: 'center',
      justifyContent: 'center',
      fontSize: Math.round(size * 0.45),
      fontWeight: 700,
      color: COLORS.yellow,
      flexShrink: 0,
    },
    first.toLocaleUpperCase('en'),
  );
}

function stat(value: string, caption: string, color: string = COLORS.text): Element {
  return panel(
    { flexGrow: 1, flexBasis: 0, minWidth: 0, padding: '12px 14px' },
    line(value, { fontSize: 26, fontWeight: 700, color }),
    label(caption, { fontSize: 13, color: COLORS.muted, marginTop: 2 }),
  );
}

function masteryRow(t: { title: string; mastery: number; label: MasteryLabel }, last: boolean): Element {
  const share = Math.max(0, Math.min(1, Number.isFinite(t.mastery) ? t.mastery : 0));
  const color = MASTERY_COLORS[t.label] ?? MASTERY_COLORS.new;
  return box(
    { alignItems: 'center', height: 22, marginBottom: last ? 0 : 10 },
    line(safe(t.title, 40), { width: 150, fontSize: 14, marginRight: 12 }),
    box(
      { flexGrow: 1, minWidth: 0, height: 10, borderRadius: 5, backgroundColor: COLORS.line, marginRight: 12 },
      share > 0 ? box({ width: `${Math.max(3, Math.round(share * 100))}%`, height: 10, borderRadius: 5, backgroundColor: color }) : null,
    ),
    label(`${t.label} · ${Math.round(share * 100)}%`, { width: 112, justifyContent: 'flex-end', fontSize: 13, fontWeight: 700, color }),
  );
}

/** A card before it is drawn: the element tree and its size (the benchmark times the steps apart). */
export interface Layout {
  tree: Element;
  size: Size;
}

/** The profile card: name, points and rank, streak and freezes, 12 weeks of activity, mastery per track. */
export function profileCard(d: ProfileCardData): Promise<Buffer> {
  const { tree, size } = profileLayout(d);
  return draw(tree, size);
}

export function profileLayout(d: ProfileCardData): Layout {
  const name = safe(d.name, 48);
  const tracks = d.tracks.slice(0, TRACKS);
  const more = d.tracks.length - tracks.length;
  const tree = frame(
    PROFILE_SIZE,
    box(
      { alignItems: 'center', height: 72, marginBottom: 18 },
      initial(name, 64),
      box(
        { flexDirection: 'column', flexGrow: 1, minWidth: 0, marginLeft: 18, marginRight: 18 },
        line(name, { fontSize: 30, fontWeight: 700 }),
        label(`${plural(activeDays(d.heatmap), 'active day')} in the last 12 weeks`, { fontSize: 15, color: COLORS.muted, marginTop: 4 }),
      ),
      d.rank !== undefined && d.rank > 0
        ? box(
            { flexDirection: 'column', alignItems: 'flex-end', flexShrink: 0 },
            line(`#${formatNumber(d.rank)}`, { fontSize: 34, fontWeight: 700, color: COLORS.yellow }),
            label('this week', { fontSize: 13, color: COLORS.muted }),
          )
        : null,
    ),
    box(
      { height: 84, marginBottom: 18, gap: 12 },
      stat(formatNumber(d.points.total), 'points'),
      stat(`+${formatNumber(Math.max(0, d.points.week))}`, 'this week', COLORS.yellow),
      stat(`${FLAME} ${formatNumber(d.streak.current)}`, `day streak · best ${formatNumber(d.streak.longest)}`),
      stat(`${SNOWFLAKE} ${formatNumber(d.streak.freezes)}`, d.streak.freezes === 1 ? 'freeze held' : 'freezes held', COLORS.frozen),
    ),
    box(
      { flexGrow: 1, minWidth: 0 },
      panel({ width: 262, marginRight: 16 }, heading('ACTIVITY'), heatmap(d.heatmap, [], { cell: 13, gap: 3, fontSize: 10 })),
      panel(
        { flexGrow: 1, minWidth: 0 },
        heading('MASTERY', more > 0 ? label(`+${more} more`, { fontSize: 12, color: COLORS.faint }) : null),
        ...(tracks.length
          ? tracks.map((t, i) => masteryRow(t, i === tracks.length - 1))
          : [label('No tracks started yet.', { fontSize: 14, color: COLORS.muted })]),
      ),
    ),
  );
  return { tree, size: PROFILE_SIZE };
}

/** The streak card: the streak, the best one, freezes held, and the days kept or frozen. */
export function streakCard(d: StreakCardData): Promise<Buffer> {
  const { tree, size } = streakLayout(d);
  return draw(tree, size);
}

export function streakLayout(d: StreakCardData): Layout {
  const name = safe(d.name, 60);
  const frozen = d.streak.frozenDays;
  const recentFrozen = frozen.filter((f) => d.heatmap.slice(-84).some((h) => h.day === f)).length;
  const fact = (value: string, caption: string, color: string = COLORS.text) =>
    box(
      { flexDirection: 'column', marginBottom: 14 },
      line(value, { fontSize: 24, fontWeight: 700, color }),
      label(caption, { fontSize: 13, color: COLORS.muted }),
    );
  const tree = frame(
    STREAK_SIZE,
    box(
      { alignItems: 'center', height: 76, marginBottom: 20 },
      box({ fontSize: 54, marginRight: 16, flexShrink: 0 }, FLAME),
      box(
        { flexDirection: 'column', flexGrow: 1, minWidth: 0 },
        line(d.streak.current === 1 ? '1-day streak' : `${formatNumber(d.streak.current)}-day streak`, { fontSize: 36, fontWeight: 700 }),
        line(name, { fontSize: 16, color: COLORS.muted, marginTop: 2 }),
      ),
      box(
        { alignItems: 'center', flexShrink: 0, backgroundColor: COLORS.panel, borderRadius: 14, padding: '10px 16px' },
        box({ fontSize: 30, marginRight: 10 }, SNOWFLAKE),
        box(
          { flexDirection: 'column' },
          line(`× ${formatNumber(d.streak.freezes)}`, { fontSize: 24, fontWeight: 700, color: COLORS.frozen }),
          label(d.streak.freezes === 1 ? 'freeze held' : 'freezes held', { fontSize: 12, color: COLORS.muted }),
        ),
      ),
    ),
    box(
      { flexGrow: 1, minWidth: 0 },
      panel(
        { marginRight: 16 },
        heading('LAST 12 WEEKS'),
        heatmap(d.heatmap, frozen, { cell: 16, gap: 4, fontSize: 11 }),
        box({ marginTop: 12 }, heatLegend({ cell: 10, fontSize: 11, frozen: true })),
      ),
      panel(
        { flexGrow: 1, minWidth: 0, paddingLeft: 20 },
        fact(plural(d.streak.longest, 'day'), 'longest streak', COLORS.yellow),
        fact(`${activeDays(d.heatmap)} of 84`, 'days with study'),
        fact(plural(recentFrozen, 'day'), 'saved by a freeze', COLORS.frozen),
      ),
    ),
  );
  return { tree, size: STREAK_SIZE };
}

function medal(rank: number): Element {
  const m = MEDALS[rank - 1];
  const size = MEDAL;
  if (!m) {
    return box({ width: size, justifyContent: 'center', fontSize: 16, fontWeight: 700, color: COLORS.muted, flexShrink: 0 }, formatNumber(rank));
  }
  return box(
    {
      width: size,
      height: size,
      borderRadius: size / 2,
      backgroundColor: m.fill,
      border: `3px solid ${m.ring}`,
      alignItems: 'center',
      justifyContent: 'center',
      fontSize: 15,
      fontWeight: 700,
      color: m.text,
      flexShrink: 0,
    },
    String(rank),
  );
}

/** A ranked board: medals for the top three, the caller's own row highlighted, bars to the top score. */
export function boardCard(d: BoardCardData): Promise<Buffer> {
  const { tree, size } = boardLayout(d);
  return draw(tree, size);
}

export function boardLayout(d: BoardCardData): Layout {
  const rows = d.rows.slice(0, BOARD_ROWS);
  const size = boardSize(rows.length);
  const top = Math.max(0, ...rows.map((r) => (Number.isFinite(r.score) ? r.score : 0)));
  const unit = safe(d.unit, 20);
  // The bar under a name spans the row between the medal and the score column (see the margins
  // below); a highlighted row's 2 px border takes 4 px of it.
  const barWidth = (me: boolean) => WIDTH - 2 * PAD - 2 * ROW_PADDING - (me ? 4 : 0) - MEDAL - 14 - 16 - SCORE_WIDTH;
  const row = (r: BoardCardData['rows'][number], i: number) => {
    const share = top > 0 && Number.isFinite(r.score) ? Math.max(0, Math.min(1, r.score / top)) : 0;
    const me = Boolean(r.me);
    const bar = barWidth(me);
    const fill = share > 0 ? Math.max(bar / 100, Math.round(share * bar)) : 0;
    const name = line(safe(r.name, 48), { fontSize: 17, fontWeight: me ? 700 : 400, flexShrink: 1 });
    return box(
      {
        alignItems: 'center',
        height: ROW,
        marginBottom: i < rows.length - 1 ? ROW_GAP : 0,
        padding: `0 ${ROW_PADDING}px`,
        borderRadius: 12,
        backgroundColor: me ? COLORS.highlight : COLORS.panel,
        ...(me && { border: `2px solid ${COLORS.yellow}` }),
      },
      medal(r.rank),
      box(
        { flexDirection: 'column', flexGrow: 1, minWidth: 0, marginLeft: 14, marginRight: 16 },
        me
          ? box(
              { alignItems: 'center' },
              name,
              box(
                {
                  marginLeft: 8,
                  padding: '1px 8px',
                  borderRadius: 8,
                  backgroundColor: COLORS.yellow,
                  color: '#1e293b',
                  fontSize: 11,
                  fontWeight: 700,
                  flexShrink: 0,
                },
                'YOU',
              ),
            )
          : name,
        painted(bar, 4, rect(0, 0, bar, 4, 2, COLORS.line) + (fill > 0 ? rect(0, 0, fill, 4, 2, COLORS.blue) : ''), { marginTop: 5 }),
      ),
      line(formatNumber(r.score), {
        width: SCORE_WIDTH,
        justifyContent: 'flex-end',
        flexShrink: 0,
        fontSize: 20,
        fontWeight: 700,
        color: r.rank <= 3 ? COLORS.yellow : COLORS.text,
      }),
    );
  };
  const tree = frame(
    size,
    box(
      { alignItems: 'flex-end', height: BOARD_HEADER, paddingBottom: 16 },
      box(
        { flexDirection: 'column', flexGrow: 1, minWidth: 0 },
        line(safe(d.title, 60), { fontSize: 28, fontWeight: 700 }),
        d.subtitle ? line(safe(d.subtitle, 90), { fontSize: 15, color: COLORS.muted, marginTop: 4 }) : null,
      ),
      // The unit once, over the score column, instead of beside every score.
      rows.length
        ? line(unit.toLocaleUpperCase('en'), {
            width: SCORE_WIDTH + ROW_PADDING,
            justifyContent: 'flex-end',
            flexShrink: 0,
            paddingRight: ROW_PADDING,
            fontSize: 12,
            fontWeight: 700,
            letterSpacing: 1,
            color: COLORS.muted,
          })
        : null,
    ),
    rows.length
      ? box({ flexDirection: 'column' }, ...rows.map(row))
      : panel({ height: ROW, justifyContent: 'center' }, label('No one on this board yet.', { fontSize: 16, color: COLORS.muted })),
  );
  return { tree, size };
}

/** A card with nothing on it but its background: the benchmark's baseline. */
export function blankLayout(size: Size): Layout {
  return { tree: frame(size), size };
}

// Where things sit on the timeline: pure date → pixel arithmetic, tested without a DOM.
import { daysBetween } from "../releases/status";
import type { TimelineGroup } from "../generated/ipc";

export type Zoom = "weeks" | "months" | "quarters";

/** Pixels per day at each zoom. */
export const DAY_WIDTH: Record<Zoom, number> = { weeks: 24, months: 6, quarters: 2 };

/** Days of margin around the data so the first and last bars are not flush with the edges. */
export const MARGIN_DAYS = 14;

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + days * 86_400_000);
  return t.toISOString().slice(0, 10);
}

export type Axis = { origin: string; days: number; dayWidth: number; width: number };

/** The axis for a span of dates, with a margin on both sides; days widen so that it fills at least
 * `fill` pixels (the visible width), instead of leaving the window half empty. */
export function axis(start: string, end: string, zoom: Zoom, fill = 0): Axis {
  const origin = addDays(start, -MARGIN_DAYS);
  const days = daysBetween(origin, end) + MARGIN_DAYS + 1;
  const dayWidth = Math.max(DAY_WIDTH[zoom], fill > 0 ? fill / days : 0);
  return { origin, days, dayWidth, width: Math.round(days * dayWidth) };
}

/** The left edge of a day. */
export function x(a: Axis, date: string): number {
  return daysBetween(a.origin, date) * a.dayWidth;
}

/** The width of a span of days, both ends included. */
export function spanWidth(a: Axis, start: string, end: string): number {
  return Math.max(1, daysBetween(start, end) + 1) * a.dayWidth;
}

export type Tick = { date: string; x: number; label: string; major: boolean };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Labels along the top: weeks (Mondays) under months when zoomed in, months or quarters otherwise. */
export function ticks(a: Axis, zoom: Zoom): Tick[] {
  const out: Tick[] = [];
  for (let i = 0; i < a.days; i++) {
    const date = addDays(a.origin, i);
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const monday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1;
    const firstOfMonth = d === 1;
    const month = MONTHS[m - 1] ?? "";
    if (zoom === "weeks" && monday) out.push({ date, x: i * a.dayWidth, label: `${d} ${month}`, major: false });
    if (firstOfMonth) {
      const quarterStart = (m - 1) % 3 === 0;
      if (zoom === "quarters" && !quarterStart) {
        out.push({ date, x: i * a.dayWidth, label: "", major: false });
      } else {
        const label = zoom === "quarters" ? `Q${Math.floor((m - 1) / 3) + 1} ${y}` : `${month} ${y}`;
        out.push({ date, x: i * a.dayWidth, label, major: true });
      }
    }
  }
  return out;
}

/** "+3d", "−2d" or "" for a slip in days. */
export function slipLabel(days: number): string {
  if (days === 0) return "";
  return days > 0 ? `+${days}d` : `−${-days}d`;
}

/** One line of the timeline: a product's header (index null), or its release at that place among all
 * the timeline's rows, at a fixed offset. */
export type Line = { key: string; y: number; group: TimelineGroup; index: number | null };

/**
 * The timeline's lines top to bottom, a collapsed product showing its header only, and the height of
 * them all: what the view virtualises (only the lines near the viewport go into the DOM). Each product
 * has `count` rows from place `first`, whether or not they have been fetched.
 */
export function linesOf(groups: TimelineGroup[], collapsed: number[], header: number, row: number) {
  const out: Line[] = [];
  let y = 0;
  for (const group of groups) {
    out.push({ key: `g${group.product_id}`, y, group, index: null });
    y += header;
    if (!collapsed.includes(group.product_id)) {
      for (let i = group.first; i < group.first + group.count; i++) {
        out.push({ key: `r${i}`, y, group, index: i });
        y += row;
      }
    }
  }
  return { out, height: y };
}

/** The places of the release rows among `lines`, as runs of consecutive places (first, last): a
 * collapsed product between two open ones splits them, so its hidden rows are never asked for. */
export function rowRuns(lines: Line[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const line of lines) {
    if (line.index === null) continue;
    const last = runs[runs.length - 1];
    if (last && line.index === last[1] + 1) last[1] = line.index;
    else runs.push([line.index, line.index]);
  }
  return runs;
}

/** Each product's block of lines (its header and rows), so freeze bands are drawn once per product. */
export function blocksOf(lines: Line[], header: number, row: number) {
  const out: { group: TimelineGroup; y: number; height: number }[] = [];
  for (const line of lines) {
    if (line.index === null) out.push({ group: line.group, y: line.y, height: header });
    else {
      const last = out[out.length - 1];
      if (last) last.height += row;
    }
  }
  return out;
}

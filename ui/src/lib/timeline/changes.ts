// The change calendar on the timeline: which planned changes sit on a product's line, how overlapping
// ones stack, and what each marker says. Pure, so the wording and the stacking are tested without a DOM;
// ChangeMarker.svelte only draws what this decides.
import { spanWidth, type Axis } from "./layout";
import { conflictCount, windowText } from "../changes/words";
import type { CalendarChange, ChangeState } from "../generated/ipc";

/** A state in words, as it reads after "Change 3: …," (closed and cancelled never reach the calendar). */
export const CHANGE_STATE_WORDS: Record<ChangeState, string> = {
  draft: "draft",
  assess: "awaiting the CAB",
  authorize: "authorizing",
  scheduled: "scheduled",
  implement: "being implemented",
  review: "in review",
  closed: "closed",
  cancelled: "cancelled",
};

/** Not yet approved: drawn outlined and dashed rather than solid. */
export function isPending(state: ChangeState): boolean {
  return state === "draft" || state === "assess" || state === "authorize";
}

/** Overlapping changes on one product's line stack in at most this many lanes; more share the last. */
export const MAX_LANES = 3;

export type PlacedChange = { change: CalendarChange; lane: number };
export type ProductChanges = { placed: PlacedChange[]; lanes: number };

/**
 * Each product's changes, earliest first, each in the first lane free on its days (two changes that
 * share a day would be drawn over each other otherwise), and how many lanes the product needs.
 */
export function changesByProduct(changes: CalendarChange[]): Map<number, ProductChanges> {
  const out = new Map<number, ProductChanges>();
  const sorted = [...changes].sort(
    (a, b) => a.start_date.localeCompare(b.start_date) || a.end_date.localeCompare(b.end_date) || a.id - b.id,
  );
  // The last day taken in each lane, per product.
  const ends = new Map<number, string[]>();
  for (const change of sorted) {
    const laneEnds = ends.get(change.product_id) ?? [];
    ends.set(change.product_id, laneEnds);
    let lane = laneEnds.findIndex((end) => end < change.start_date);
    if (lane === -1) lane = Math.min(laneEnds.length, MAX_LANES - 1);
    const taken = laneEnds[lane];
    laneEnds[lane] = taken !== undefined && taken > change.end_date ? taken : change.end_date;
    const group = out.get(change.product_id) ?? { placed: [], lanes: 0 };
    group.placed.push({ change, lane });
    group.lanes = Math.max(group.lanes, lane + 1);
    out.set(change.product_id, group);
  }
  return out;
}

/** The product line's room for change markers: from TOP down, HEIGHT pixels, lanes GAP apart. */
const TOP = 4;
const HEIGHT = 20;
const GAP = 2;

/** Where a marker sits on its product's line, in its lane of `lanes`. */
export function laneBox(lane: number, lanes: number): { top: number; height: number } {
  const n = Math.max(1, lanes);
  const height = (HEIGHT - GAP * (n - 1)) / n;
  return { top: TOP + lane * (height + GAP), height };
}

/** A marker this tall has room for a line of text; stacked ones are too thin and go unlabelled. */
export const LABEL_HEIGHT = 14;

/** Narrower than this a marker is hard to hit, whatever the zoom. */
export const MIN_WIDTH = 8;

/** A marker's width: its days, both ends included, and never less than MIN_WIDTH pixels. */
export function changeWidth(a: Axis, change: CalendarChange): number {
  return Math.max(MIN_WIDTH, spanWidth(a, change.start_date, change.end_date));
}

/** Roughly the width of a character at the timeline's smallest size, padding and the warning icon. */
const CHAR = 6.5;
const PADDING = 10;
const ICON = 14;

/** "Change 3" when it fits in the marker, else nothing (the tooltip and aria-label still say it). */
export function changeLabel(change: CalendarChange, width: number): string {
  const text = `Change ${change.id}`;
  const needed = text.length * CHAR + PADDING + (change.conflicts.length ? ICON : 0);
  return width >= needed ? text : "";
}

/** What a screen reader hears: who, what, where it stands, and its conflicts in words. */
export function changeAriaLabel(change: CalendarChange): string {
  const head = `Change ${change.id}: ${change.title}, ${CHANGE_STATE_WORDS[change.state]}`;
  if (!change.conflicts.length) return head;
  return `${head}, ${conflictCount(change.conflicts.length)}. ${change.conflicts.join(" ")}`;
}

/** The tooltip: the change, its state and window on the first line, then one conflict per line. */
export function changeTooltip(change: CalendarChange): string {
  const head = `Change ${change.id}: ${change.title} — ${CHANGE_STATE_WORDS[change.state]}, ${windowText(change.window_start, change.window_end)}`;
  return [head, ...change.conflicts].join("\n");
}

// What the timeline asks the backend for: a run of rows, a margin either side, from a first day on.
// Kept apart from the view's state so that the page can send the first screen's request as it starts,
// before the app's code has loaded (main.ts), with the same arguments the view then asks with.
import { localToday } from "../releases/status";
import { addDays } from "./layout";
import type { ReleaseStatus, TimelineFilter } from "../generated/ipc";

/** Rows fetched beyond each end of those asked for. */
export const MARGIN = 40;
/** The most rows one request asks for (the backend's limit). */
export const MAX_ROWS = 1000;
/** The rows the view asks for before it knows its height: a tall window's worth. */
export const FIRST_ROWS: [number, number] = [0, 79];

export type Filters = { productId: number | null; status: ReleaseStatus | null; search: string };

/** The first day the timeline shows at first: the quarter behind today, and everything ahead. */
export function firstDay(today = localToday()): string {
  return addDays(today, -90);
}

/** The request for rows `first`..`last` (and the margin) of the releases matching `f` from `from` on. */
export function rowsFilter(f: Filters, from: string, first: number, last: number): TimelineFilter {
  const offset = Math.max(0, first - MARGIN);
  const limit = Math.min(MAX_ROWS, last + MARGIN + 1 - offset);
  return { product_id: f.productId, status: f.status, search: f.search, from, to: null, row_offset: offset, row_limit: limit };
}

/** The first screen's request, as the view makes it when nothing is filtered. */
export function firstScreen(today = localToday()): TimelineFilter {
  return rowsFilter({ productId: null, status: null, search: "" }, firstDay(today), ...FIRST_ROWS);
}

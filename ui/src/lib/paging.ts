// Long lists come from the backend a page at a time (keyset-paged: each page after the last row shown).

/** Rows a page holds: the backend's own default. */
export const PAGE_SIZE = 100;
/** The most the backend gives in one page. */
const MAX_PAGE = 1000;

/** How many rows to ask for when a list loads again: with `keep`, as many as are shown (so an edit keeps
 * the person's place, up to what one page may hold), else a first page. */
export function reloadLimit(shown: number, keep: boolean): number {
  return keep ? Math.min(Math.max(PAGE_SIZE, shown), MAX_PAGE) : PAGE_SIZE;
}

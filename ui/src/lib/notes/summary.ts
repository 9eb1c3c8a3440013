// Words for the notes' range summary: where a release-branch range's ends meet, and the changes that
// already shipped there (backports), which the notes leave out unless asked.
import type { NotesRange } from "../generated/ipc";

/** "3 already shipped (2 in v1.1.1, 1 in v1.1.2)", or null when nothing did. */
export function shippedSummary(range: NotesRange): string | null {
  const total = range.shipped.reduce((n, g) => n + g.count, 0);
  if (total === 0) return null;
  const where = range.shipped.map((g) => (range.shipped.length === 1 ? `in ${g.release}` : `${g.count} in ${g.release}`));
  return `${total} ${total === 1 ? "change" : "changes"} already shipped ${range.shipped.length === 1 ? where[0] : `(${where.join(", ")})`}`;
}

/** "branches meet at 3f2a9c1", for a range whose `from` is on another branch. */
export function mergeBaseSummary(range: NotesRange): string | null {
  return range.merge_base ? `branches meet at ${range.merge_base.slice(0, 7)}` : null;
}

/** "12,000 commits read", for the progress line of a long walk. */
export function walkedSummary(walked: number): string {
  return `${walked.toLocaleString("en-US")} commits read`;
}

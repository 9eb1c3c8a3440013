import { describe, expect, it } from "vitest";
import type { NotesRange } from "../generated/ipc";
import { mergeBaseSummary, shippedSummary, walkedSummary } from "./summary";

const range = (over: Partial<NotesRange>): NotesRange => ({
  from: "v2.0.0",
  from_sha: "a".repeat(40),
  to: "main",
  to_sha: "b".repeat(40),
  merge_base: null,
  commits: 3,
  shipped: [],
  shipped_shown: false,
  ...over,
});

describe("range summary", () => {
  it("says nothing of backports when none shipped", () => {
    expect(shippedSummary(range({}))).toBeNull();
    expect(mergeBaseSummary(range({}))).toBeNull();
  });

  it("names the one release a backport shipped in", () => {
    expect(shippedSummary(range({ shipped: [{ release: "v2.0.0", count: 1 }] }))).toBe("1 change already shipped in v2.0.0");
  });

  it("counts backports per release when there are several", () => {
    const shipped = [
      { release: "v1.1.1", count: 2 },
      { release: "v1.1.2", count: 1 },
    ];
    expect(shippedSummary(range({ shipped }))).toBe("3 changes already shipped (2 in v1.1.1, 1 in v1.1.2)");
  });

  it("shortens the merge base and groups thousands", () => {
    expect(mergeBaseSummary(range({ merge_base: "3f2a9c1d".padEnd(40, "0") }))).toBe("branches meet at 3f2a9c1");
    expect(walkedSummary(12000)).toBe("12,000 commits read");
  });
});

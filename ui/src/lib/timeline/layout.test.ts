import { describe, expect, it } from "vitest";
import { addDays, axis, blocksOf, linesOf, rowRuns, slipLabel, spanWidth, ticks, x } from "./layout";
import { inputOf } from "./plan.svelte";
import type { Milestone, TimelineGroup } from "../generated/ipc";

describe("timeline layout", () => {
  it("places days at whole multiples of the zoom's width, across DST changes", () => {
    const a = axis("2026-03-20", "2026-04-10", "weeks");
    expect(a.origin).toBe("2026-03-06");
    expect(x(a, "2026-03-30") - x(a, "2026-03-27")).toBe(3 * 24);
    expect(spanWidth(a, "2026-03-28", "2026-03-29")).toBe(48);
  });

  it("adds calendar days, month and year ends included", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });

  it("labels months when zoomed in, quarters when zoomed out", () => {
    const months = ticks(axis("2026-01-20", "2026-04-10", "months"), "months").filter((t) => t.major);
    expect(months.map((t) => t.label)).toEqual(["Feb 2026", "Mar 2026", "Apr 2026"]);
    const quarters = ticks(axis("2026-01-20", "2026-09-10", "quarters"), "quarters").filter((t) => t.label);
    expect(quarters.map((t) => t.label)).toEqual(["Q2 2026", "Q3 2026"]);
    const weeks = ticks(axis("2026-11-20", "2026-12-01", "weeks"), "weeks").filter((t) => !t.major);
    expect(weeks[0]?.label).toBe("9 Nov");
  });

  it("words a slip", () => {
    expect([slipLabel(3), slipLabel(-2), slipLabel(0)]).toEqual(["+3d", "−2d", ""]);
  });
});

describe("an axis that fills the window", () => {
  it("widens its days to the visible width, never below the zoom's own", () => {
    const plain = axis("2026-01-20", "2026-04-10", "months");
    const filled = axis("2026-01-20", "2026-04-10", "months", 1600);
    expect(plain.dayWidth).toBe(6);
    expect(filled.width).toBe(1600);
    expect(axis("2026-01-01", "2027-12-31", "months", 800).dayWidth).toBe(6);
  });
});

describe("timeline lines", () => {
  const group = (product_id: number, first: number, count: number) =>
    ({ product_id, product_name: `P${product_id}`, first, count, rows: [] }) as unknown as TimelineGroup;

  it("stack each product's header and rows, a collapsed product showing its header only", () => {
    const { out, height } = linesOf([group(1, 0, 2), group(2, 2, 1)], [2], 28, 32);
    expect(out.map((l) => [l.key, l.y, l.index])).toEqual([["g1", 0, null], ["r0", 28, 0], ["r1", 60, 1], ["g2", 92, null]]);
    expect(height).toBe(120);
  });

  it("know which rows a stretch of lines needs, a collapsed product's left out", () => {
    const { out } = linesOf([group(1, 0, 3), group(2, 3, 3000), group(3, 3003, 2)], [2], 28, 32);
    expect(rowRuns(out.slice(2))).toEqual([[1, 2], [3003, 3004]]);
    expect(rowRuns(out.filter((l) => l.index === null))).toEqual([]);
  });

  it("group the lines into one block per product, for its freeze bands", () => {
    const { out } = linesOf([group(1, 0, 2), group(2, 2, 0)], [], 28, 32);
    expect(blocksOf(out, 28, 32).map((b) => [b.group.product_id, b.y, b.height])).toEqual([[1, 0, 92], [2, 92, 28]]);
  });
});

describe("a milestone saved again", () => {
  it("moves its planned dates by the shift and keeps what actually happened", () => {
    const m = {
      kind: "code_freeze", name: "Code freeze", planned_start: "2026-12-30", planned_end: "2027-01-02",
      actual_start: "2026-12-31", actual_end: null,
    } as unknown as Milestone;
    expect(inputOf(m, 3)).toEqual({
      kind: "code_freeze", name: "Code freeze", planned_start: "2027-01-02", planned_end: "2027-01-05",
      actual_start: "2026-12-31", actual_end: null,
    });
  });
});

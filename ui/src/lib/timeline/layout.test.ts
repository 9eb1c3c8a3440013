import { describe, expect, it } from "vitest";
import { addDays, axis, slipLabel, spanWidth, ticks, x } from "./layout";

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

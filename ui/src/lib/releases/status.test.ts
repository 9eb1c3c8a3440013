import { describe, expect, it } from "vitest";
import { STATUSES, STATUS_LABEL, TRANSITION_ACTION, daysBetween, describeTarget, localToday } from "./status";

describe("release status wording", () => {
  it("names every status and every move, so no button is ever blank", () => {
    for (const status of STATUSES) {
      expect(STATUS_LABEL[status], `label for ${status}`).toMatch(/^[A-Z]/);
      expect(TRANSITION_ACTION[status], `action for ${status}`).toMatch(/^[A-Z]/);
    }
  });
});

describe("target dates", () => {
  it("counts calendar days across a DST change without drifting", () => {
    // Europe's clocks go back on 2026-10-25: still exactly 7 calendar days.
    expect(daysBetween("2026-10-21", "2026-10-28")).toBe(7);
    expect(daysBetween("2026-03-31", "2026-03-01")).toBe(-30);
  });

  it("marks an open release past its target as late, and a released one not", () => {
    expect(describeTarget("2026-11-20", "testing", "2026-11-26")).toEqual({ text: "6 days late", late: true });
    expect(describeTarget("2026-11-20", "released", "2026-11-26")).toEqual({ text: "6 days ago", late: false });
    expect(describeTarget("2026-11-27", "planned", "2026-11-26")).toEqual({ text: "in 1 day", late: false });
    expect(describeTarget(null, "planned", "2026-11-26").text).toBe("No target date");
  });

  it("formats today in the local calendar", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

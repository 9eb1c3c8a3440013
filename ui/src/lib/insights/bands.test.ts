import { describe, expect, it } from "vitest";
import type { Series } from "../generated/ipc";
import { BAND_RANGES, axisText, seriesOf, trendText } from "./bands";

const series: Series = {
  points: [
    { week_end: "2026-11-08", deployment_frequency: null, lead_time: null, change_failure_rate: null, recovery_time: null, rework_rate: null },
    { week_end: "2026-11-15", deployment_frequency: 0.5, lead_time: 30, change_failure_rate: 20, recovery_time: 2, rework_rate: 0 },
    { week_end: "2026-11-22", deployment_frequency: 1.5, lead_time: 12, change_failure_rate: 40, recovery_time: 1.5, rework_rate: 20 },
  ],
};

describe("the charts' data", () => {
  it("takes one metric's points, gaps kept", () => {
    const { t, v } = seriesOf(series, "change_failure_rate");
    expect(v).toEqual([null, 20, 40]);
    expect(t[1]! - t[0]!).toBe(7 * 24 * 3600);
  });

  it("says the trend in words", () => {
    const { v } = seriesOf(series, "change_failure_rate");
    expect(trendText(v, (x) => `${x}%`)).toBe("Week by week, each over the four weeks before it: from 20% to 40%. 1 week without enough data.");
    expect(trendText([null, null], String)).toBe("Week by week: no week has enough data yet.");
  });

  it("shades the change failure rate around the report's clusters", () => {
    const band = (rate: number) => BAND_RANGES.change_failure_rate.find((r) => r.from <= rate && rate < r.to)?.band;
    expect([band(5), band(10), band(20), band(40)]).toEqual(["elite", "medium", "high", "low"]);
  });
});

describe("axis labels", () => {
  it("fit in the axis", () => {
    expect([axisText(0, "hours"), axisText(0.5, "hours"), axisText(12, "hours"), axisText(96, "hours")]).toEqual(["0", "30 m", "12 h", "4 d"]);
    expect([axisText(20, "percent"), axisText(0.25, "deployments per week")]).toEqual(["20%", "0.25"]);
  });
});

import { describe, expect, it } from "vitest";
import type { Metric, Metrics } from "../generated/ipc";
import {
  METRICS,
  bandWord,
  capped,
  countedText,
  durationText,
  frequencyClassMeaning,
  idList,
  lastDays,
  shortSha,
  tableRow,
  valueText,
} from "./format";

const metric = (over: Partial<Metric>): Metric => ({
  value: null,
  unit: "hours",
  band: null,
  text: "",
  note: "",
  deployments: [],
  commits: [],
  incidents: [],
  ...over,
});

const none = (unit: string, text: string) => metric({ unit, text });

const metrics = (over: Partial<Metrics>): Metrics => ({
  from: "2026-09-02",
  to: "2026-11-30",
  report: "DORA Accelerate State of DevOps 2024",
  deployment_frequency: none("deployments per week", "No production deployments in the period."),
  frequency_class: null,
  lead_time: none("hours", "No commits reached production in the period."),
  lead_time_p90: null,
  change_failure_rate: none("percent", "3 production deployments in the period: a rate needs at least 5."),
  recovery_time: none("hours", "No failed deployments in the period: nothing to recover from."),
  rework_rate: none("percent", "3 production deployments in the period: a rate needs at least 5."),
  ...over,
});

describe("insights format", () => {
  it("lists the five metrics in DORA's order, each key a field of Metrics", () => {
    expect(METRICS.map((m) => m.label)).toEqual([
      "Deployment frequency",
      "Lead time for changes",
      "Change failure rate",
      "Failed deployment recovery time",
      "Deployment rework rate",
    ]);
    const sample = metrics({});
    for (const m of METRICS) expect(sample[m.key], `${m.key} should name a metric of Metrics`).toHaveProperty("unit");
  });

  it("says durations as people do: minutes under an hour, hours under two days, else days", () => {
    expect(durationText(0.75)).toBe("45 min");
    expect(durationText(0.999), "59.94 minutes rounds to an hour, not to 60 min").toBe("1 h");
    expect(durationText(15)).toBe("15 h");
    expect(durationText(5.46)).toBe("5.5 h");
    expect(durationText(47.9)).toBe("47.9 h");
    expect(durationText(48)).toBe("2 days");
    expect(durationText(76.8)).toBe("3.2 days");
    expect(durationText(0), "a zero lead time is shown, not hidden").toBe("0 min");
    expect(durationText(Number.NaN)).toBe("0 min");
  });

  it("formats each value in its unit, and gives none when there is no value", () => {
    expect(valueText({ value: 3.46, unit: "deployments per week" })).toBe("3.5 per week");
    expect(valueText({ value: 0, unit: "deployments per week" }), "no successful deployment is 0.0, not nothing").toBe("0.0 per week");
    expect(valueText({ value: 15, unit: "hours" })).toBe("15 h");
    expect(valueText({ value: 0.5, unit: "hours" })).toBe("30 min");
    expect(valueText({ value: 12.5, unit: "percent" })).toBe("12.5%");
    expect(valueText({ value: 0, unit: "percent" })).toBe("0.0%");
    expect(valueText({ value: 2, unit: "widgets" }), "an unknown unit is still said").toBe("2 widgets");
    expect(valueText({ value: null, unit: "percent" })).toBeNull();
  });

  it("names the bands as words, and the frequency classes with what they mean", () => {
    expect([bandWord("elite"), bandWord("high"), bandWord("medium"), bandWord("low"), bandWord(null)]).toEqual([
      "Elite",
      "High",
      "Medium",
      "Low",
      null,
    ]);
    expect(frequencyClassMeaning("daily")).toBe("3 or more days with a deployment in the median week");
    expect(frequencyClassMeaning("yearly")).toBe("fewer than one day with a deployment in the median month");
  });

  it("sums up what a metric counted, in the singular for one and without empty kinds", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(countedText(metric({ deployments: ids(12), commits: ids(48).map(String), incidents: ids(2) }))).toBe(
      "12 deployments, 48 commits, 2 incidents",
    );
    expect(countedText(metric({ deployments: [7], incidents: [3] }))).toBe("1 deployment, 1 incident");
    expect(countedText(metric({ commits: ["abc"] }))).toBe("1 commit");
    expect(countedText(metric({ deployments: ids(1200) }))).toBe("1,200 deployments");
    expect(countedText(metric({}))).toBe("nothing");
  });

  it("caps a long id list at 20 and says how many more", () => {
    const ids = Array.from({ length: 23 }, (_, i) => i + 1);
    expect(capped(ids)).toEqual({ shown: ids.slice(0, 20), more: 3 });
    expect(capped(ids.slice(0, 20))).toEqual({ shown: ids.slice(0, 20), more: 0 });
    expect(capped([1, 2, 3], 2)).toEqual({ shown: [1, 2], more: 1 });
    expect(idList(ids)).toBe(`${ids.slice(0, 20).map((i) => `#${i}`).join(", ")} and 3 more`);
    expect(idList([4, 9])).toBe("#4, #9");
    expect(idList(["0123456789abcdef0123", "fedcba9876543210fedc"])).toBe("01234567, fedcba98");
    expect(shortSha("0123456789abcdef")).toBe("01234567");
    expect(idList([])).toBe("");
  });

  it("turns a preset into the last days up to today, both ends included, across years and leap days", () => {
    expect(lastDays(30, "2026-12-31")).toEqual({ from: "2026-12-02", to: "2026-12-31" });
    expect(lastDays(90, "2026-11-30"), "the same 90 days as the core's default").toEqual({ from: "2026-09-02", to: "2026-11-30" });
    expect(lastDays(365, "2028-12-31"), "2028 is a leap year").toEqual({ from: "2028-01-02", to: "2028-12-31" });
    expect(lastDays(30, "2027-01-10")).toEqual({ from: "2026-12-12", to: "2027-01-10" });
  });

  it("writes each table row with the extra numbers, a dash for no band, and why in place of no value", () => {
    const m = metrics({
      deployment_frequency: metric({ value: 3.5, unit: "deployments per week", band: "high", deployments: [1, 2, 3] }),
      frequency_class: "weekly",
      lead_time: metric({ value: 15, unit: "hours", band: "elite", deployments: [1], commits: ["a", "b"] }),
      lead_time_p90: 76.8,
      rework_rate: metric({ value: 20, unit: "percent", deployments: [4] }),
    });
    const row = (key: string) => tableRow(m, METRICS.find((i) => i.key === key)!);
    expect(row("deployment_frequency")).toEqual({ value: "3.5 per week, weekly", band: "High", counted: "3 deployments" });
    expect(row("lead_time")).toEqual({ value: "15 h (p90 3.2 days)", band: "Elite", counted: "1 deployment, 2 commits" });
    expect(row("rework_rate"), "the 2024 report has no bands for rework").toEqual({ value: "20.0%", band: "—", counted: "1 deployment" });
    expect(row("change_failure_rate")).toEqual({
      value: "3 production deployments in the period: a rate needs at least 5.",
      band: "—",
      counted: "nothing",
    });
  });
});

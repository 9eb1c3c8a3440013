import { describe, expect, it } from "vitest";
import type { FreezeWindow, Release } from "../generated/ipc";
import { AskOnce, compareVersions, milestoneWarnings, releaseWarnings } from "./warnings.svelte";

const TODAY = "2026-12-01";
const release = (version: string, target: string, status = "planned") =>
  ({ id: version.length, product_id: 1, version, target_date: target, status }) as unknown as Release;
const freeze = { id: 1, uid: "", name: "Holiday freeze", start_date: "2026-12-20", end_date: "2027-01-03", reason: "", product_ids: [] } as unknown as FreezeWindow;

describe("versions", () => {
  it("compare by their numbers, a pre-release before its release", () => {
    expect(compareVersions("2.10.0", "2.9.1")).toBeGreaterThan(0);
    expect(compareVersions("v2.5.0", "2.5.0")).toBe(0);
    expect(compareVersions("2.5.0-rc.1", "2.5.0")).toBeLessThan(0);
    expect(compareVersions("2026.10", "2026.12")).toBeLessThan(0);
  });
});

describe("release warnings", () => {
  it("say a past target, a release due before an earlier version, and a target in a freeze", () => {
    expect(releaseWarnings({ product_id: 1, version: "1.0.0", target_date: "2026-06-01" }, TODAY, [], [])).toEqual([
      "The target 2026-06-01 is 183 days in the past: the release will show as late from the start.",
    ]);
    const plan = [release("2.5.0", "2026-12-10"), release("2.4.0", "2026-11-10", "released")];
    expect(releaseWarnings({ product_id: 1, version: "2.6.0", target_date: "2026-12-05" }, TODAY, plan, [])).toEqual([
      "It is due before 2.5.0, an earlier version, which targets 2026-12-10.",
    ]);
    expect(releaseWarnings({ product_id: 1, version: "2.6.0", target_date: "2026-12-22" }, TODAY, plan, [freeze])).toEqual([
      'The target falls in the freeze window "Holiday freeze" (2026-12-20 to 2027-01-03).',
    ]);
    expect(releaseWarnings({ product_id: 1, version: "2.6.0", target_date: "2026-12-15" }, TODAY, plan, [freeze])).toEqual([]);
    expect(releaseWarnings({ product_id: 1, version: "2.6.0", target_date: null }, TODAY, plan, [freeze])).toEqual([]);
  });
});

describe("milestone warnings", () => {
  it("say a milestone after the target and a deploy window in a freeze", () => {
    const r = { product_id: 1, target_date: "2026-12-22" };
    expect(milestoneWarnings({ kind: "code_freeze", planned_start: "2026-12-24", planned_end: null }, r, [])).toEqual([
      "It falls 2 days after the release's target, 2026-12-22.",
    ]);
    expect(milestoneWarnings({ kind: "review", planned_start: "2027-01-10", planned_end: null }, r, [])).toEqual([]);
    expect(milestoneWarnings({ kind: "deploy_window", planned_start: "2026-12-21", planned_end: null }, r, [freeze])).toEqual([
      'The deploy window is inside the freeze window "Holiday freeze" (2026-12-20 to 2027-01-03).',
    ]);
  });
});

describe("asking once", () => {
  it("stops the first save of some warnings, not the second; new warnings ask again", () => {
    const ask = new AskOnce();
    expect(ask.stop([])).toBe(false);
    expect(ask.stop(["a"])).toBe(true);
    expect(ask.showing(["a"])).toBe(true);
    expect(ask.stop(["a"])).toBe(false);
    expect(ask.showing(["b"])).toBe(false);
    expect(ask.stop(["b"])).toBe(true);
  });
});

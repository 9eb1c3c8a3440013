import { describe, expect, it } from "vitest";
import type { Risk } from "../generated/ipc";
import { bandOf, blocksGate, lines, reviewOverdue, toRiskFilter, toScopeFilter } from "./risks";

function risk(over: Partial<Risk>): Risk {
  const likelihood = over.likelihood ?? 3;
  const impact = over.impact ?? 3;
  return {
    id: 1, product_id: 1, product_name: "Atlas", release_id: null, release_version: null, title: "A risk",
    description: "", category: "technical", likelihood, impact, score: likelihood * impact,
    band: bandOf(likelihood * impact), status: "open", owner: "", mitigation: "", contingency: "", trigger: "",
    review_date: null, suggestion: null, incident_id: null, created_at: "", updated_at: "", uid: "0190a000-0000-7000-8000-000000000001",
    ...over,
  };
}

describe("risk bands", () => {
  it("match the Rust bands at their edges", () => {
    expect([4, 5, 12, 15, 25].map(bandOf)).toEqual(["low", "medium", "medium", "high", "high"]);
  });
});

describe("gate and review flags", () => {
  it("flag only live risks", () => {
    expect(blocksGate(risk({ likelihood: 3, impact: 5 }), 15)).toBe(true);
    expect(blocksGate(risk({ likelihood: 3, impact: 5, mitigation: "Failover" }), 15)).toBe(false);
    expect(blocksGate(risk({ likelihood: 3, impact: 5, status: "accepted" }), 15)).toBe(false);
    expect(reviewOverdue(risk({ review_date: "2026-11-01" }), "2026-11-26")).toBe(true);
    expect(reviewOverdue(risk({ review_date: "2026-11-26" }), "2026-11-26")).toBe(false);
    expect(reviewOverdue(risk({ review_date: "2026-11-01", status: "closed" }), "2026-11-26")).toBe(false);
  });
});

describe("pattern lists", () => {
  it("drop blank lines and spaces", () => {
    expect(lines(" migrations/ \n\n*.sql\n")).toEqual(["migrations/", "*.sql"]);
  });
});

describe("the register's filters", () => {
  const none = { productId: 2, scope: "any", status: "", category: "", owner: "", band: "", text: "" } as const;

  it("ask for everything of the product when nothing is chosen", () => {
    expect(toRiskFilter({ ...none })).toEqual({
      product_id: 2, release: { kind: "any" }, statuses: [], categories: [], owner: null, band: null, text: null,
      likelihood: null, impact: null,
    });
  });

  it("turn each choice into the filter the backend reads", () => {
    const filter = toRiskFilter({ ...none, scope: "41", status: "live", category: "security", owner: "Quinn", band: "high", text: "  cdn " });
    expect(filter.release).toEqual({ kind: "release", id: 41 });
    expect(filter.statuses).toEqual(["open", "mitigating"]);
    expect([filter.categories, filter.owner, filter.band, filter.text]).toEqual([["security"], "Quinn", "high", "cdn"]);
    expect(toRiskFilter({ ...none, scope: "wide", status: "closed" }).release).toEqual({ kind: "product_wide" });
  });

  it("keep only the scope for exports and the owner list", () => {
    const scope = toScopeFilter({ ...none, scope: "wide", status: "open", owner: "Quinn", text: "cdn" });
    expect([scope.release, scope.statuses, scope.owner, scope.text]).toEqual([{ kind: "product_wide" }, [], null, null]);
  });
});

// The register's pure parts: labels, bands, sorting, the heat map's counts and the filters the view asks for,
// shared by the view, its state (register.svelte.ts) and the tests.
import type { Band, Category, ReleaseScope, Risk, RiskFilter, RiskOrder, RiskSortKey, RiskStatus } from "../generated/ipc";

export const CATEGORIES: { id: Category; label: string }[] = [
  { id: "technical", label: "Technical" },
  { id: "schedule", label: "Schedule" },
  { id: "security", label: "Security" },
  { id: "compliance", label: "Compliance" },
  { id: "operational", label: "Operational" },
  { id: "people", label: "People" },
  { id: "external", label: "External" },
];

export const STATUSES: { id: RiskStatus; label: string }[] = [
  { id: "open", label: "Open" },
  { id: "mitigating", label: "Mitigating" },
  { id: "accepted", label: "Accepted" },
  { id: "closed", label: "Closed" },
  { id: "occurred", label: "Occurred" },
];

export const BANDS: { id: Band; label: string; range: string }[] = [
  { id: "low", label: "Low", range: "1–4" },
  { id: "medium", label: "Medium", range: "5–12" },
  { id: "high", label: "High", range: "15–25" },
];

/** What 1 to 5 mean, for likelihood and for impact. */
export const LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"];
export const IMPACT = ["Negligible", "Minor", "Moderate", "Major", "Severe"];

/** The band of a score, as the Rust side computes it: 1–4 low, 5–12 medium, 15–25 high. */
export function bandOf(score: number): Band {
  if (score <= 4) return "low";
  if (score <= 12) return "medium";
  return "high";
}

export function label<T extends string>(list: { id: T; label: string }[], id: T): string {
  return list.find((x) => x.id === id)?.label ?? id;
}

export function isLive(status: RiskStatus): boolean {
  return status === "open" || status === "mitigating";
}

/** A live risk whose review date (YYYY-MM-DD) is before `today`. */
export function reviewOverdue(risk: Risk, today: string): boolean {
  return isLive(risk.status) && risk.review_date !== null && risk.review_date < today;
}

/** A live risk at or above the gate threshold without a mitigation: what blocks the gate into ready. */
export function blocksGate(risk: Risk, threshold: number): boolean {
  return isLive(risk.status) && risk.score >= threshold && risk.mitigation.trim() === "";
}

/** The table's order, as the backend sorts the pages. */
export type SortKey = RiskSortKey;
export type Sort = RiskOrder;

/** Splits the one-per-line pattern lists of the rules dialog. */
export function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** What the filter bar holds; `scope` is "any", "wide" (product-wide only) or a release id. */
export type RegisterChoice = {
  productId: number | null;
  scope: string;
  status: "" | "live" | RiskStatus;
  category: "" | Category;
  owner: string;
  band: "" | Band;
  /** The search text, once typing paused. */
  text: string;
};

export function scopeOf(scope: string): ReleaseScope {
  if (scope === "any") return { kind: "any" };
  if (scope === "wide") return { kind: "product_wide" };
  return { kind: "release", id: Number(scope) };
}

/** The register filter the choice asks for. */
export function toRiskFilter(choice: RegisterChoice): RiskFilter {
  const { status, category, owner, band, text } = choice;
  return {
    product_id: choice.productId,
    release: scopeOf(choice.scope),
    statuses: status === "" ? [] : status === "live" ? ["open", "mitigating"] : [status],
    categories: category === "" ? [] : [category],
    owner: owner || null,
    band: band || null,
    text: text.trim() || null,
    likelihood: null,
    impact: null,
  };
}

/** The product and release scope only: the register as a whole, for the owner list and exports. */
export function toScopeFilter(choice: RegisterChoice): RiskFilter {
  return { ...toRiskFilter(choice), statuses: [], categories: [], owner: null, band: null, text: null };
}

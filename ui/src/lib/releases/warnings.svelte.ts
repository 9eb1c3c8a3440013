// Gentle validation: what is allowed but probably a slip of the hand, said once before saving — a
// target in the past, a release due before an earlier version of its product, a milestone after the
// release's target, a deploy window inside a freeze. Pure, so each rule is tested without the app.
import type { FreezeWindow, MilestoneKind, Release } from "../generated/ipc";
import { daysBetween } from "../dates/parse";

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** Compares two versions by their numbers (2.10.0 after 2.9.1, 2026.12 after 2026.10); a pre-release
 * sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.trim().replace(/^v/i, "").split("-", 2);
    return { parts: (core ?? "").split(".").map((p) => Number.parseInt(p, 10) || 0), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The freeze windows covering `day` for a product (windows with no products cover every product). */
export function freezesOn(day: string, productId: number, freezes: FreezeWindow[]): FreezeWindow[] {
  return freezes.filter(
    (f) => f.start_date <= day && day <= f.end_date && (f.product_ids.length === 0 || f.product_ids.includes(productId)),
  );
}

export type ReleaseDraft = { id?: number; product_id: number; version: string; target_date: string | null };

export function releaseWarnings(draft: ReleaseDraft, today: string, releases: Release[], freezes: FreezeWindow[]): string[] {
  const target = draft.target_date;
  if (!target) return [];
  const said: string[] = [];
  const ago = daysBetween(target, today);
  if (ago > 0) said.push(`The target ${target} is ${days(ago)} in the past: the release will show as late from the start.`);
  const earlier = releases
    .filter((r) => r.product_id === draft.product_id && r.id !== draft.id && r.target_date && r.target_date > target)
    .filter((r) => r.version.trim() && draft.version.trim() && compareVersions(r.version, draft.version) < 0)
    .filter((r) => !["released", "rolled_back", "cancelled"].includes(r.status));
  for (const r of earlier.slice(0, 2)) {
    said.push(`It is due before ${r.version}, an earlier version, which targets ${r.target_date}.`);
  }
  for (const f of freezesOn(target, draft.product_id, freezes).slice(0, 1)) {
    said.push(`The target falls in the freeze window "${f.name}" (${f.start_date} to ${f.end_date}).`);
  }
  return said;
}

export type MilestoneDraft = { kind: MilestoneKind; planned_start: string; planned_end: string | null };

export function milestoneWarnings(
  draft: MilestoneDraft,
  release: { product_id: number; target_date: string | null } | null,
  freezes: FreezeWindow[],
): string[] {
  if (!draft.planned_start) return [];
  const said: string[] = [];
  const target = release?.target_date;
  const last = draft.planned_end || draft.planned_start;
  if (target && draft.kind !== "review" && draft.kind !== "custom" && last > target) {
    const late = daysBetween(target, last);
    said.push(`It falls ${days(late)} after the release's target, ${target}.`);
  }
  if (draft.kind === "deploy_window" && release) {
    for (const f of freezesOn(draft.planned_start, release.product_id, freezes).slice(0, 1)) {
      said.push(`The deploy window is inside the freeze window "${f.name}" (${f.start_date} to ${f.end_date}).`);
    }
  }
  return said;
}

/**
 * Asks once: the first save with warnings shows them and stops; a second save of the same warnings
 * goes ahead. Different warnings ask again. What was said stays shown until the warnings change.
 */
export class AskOnce {
  /** The warnings the last stopped save showed, one a line. */
  private asked = $state("");

  /** True when the save should stop to show `warnings`. */
  stop(warnings: string[]): boolean {
    const key = warnings.join("\n");
    if (!key || key === this.asked) return false;
    this.asked = key;
    return true;
  }

  /** Whether `warnings` are the ones a stopped save showed (the button then says "anyway"). */
  showing(warnings: string[]): boolean {
    return this.asked !== "" && this.asked === warnings.join("\n");
  }

  reset(): void {
    this.asked = "";
  }
}

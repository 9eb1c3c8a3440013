import { describe, expect, it } from "vitest";
import type { ChecklistItem } from "./generated/ipc";
import { CHECK_CHOICES, ITEM_STATES, checkOf, choiceOf, describeCheck, isClosed, needsReason, needsReasonFor } from "./checklist";

describe("checklist states", () => {
  it("closes only done and skipped steps, and asks a reason for skip, block and fail", () => {
    expect(ITEM_STATES.filter((s) => isClosed(s.id)).map((s) => s.id)).toEqual(["done", "skipped"]);
    expect(ITEM_STATES.filter((s) => needsReason(s.id)).map((s) => s.id)).toEqual(["skipped", "blocked", "failed"]);
  });
});

describe("evidence checks", () => {
  it("round-trips every choice through the check it stands for", () => {
    for (const { id } of CHECK_CHOICES) expect(choiceOf(checkOf(id, "PROJ-7"))).toBe(id);
  });

  it("keeps the pushed flag and trims the target", () => {
    expect(checkOf("tag_pushed", "")).toEqual({ kind: "tag_exists", pushed: true });
    expect(checkOf("branch_contains", "  PROJ-7 ")).toEqual({ kind: "branch_contains", target: "PROJ-7" });
    expect(checkOf("none", "")).toBeUndefined();
  });

  it("says a check in words, naming a branch check's target", () => {
    expect(describeCheck({ kind: "branch_contains", target: "abc1234" })).toBe("The release branch contains abc1234");
    expect(describeCheck({ kind: "no_commits_after_freeze" })).toBe("No commits after the code freeze");
  });
});

describe("overriding a check", () => {
  const step = (passed: boolean | null) =>
    ({
      check: { kind: "no_commits_after_freeze" },
      evidence: passed === null ? null : { passed, summary: "", seen: [], at: "" },
    }) as unknown as ChecklistItem;

  it("asks a reason to tick a step whose check fails, and only then", () => {
    expect(needsReasonFor(step(false), "done")).toBe(true);
    expect(needsReasonFor(step(true), "done")).toBe(false);
    expect(needsReasonFor(step(null), "done")).toBe(false);
    expect(needsReasonFor(step(true), "skipped")).toBe(true);
  });
});

// Checklist words shared by the release detail, the step editor and deploy mode.
import type { ChecklistItem, EvidenceCheck, ItemState, Phase } from "./generated/ipc";

export const PHASES: { id: Phase; label: string }[] = [
  { id: "pre_release", label: "Pre-release" },
  { id: "deploy", label: "Deploy" },
  { id: "post_release", label: "Post-release" },
  { id: "rollback", label: "Rollback" },
];

export const ITEM_STATES: { id: ItemState; label: string }[] = [
  { id: "todo", label: "To do" },
  { id: "in_progress", label: "In progress" },
  { id: "done", label: "Done" },
  { id: "skipped", label: "Skipped" },
  { id: "blocked", label: "Blocked" },
  { id: "failed", label: "Failed" },
];

/** Done and skipped close a step (as the Rust side's `ItemState::is_closed`). */
export function isClosed(state: ItemState): boolean {
  return state === "done" || state === "skipped";
}

/** The states that need a reason or a note. */
export function needsReason(state: ItemState): boolean {
  return state === "skipped" || state === "blocked" || state === "failed";
}

/** Who a check's tick is recorded as (the Rust side's `checklist::evidence::ACTOR`). */
export const EVIDENCE_ACTOR = "Relman (evidence)";

/** The automatic checks a step can carry, as the step editor offers them. */
export type CheckChoice = "none" | "tag_exists" | "tag_pushed" | "no_commits_after_freeze" | "branch_contains" | "clean_at_to" | "signoffs_and_change";

export const CHECK_CHOICES: { id: CheckChoice; label: string }[] = [
  { id: "none", label: "None: a person ticks it" },
  { id: "tag_exists", label: "The release tag exists" },
  { id: "tag_pushed", label: "The release tag exists and is pushed" },
  { id: "no_commits_after_freeze", label: "No commits after the code freeze" },
  { id: "branch_contains", label: "The release branch contains a commit or issue key" },
  { id: "clean_at_to", label: "The working copy is clean and at the release commit" },
  { id: "signoffs_and_change", label: "Required sign-offs and an approved change request" },
];

export function choiceOf(check: EvidenceCheck | null | undefined): CheckChoice {
  if (!check) return "none";
  if (check.kind === "tag_exists") return check.pushed ? "tag_pushed" : "tag_exists";
  return check.kind;
}

/** The check a choice stands for; `target` is the commit or issue key of branch_contains. */
export function checkOf(choice: CheckChoice, target: string): EvidenceCheck | undefined {
  switch (choice) {
    case "none":
      return undefined;
    case "tag_exists":
      return { kind: "tag_exists", pushed: false };
    case "tag_pushed":
      return { kind: "tag_exists", pushed: true };
    case "branch_contains":
      return { kind: "branch_contains", target: target.trim() };
    default:
      return { kind: choice };
  }
}

/** A check in words, as the checklist shows it (the Rust side's `EvidenceCheck::describe`). */
export function describeCheck(check: EvidenceCheck): string {
  if (check.kind === "branch_contains") return `The release branch contains ${check.target}`;
  return CHECK_CHOICES.find((c) => c.id === choiceOf(check))?.label ?? check.kind;
}

/** Whether moving `item` to `to` needs a reason: a skip, block or fail, or ticking a step whose check
 * fails (an override of the evidence, as the Rust side asks). */
export function needsReasonFor(item: ChecklistItem, to: ItemState): boolean {
  return needsReason(to) || (to === "done" && !!item.check && item.evidence?.passed === false);
}

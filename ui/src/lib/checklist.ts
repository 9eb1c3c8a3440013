// Checklist words shared by the release detail, the step editor and deploy mode.
import type { ItemState, Phase } from "./generated/ipc";

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

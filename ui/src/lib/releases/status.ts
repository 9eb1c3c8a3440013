// How release statuses read and look. The legal moves come from Rust (Release.next_statuses); this
// file only names them.
import type { MilestoneKind, ReleaseStatus } from "../generated/ipc";

export const STATUSES: readonly ReleaseStatus[] = [
  "planned",
  "in_progress",
  "frozen",
  "testing",
  "ready",
  "deploying",
  "released",
  "rolled_back",
  "cancelled",
];

export const STATUS_LABEL: Record<ReleaseStatus, string> = {
  planned: "Planned",
  in_progress: "In progress",
  frozen: "Frozen",
  testing: "Testing",
  ready: "Ready",
  deploying: "Deploying",
  released: "Released",
  rolled_back: "Rolled back",
  cancelled: "Cancelled",
};

/** The button that moves a release into `to`. */
export const TRANSITION_ACTION: Record<ReleaseStatus, string> = {
  planned: "Back to planned",
  in_progress: "Start work",
  frozen: "Freeze code",
  testing: "Start testing",
  ready: "Mark ready",
  deploying: "Start deploy",
  released: "Mark released",
  rolled_back: "Roll back",
  cancelled: "Cancel release",
};

/** Moves that end or undo a release are confirmed and styled as dangerous. */
export function isDestructive(to: ReleaseStatus): boolean {
  return to === "cancelled" || to === "rolled_back";
}

export const MILESTONE_LABEL: Record<MilestoneKind, string> = {
  feature_freeze: "Feature freeze",
  code_freeze: "Code freeze",
  rc: "Release candidate",
  go_no_go: "Go / no-go",
  deploy_window: "Deploy window",
  ga: "General availability",
  review: "Review",
  custom: "Custom",
};

/** Whole days from `from` to `to`, both `YYYY-MM-DD` calendar dates (no time zones involved). */
export function daysBetween(from: string, to: string): number {
  const day = (text: string) => {
    const [y, m, d] = text.split("-").map(Number);
    return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / 86_400_000;
  };
  return Math.round(day(to) - day(from));
}

/** Today as `YYYY-MM-DD` in the user's own calendar. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const DONE: readonly ReleaseStatus[] = ["released", "rolled_back", "cancelled"];

/** "in 9 days", "today", "3 days late" — how a target date reads next to the status. */
export function describeTarget(
  target: string | null,
  status: ReleaseStatus,
  today: string,
): { text: string; late: boolean } {
  if (!target) return { text: "No target date", late: false };
  const days = daysBetween(today, target);
  const plural = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
  if (DONE.includes(status)) return { text: days === 0 ? "today" : days > 0 ? `in ${plural(days)}` : `${plural(-days)} ago`, late: false };
  if (days === 0) return { text: "today", late: false };
  if (days > 0) return { text: `in ${plural(days)}`, late: false };
  return { text: `${plural(-days)} late`, late: true };
}

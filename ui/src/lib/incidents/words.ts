// Incidents in words: severities with what each means, statuses, when one was detected (in the
// clock it was written in) and how long it took to restore, so that no badge relies on colour alone.
import type { Incident, IncidentStatus, Severity } from "../generated/ipc";

/** The worst first, as the form lists them. */
export const SEVERITIES: Severity[] = ["sev1", "sev2", "sev3", "sev4"];

export const SEVERITY_LABEL: Record<Severity, string> = {
  sev1: "SEV1",
  sev2: "SEV2",
  sev3: "SEV3",
  sev4: "SEV4",
};

export const SEVERITY_HINT: Record<Severity, string> = {
  sev1: "Down or data at risk for many",
  sev2: "A major feature broken",
  sev3: "Degraded, with a workaround",
  sev4: "Minor",
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: "Open",
  mitigated: "Mitigated",
  resolved: "Resolved",
};

/** The moves offered from a status, each marking now: mitigating is skipped when one resolves at once. */
export function nextStatuses(status: IncidentStatus): IncidentStatus[] {
  switch (status) {
    case "open":
      return ["mitigated", "resolved"];
    case "mitigated":
      return ["resolved"];
    case "resolved":
      return [];
  }
}

/**
 * The status and time that put an incident back as it was before a move, for the toast's Undo:
 * a mitigated one keeps the time it was mitigated at; an open one is simply opened again.
 */
export function undoMove(before: Incident): { status: IncidentStatus; at: string | null } {
  if (before.status === "mitigated") return { status: "mitigated", at: before.mitigated_at };
  return { status: "open", at: null };
}

const STAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A time as it was written, never converted to this machine's zone (an incident detected at 22:00 in
 * Lisbon reads 22:00 wherever it is opened): "2026-12-10 22:00 UTC+01:00", or "… UTC" for Z or
 * +00:00. Text it cannot read is shown as it is.
 */
export function timeText(text: string): string {
  const match = STAMP.exec(text.trim());
  if (!match) return text;
  const [, date, time, offset] = match as unknown as [string, string, string, string];
  const zone = /^(z|[+-]00:00)$/i.test(offset) ? "UTC" : `UTC${offset}`;
  return `${date} ${time} ${zone}`;
}

/** "45 min", "1 h 30 min", "2 h", "1 d 3 h": a duration in the largest units that read well. */
export function minutesText(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total} min`;
  if (total < 24 * 60) {
    const rest = total % 60;
    return `${Math.floor(total / 60)} h${rest ? ` ${rest} min` : ""}`;
  }
  const hours = Math.floor((total % (24 * 60)) / 60);
  return `${Math.floor(total / (24 * 60))} d${hours ? ` ${hours} h` : ""}`;
}

/** "restored in 1 h 30 min" once resolved; "" while Relman has no time to restore. */
export function restoredText(minutes: number | null): string {
  if (minutes === null) return "";
  if (minutes < 1) return "restored within a minute";
  return `restored in ${minutesText(minutes)}`;
}

/** "Recorded "Checkout returns 500" (SEV2)." */
export function recordedText(incident: Incident): string {
  return `Recorded "${incident.title}" (${SEVERITY_LABEL[incident.severity]}).`;
}

/** "Marked "Checkout returns 500" resolved, restored in 1 h 30 min." */
export function movedText(incident: Incident): string {
  const restored = incident.status === "resolved" ? restoredText(incident.minutes_to_restore) : "";
  const status = STATUS_LABEL[incident.status].toLowerCase();
  return `Marked "${incident.title}" ${status}${restored ? `, ${restored}` : ""}.`;
}

/** "Planned hotfix 2.4.2 (marked as rework)." */
export function hotfixText(version: string): string {
  return `Planned hotfix ${version} (marked as rework).`;
}

// Change requests in words: states, types, conflicts, windows, the moves a change can make, and who
// may approve it (segregation of duties), so that no badge relies on colour alone.
import { person } from "../person";
import type { ChangeRequest, ChangeState, ChangeType, ConflictKind } from "../generated/ipc";

export const STATE_LABEL: Record<ChangeState, string> = {
  draft: "Draft",
  assess: "In assessment",
  authorize: "Authorizing",
  scheduled: "Scheduled",
  implement: "Implementing",
  review: "In review",
  closed: "Closed",
  cancelled: "Cancelled",
};

export const TYPE_LABEL: Record<ChangeType, string> = {
  standard: "Standard",
  normal: "Normal",
  emergency: "Emergency",
};

export const TYPE_HINT: Record<ChangeType, string> = {
  standard: "Pre-approved from a template the CAB accepted once: no assessment, straight to the schedule.",
  normal: "Assessed and approved by every role the product asks for before it is scheduled.",
  emergency: "Authorized now, reviewed after: it needs a retrospective approval before it closes.",
};

export const CONFLICT_LABEL: Record<ConflictKind, string> = {
  freeze: "Freeze window",
  change: "Another change",
  deploy_window: "Deploy window",
  outside_maintenance: "Outside the maintenance window",
};

export const ACTIVE: ChangeState[] = ["draft", "assess", "authorize", "scheduled", "implement", "review"];

/** What the state means for this change right now: "Authorized: ready to schedule". */
export function stateDetail(c: ChangeRequest): string {
  const missing = c.missing.join(" and ");
  switch (c.state) {
    case "draft":
      return c.rejection ? `Sent back: ${c.rejection}` : "Being written; submit it when the plans are ready.";
    case "assess":
      return missing ? `Needs an approval from ${missing}.` : "Assessed.";
    case "authorize":
      return missing ? `Needs an authorization from ${missing}.` : "Authorized: ready to schedule.";
    case "scheduled":
      return "Approved and scheduled in its window.";
    case "implement":
      return "Being carried out.";
    case "review":
      return c.type === "emergency" && !c.approvals.some((a) => a.retrospective && a.approved)
        ? "Done; it needs a retrospective approval before it closes."
        : "Done; close it with its outcome.";
    case "closed":
      return "Closed.";
    case "cancelled":
      return "Cancelled.";
  }
}

/** The button that moves a change to `to` from where it is. */
export function moveAction(c: ChangeRequest, to: ChangeState): string {
  if (c.state === "draft" && to !== "cancelled") {
    return c.type === "standard" ? "Schedule (pre-approved)" : to === "assess" ? "Submit for assessment" : "Submit for authorization";
  }
  const actions: Record<ChangeState, string> = {
    draft: "Back to draft",
    assess: "Send to assessment",
    authorize: "Send for authorization",
    scheduled: "Schedule",
    implement: "Start implementing",
    review: "Move to review",
    closed: "Close…",
    cancelled: "Cancel change…",
  };
  return actions[to];
}

const STAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 offset as people read it: "UTC" or "UTC+02:00". */
function zoneText(offset: string): string {
  return /^(z|[+-]00:00)$/i.test(offset) ? "UTC" : `UTC${offset}`;
}

/**
 * A window in the clock it was planned in (never converted to this machine's zone, so a 22:00 change
 * window reads 22:00 wherever the plan is opened): "2026-05-04 22:00–23:30 UTC+02:00", or with both
 * dates when it crosses midnight, or both zones when they differ. Text it cannot read is shown as it is.
 */
export function windowText(start: string | null, end: string | null): string {
  if (!start || !end) return "No window yet";
  const s = STAMP.exec(start);
  const e = STAMP.exec(end);
  if (!s || !e) return `${start} → ${end}`;
  const [, sDate, sTime, sZone] = s as unknown as [string, string, string, string];
  const [, eDate, eTime, eZone] = e as unknown as [string, string, string, string];
  if (zoneText(sZone) !== zoneText(eZone)) {
    return `${sDate} ${sTime} ${zoneText(sZone)} → ${eDate} ${eTime} ${zoneText(eZone)}`;
  }
  if (sDate === eDate) return `${sDate} ${sTime}–${eTime} ${zoneText(sZone)}`;
  return `${sDate} ${sTime} → ${eDate} ${eTime} ${zoneText(sZone)}`;
}

/** A datetime-local value ("2026-12-10T22:00") as RFC 3339 in the machine's own offset on that day. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const local = new Date(value);
  if (Number.isNaN(local.getTime())) return null;
  const minutes = -local.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${value.slice(0, 16)}:00${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/** An RFC 3339 time as a datetime-local value on this machine's clock. */
export function toLocalInput(text: string | null): string {
  if (!text) return "";
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The next full hour and two hours on, as datetime-local values: a new change's first window. */
export function defaultWindow(now: Date = new Date()): { start: string; end: string } {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  const end = new Date(start);
  end.setHours(end.getHours() + 2);
  return { start: toLocalInput(start.toISOString()), end: toLocalInput(end.toISOString()) };
}

const identity = (who: string) => (person(who).email || who).trim().toLowerCase();
const same = (a: string, b: string) => identity(a) !== "" && identity(a) === identity(b);

/**
 * Whether `acting` may approve `c` now, and in words why not: never the requester, and not an author
 * of its commits where its product says so. The same rule Rust enforces; this only says it first.
 */
export function mayApprove(c: ChangeRequest, acting: string | null): { allowed: boolean; message: string } {
  const roles = (c.missing.length ? c.missing : c.roles).join(" or ") || "CAB";
  if (!acting) return { allowed: true, message: "" };
  if (same(acting, c.requester)) {
    return {
      allowed: false,
      message: `You requested this change, so you cannot approve it: someone else with the ${roles} role must.`,
    };
  }
  if (!c.authors_may_approve && c.authors.some((a) => same(a, acting))) {
    return {
      allowed: false,
      message: `You wrote commits this change ships, and this product asks that authors do not approve their own code: someone else with the ${roles} role must.`,
    };
  }
  return { allowed: true, message: "" };
}

/** Whether approvals are taken now: in assess or authorize, or after the fact for an emergency change. */
export function takesApprovals(c: ChangeRequest): boolean {
  return c.state === "assess" || c.state === "authorize" || (c.type === "emergency" && (c.state === "implement" || c.state === "review"));
}

/** "1 conflict", "2 conflicts", or "" for none. */
export function conflictCount(n: number): string {
  if (n === 0) return "";
  return n === 1 ? "1 conflict" : `${n} conflicts`;
}

/** Services typed as "web, payments" as a list, trimmed, without blanks or repeats. */
export function parseList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!seen.has(item.toLowerCase())) {
      seen.add(item.toLowerCase());
      out.push(item);
    }
  }
  return out;
}

/** "1 h 20 min", "45 min", "3 d" */
function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `${Math.round(minutes / 1440)} d`;
}

/** Where now stands against a window, for deploy mode: inside it, before it, or past it. */
export function windowStatus(start: string | null, end: string | null, now: number): { inside: boolean; text: string } {
  const [s, e] = [Date.parse(start ?? ""), Date.parse(end ?? "")];
  if (Number.isNaN(s) || Number.isNaN(e)) return { inside: false, text: "no window planned" };
  if (now < s) return { inside: false, text: `the window opens in ${span(s - now)}` };
  if (now > e) return { inside: false, text: `the window closed ${span(now - e)} ago` };
  return { inside: true, text: `inside the window, ${span(e - now)} left` };
}

/** The change deploy mode shows for a release: the approved one (scheduled, implementing, authorized), else the newest open. */
export function deployChange(list: ChangeRequest[]): ChangeRequest | null {
  const approved = list.find((c) => c.state === "implement" || c.state === "scheduled" || (c.state === "authorize" && c.missing.length === 0));
  return approved ?? list.find((c) => ACTIVE.includes(c.state)) ?? null;
}

// A product's change policy in words and as a form: the roles that approve (some only for changes
// affecting named services), whether commit authors may approve, and weekly maintenance windows in a
// named zone. Rust validates and stores the policy (change/policy.rs); this only edits and describes it.
import type { ChangePolicy, MaintenanceWindow, RoleRule } from "../generated/ipc";
import { parseList } from "./words";

/** The days a window can open on, as Rust names them (mon..sun) and as the dialog says them. */
export const DAYS: { id: string; label: string; short: string }[] = [
  { id: "mon", label: "Mondays", short: "Mon" },
  { id: "tue", label: "Tuesdays", short: "Tue" },
  { id: "wed", label: "Wednesdays", short: "Wed" },
  { id: "thu", label: "Thursdays", short: "Thu" },
  { id: "fri", label: "Fridays", short: "Fri" },
  { id: "sat", label: "Saturdays", short: "Sat" },
  { id: "sun", label: "Sundays", short: "Sun" },
];

const COMMON_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Paris",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
];

/** A role row being edited: its services as typed ("security, auth"). `key` keeps the row across edits. */
export type RoleDraft = { key: number; role: string; services: string };
export type WindowDraft = MaintenanceWindow & { key: number };
export type PolicyDraft = { roles: RoleDraft[]; authors_may_approve: boolean; maintenance: WindowDraft[] };

let nextKey = 1;

/** "security, auth" from ["security", "auth"]: how a list of services is typed. */
export function formatList(items: readonly string[]): string {
  return items.join(", ");
}

/** The zone this machine runs in ("Europe/Berlin"), or UTC when the runtime does not say. */
export function machineZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The zones the zone input suggests: the machine's own first, then a few common ones. */
export function zoneChoices(own: string = machineZone()): string[] {
  return [own, ...COMMON_ZONES.filter((z) => z !== own)];
}

export function newRole(role = ""): RoleDraft {
  return { key: nextKey++, role, services: "" };
}

/** A new window: Saturday night, 22:00 to 02:00, in the machine's zone (or `zone`). */
export function newWindow(zone: string = machineZone()): WindowDraft {
  return { key: nextKey++, day: "sat", start: "22:00", end: "02:00", zone };
}

export function toDraft(policy: ChangePolicy): PolicyDraft {
  return {
    // Rust leaves `only_for` out when it is empty.
    roles: policy.roles.map((r) => ({ key: nextKey++, role: r.role, services: formatList(r.only_for ?? []) })),
    authors_may_approve: policy.authors_may_approve,
    maintenance: policy.maintenance.map((w) => ({ key: nextKey++, day: w.day, start: w.start, end: w.end, zone: w.zone })),
  };
}

/** The policy to save, as typed: Rust trims, checks and says what is wrong. */
export function fromDraft(draft: PolicyDraft): ChangePolicy {
  return {
    roles: draft.roles.map((r) => ({ role: r.role, only_for: parseList(r.services) })),
    authors_may_approve: draft.authors_may_approve,
    maintenance: draft.maintenance.map(({ day, start, end, zone }) => ({ day, start, end, zone })),
  };
}

const dayOf = (id: string) => DAYS.find((d) => d.id === id);
const dayIndex = (id: string) => {
  const i = DAYS.findIndex((d) => d.id === id);
  return i < 0 ? DAYS.length : i;
};

/** "Tuesdays 22:00–02:00 Europe/Berlin", as Rust describes a window. */
export function describeWindow(w: MaintenanceWindow): string {
  return `${dayOf(w.day)?.label ?? w.day} ${w.start}–${w.end} ${w.zone}`;
}

/** "CAB, Security (security, auth)": who approves, with the services a role is limited to. */
export function describeRoles(roles: readonly RoleRule[]): string {
  return roles.map((r) => (r.only_for?.length ? `${r.role} (${formatList(r.only_for)})` : r.role)).join(", ");
}

/**
 * "windows Tue, Thu 22:00–02:00 Europe/Berlin": windows that share their hours and zone are told
 * once, with their days in week order; the zone once at the end when every window shares it.
 */
export function describeWindows(windows: readonly MaintenanceWindow[]): string {
  if (windows.length === 0) return "any time suits";
  type Group = { hours: string; zone: string; days: string[] };
  const groups = new Map<string, Group>();
  for (const w of windows) {
    const id = `${w.start}–${w.end} ${w.zone}`;
    const group: Group = groups.get(id) ?? { hours: `${w.start}–${w.end}`, zone: w.zone, days: [] };
    if (!group.days.includes(w.day)) group.days.push(w.day);
    groups.set(id, group);
  }
  const sorted = [...groups.values()].map((g) => ({ ...g, days: g.days.sort((a, b) => dayIndex(a) - dayIndex(b)) }));
  sorted.sort((a, b) => dayIndex(a.days[0] ?? "") - dayIndex(b.days[0] ?? ""));
  const oneZone = sorted.every((g) => g.zone === sorted[0]?.zone);
  const text = sorted
    .map((g) => `${g.days.map((d) => dayOf(d)?.short ?? d).join(", ")} ${g.hours}${oneZone ? "" : ` ${g.zone}`}`)
    .join("; ");
  return `${windows.length === 1 ? "window" : "windows"} ${text}${oneZone ? ` ${sorted[0]?.zone ?? ""}` : ""}`;
}

/** The card's line: "Approved by CAB, Security (security) · not by commit authors · windows Tue, Thu 22:00–02:00 UTC". */
export function summarize(policy: ChangePolicy): string {
  const roles = describeRoles(policy.roles);
  const parts = [roles ? `Approved by ${roles}` : "No approving role"];
  if (!policy.authors_may_approve) parts.push("not by commit authors");
  parts.push(describeWindows(policy.maintenance));
  return parts.join(" · ");
}

/**
 * The role row a `roles` error from Rust is about, or -1: Rust names the field, not the row, and
 * stops at the first unnamed or repeated role, as this does.
 */
export function suspectRole(roles: readonly { role: string }[]): number {
  const seen = new Set<string>();
  for (const [i, r] of roles.entries()) {
    const name = r.role.trim().toLowerCase();
    if (!name || seen.has(name)) return i;
    seen.add(name);
  }
  return -1;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function validZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What Rust would refuse in a window first ("start", "end", "zone"), or null when it looks right. */
export function windowFault(w: MaintenanceWindow): "day" | "start" | "end" | "zone" | null {
  if (!dayOf(w.day.trim().toLowerCase())) return "day";
  if (!TIME.test(w.start.trim())) return "start";
  if (!TIME.test(w.end.trim()) || w.start.trim() === w.end.trim()) return "end";
  if (!validZone(w.zone.trim())) return "zone";
  return null;
}

/**
 * The window row an error on `field` from Rust is about, or -1: Rust checks the windows in order and
 * stops at the first fault, so it is the first faulty row here, when its fault is on that field.
 */
export function suspectWindow(windows: readonly MaintenanceWindow[], field: string): number {
  const i = windows.findIndex((w) => windowFault(w) !== null);
  return i >= 0 && windowFault(windows[i]!) === field ? i : -1;
}

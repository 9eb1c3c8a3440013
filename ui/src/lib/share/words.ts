// How a sync's news reads: who changed what, in a sentence, and how long ago it synced. Pure, tested.
import type { Change, ShareStatus, SyncConflict } from "../generated/ipc";

const NOUN: Record<string, string> = {
  products: "product",
  releases: "release",
  transitions: "status move",
  milestones: "milestone",
  "freeze-windows": "freeze window",
  gates: "gate",
  checklist: "checklist step",
  signoffs: "sign-off",
  "go-no-go": "go/no-go decision",
  deployments: "deployment",
  "deploy-actions": "deploy action",
  risks: "risk",
  notes: "release notes",
  "notes-overrides": "notes entry",
  conflicts: "conflict",
};

/** The person's name without the email: "Ben Okafor <ben@example.com>" → "Ben Okafor". */
export function personName(person: string): string {
  return person.replace(/\s*<[^>]*>\s*$/, "").trim() || person;
}

export function noun(kind: string): string {
  return NOUN[kind] ?? kind;
}

/** "Ben Okafor added sign-off QA on Atlas Web 2.5.0", "Ana Lima changed release 3.0.0 (owner)". */
export function changeSentence(change: Change): string {
  const who = change.by ? personName(change.by) : "Someone";
  const named = change.label ? ` ${change.label}` : "";
  const on = change.on && change.kind !== "releases" && change.kind !== "products" ? ` on ${change.on}` : "";
  const what = `${noun(change.kind)}${named}${on}`;
  if (change.change === "added") return `${who} added ${what}`;
  if (change.change === "removed") return `${who} removed ${what}`;
  const fields = change.fields.length ? ` (${change.fields.map((f) => f.replaceAll("_", " ")).join(", ")})` : "";
  return `${who} changed ${what}${fields}`;
}

/** The changes others made, as a toast says them: the first few, and how many more. */
export function syncSummary(received: Change[], shown = 3): string {
  if (received.length === 0) return "Synced: nothing new from others.";
  const first = received.slice(0, shown).map(changeSentence).join("; ");
  const more = received.length > shown ? `; and ${received.length - shown} more` : "";
  return `Synced: ${first}${more}.`;
}

/** "just now", "5 min ago", "2 h ago", or the day. */
export function ago(at: string | null, now: Date): string {
  if (!at) return "never";
  const then = new Date(at);
  const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
  if (Number.isNaN(minutes)) return at;
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
  return then.toISOString().slice(0, 10);
}

/** How the last sync stands, with the conflicts waiting unless they are shown beside it. */
export function statusLine(status: ShareStatus, now: Date, withConflicts = true): string {
  const when = status.synced_at ? `Synced ${ago(status.synced_at, now)}` : "Not synced yet";
  const synced = status.pending && status.synced_at ? `${when} · ${status.pending} to send` : when;
  if (!withConflicts || !status.conflicts) return synced;
  return `${synced} · ${status.conflicts} conflict${status.conflicts === 1 ? "" : "s"}`;
}

/** A candidate's value as a person reads it. */
export function shownValue(value: SyncConflict["base"]): string {
  if (value === null || value === "") return "(empty)";
  return String(value);
}

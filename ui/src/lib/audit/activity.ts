// The Activity view's pure parts: the filter it sends, how an event reads, and what a chain check says.
import type { AuditEvent, AuditFilter, ChainReport } from "../generated/ipc";

export const PAGE_SIZE = 100;

/// What the user picked in the filter bar; empty strings mean "any".
export type ActivityChoice = {
  productId: number | null;
  releaseId: number | null;
  entity: string;
  entityId: number | null;
  actor: string;
  since: string;
  until: string;
};

export const NO_CHOICE: ActivityChoice = {
  productId: null,
  releaseId: null,
  entity: "",
  entityId: null,
  actor: "",
  since: "",
  until: "",
};

/// The entities the log records, as the filter offers them.
export const ENTITIES: { id: string; label: string }[] = [
  { id: "release", label: "Releases" },
  { id: "milestone", label: "Milestones" },
  { id: "checklist_item", label: "Checklist items" },
  { id: "risk", label: "Risks" },
  { id: "release_notes", label: "Release notes" },
  { id: "product", label: "Products" },
  { id: "freeze_window", label: "Freeze windows" },
  { id: "change_request", label: "Change requests" },
  { id: "share", label: "Sharing" },
  { id: "process_template", label: "Templates" },
  { id: "notes_template", label: "Notes templates" },
  { id: "credential", label: "Credentials" },
  { id: "settings", label: "Settings" },
];

/// The core's filter for a choice and a page cursor. `until` is inclusive for the user: the day after.
export function toFilter(choice: ActivityChoice, beforeSeq: number | null = null): AuditFilter {
  const text = (s: string) => (s.trim() === "" ? null : s.trim());
  return {
    entity: text(choice.entity),
    entity_id: choice.entity ? choice.entityId : null,
    product_id: choice.releaseId === null ? choice.productId : null,
    release_id: choice.releaseId,
    actor: text(choice.actor),
    since: text(choice.since),
    until: choice.until.trim() === "" ? null : dayAfter(choice.until.trim()),
    before_seq: beforeSeq,
    limit: PAGE_SIZE,
  };
}

/// YYYY-MM-DD of the next day, or the text unchanged when it is not a date (the core then says so).
export function dayAfter(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return next.toISOString().slice(0, 10);
}

export function isFiltered(choice: ActivityChoice): boolean {
  return JSON.stringify(choice) !== JSON.stringify(NO_CHOICE);
}

const ACTIONS: Record<string, string> = {
  create: "created",
  update: "changed",
  delete: "deleted",
  transition: "moved",
  signoff: "signed off",
  go_no_go: "recorded go/no-go on",
  apply_template: "applied a template to",
  deploy_start: "started deploying",
  deploy_finish: "finished deploying",
  tag: "tagged",
  push_tag: "pushed the tag of",
  state: "ticked",
  undo: "undid a step of",
  reorder: "reordered",
  override: "edited an entry of",
  risk_settings: "changed the risk rules of",
  dismiss_suggestion: "dismissed a risk suggestion on",
  restore_suggestion: "restored a risk suggestion on",
  save: "saved",
  set: "set",
  clear: "cleared",
  add: "added",
  replace: "replaced",
  approve: "approved",
  reject: "rejected",
  draft: "drafted the plans of",
  edit: "edited",
  change_policy: "changed the change policy of",
  sync: "synced",
  init: "started sharing",
  resolve: "resolved a conflict on",
};

const NOUNS: Record<string, string> = {
  release: "release",
  milestone: "milestone",
  checklist_item: "checklist item",
  risk: "risk",
  release_notes: "the notes of release",
  product: "product",
  freeze_window: "freeze window",
  process_template: "template",
  notes_template: "the notes template of product",
  credential: "a credential",
  settings: "the settings",
  change_request: "change",
  share: "the shared plan",
};

function parse(details: string): Record<string, unknown> {
  try {
    const value = JSON.parse(details);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/// The name the details give the thing (its title, name or version), when they give one.
function nameIn(details: Record<string, unknown>, keys = ["title", "name", "version", "role"]): string | null {
  for (const key of keys) {
    const value = details[key];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return null;
}

/// One line for an event: "created release 2.5.0", "moved release 7 to testing".
export function sentence(event: AuditEvent): string {
  const details = parse(event.details);
  const verb = ACTIONS[event.action] ?? event.action.replaceAll("_", " ");
  const noun = NOUNS[event.entity] ?? event.entity.replaceAll("_", " ");
  // A change's approval names its role, not the change: the change is named by its id.
  const name = nameIn(details, event.entity === "change_request" ? ["title"] : undefined);
  const id = event.entity_id && event.entity_id > 0 ? ` ${event.entity_id}` : "";
  const plain = noun.startsWith("a ") || noun.startsWith("the settings") || event.entity === "share";
  const what = plain ? noun : `${noun}${name ? ` ${name}` : id}`;
  // A check's outcome on a step, recorded by "Relman (evidence)".
  if (event.action === "evidence") {
    const check = typeof details.check === "string" && details.check ? `: ${details.check.toLowerCase()}` : "";
    return `${details.passed === true ? "proved" : "could not prove"} ${what}${check}`;
  }
  const to = typeof details.to === "string" ? ` to ${details.to.replaceAll("_", " ")}` : "";
  return `${verb} ${what}${to}`;
}

/// The details as "key: value" pairs, for the expanded row; empty and absent values left out.
export function detailPairs(event: AuditEvent): [string, string][] {
  const shown = Object.entries(parse(event.details)).filter(([, value]) => value !== null && value !== "");
  return shown.map(([key, value]) => [
    key.replaceAll("_", " "),
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
}

/// "2026-12-01 09:30" in the user's time zone, from a stored UTC time.
export function localTime(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/// What the chain check says, in one sentence; null while it runs.
export function chainSummary(report: ChainReport | null): { ok: boolean; text: string } | null {
  if (!report) return null;
  if (report.broken) return { ok: false, text: report.broken.message };
  if (report.events === 0) return { ok: true, text: "The audit log is empty." };
  const count = report.events === 1 ? "1 event" : `${report.events.toLocaleString("en")} events`;
  return { ok: true, text: `Intact: ${count}, one unbroken chain.` };
}

// A retrospective in words: the facts Relman prefills (first target against the day it shipped,
// slipped milestones, over-run steps, troubled steps, gate overrides, risks that occurred, incidents)
// as a short list of sentences, the action items' kinds and what each became, and feedback sentiments.
// The Markdown export says the same things (crates/relman-core/src/retro.rs `markdown`); keep the two
// close when adding a fact: add its sentence to `factSentences` and say whether it is worth flagging.
import type { ActionKind, Override, RetroAction, RetroFacts, RetroIncident, Sentiment, Slip, StepTiming, TroubledStep } from "../generated/ipc";
import { SEVERITY_LABEL } from "../incidents/words";
import { personName } from "../person";
import { STATUS_LABEL } from "../releases/status";

/** In the order the form offers them. */
export const KINDS: ActionKind[] = ["prevent", "mitigate", "process"];

export const KIND_LABEL: Record<ActionKind, string> = {
  prevent: "Prevent",
  mitigate: "Mitigate",
  process: "Process",
};

export const KIND_HINT: Record<ActionKind, string> = {
  prevent: "Stop it happening again",
  mitigate: "Soften it when it happens",
  process: "Change how the team works",
};

export const SENTIMENTS: Sentiment[] = ["positive", "neutral", "negative"];

export const SENTIMENT_LABEL: Record<Sentiment, string> = {
  positive: "Positive",
  neutral: "Neutral",
  negative: "Negative",
};

/** Said when the facts hold nothing worth a look. */
export const NOTHING_TO_FLAG = "Nothing to flag: on time, no overruns, no incidents.";

/** How many over-run steps the facts name: the worst few are what a review talks about. */
export const OVERRUNS_SHOWN = 3;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** "45 min", "1 h 30 min", "4 days 20 min" (as the Markdown export writes them). */
export function minutesText(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(plural(days, "day"));
  if (hours > 0) parts.push(`${hours} h`);
  if (mins > 0 || parts.length === 0) parts.push(`${mins} min`);
  return parts.join(" ");
}

/** A fact, and whether it is worth a look in the review (shipping on time is not). */
export type Fact = { text: string; flag: boolean };

/** The first target against the day it shipped, or why it did not ship; null when there is nothing to say. */
export function shippedFact(f: RetroFacts): Fact | null {
  const planned = plannedText(f);
  if (f.status === "rolled_back") {
    return { text: `Rolled back${f.shipped ? ` after shipping on ${f.shipped}` : ""}; ${planned}.`, flag: true };
  }
  if (!f.shipped) {
    return { text: `${f.status === "cancelled" ? "Cancelled" : "Not shipped yet"}; ${planned}.`, flag: true };
  }
  if (!f.first_target || f.shipped_late_days === null) {
    return { text: `Shipped ${f.shipped}, with no target set.`, flag: false };
  }
  const late = f.shipped_late_days;
  const dates = `first planned for ${f.first_target}, shipped ${f.shipped}`;
  if (late > 0) return { text: `Shipped ${plural(late, "day")} late: ${dates}.`, flag: true };
  if (late < 0) return { text: `Shipped ${plural(-late, "day")} early: ${dates}.`, flag: false };
  return { text: `Shipped on its first target, ${f.shipped}.`, flag: false };
}

/** "planned for 2026-12-10", "planned for 2026-12-14 (first for 2026-12-10)", "no date was planned". */
function plannedText(f: RetroFacts): string {
  const last = f.target ?? f.first_target;
  if (!last) return "no date was planned";
  const first = f.first_target && f.first_target !== last ? ` (first for ${f.first_target})` : "";
  return `planned for ${last}${first}`;
}

/** "Code freeze moved 2 days later: 2026-12-01 → 2026-12-03." */
export function slipText(s: Slip): string {
  return `${s.name} moved ${plural(Math.abs(s.days), "day")} ${s.days > 0 ? "later" : "earlier"}: ${s.first} → ${s.last}.`;
}

/** "Roll out: 48 min, 20 expected." — the expected time keeps its unit only when either is an hour or more. */
export function overrunText(t: StepTiming): string {
  const short = t.actual_minutes < 60 && t.expected_minutes < 60;
  const expected = short ? String(Math.max(0, Math.round(t.expected_minutes))) : minutesText(t.expected_minutes);
  return `${t.title}: ${minutesText(t.actual_minutes)}, ${expected} expected.`;
}

/** The steps that took longer than expected, the worst first, at most `OVERRUNS_SHOWN`. */
export function overruns(timings: StepTiming[]): StepTiming[] {
  const over = (t: StepTiming) => t.actual_minutes - t.expected_minutes;
  return timings
    .filter((t) => over(t) > 0)
    .sort((a, b) => over(b) - over(a))
    .slice(0, OVERRUNS_SHOWN);
}

/** "\"Smoke tests\" failed: checkout returns 500." or "\"Migrate\" was skipped, with no reason given." */
export function troubledText(t: TroubledStep): string {
  const what = t.state === "failed" ? "failed" : t.state === "blocked" ? "was blocked" : t.state === "skipped" ? "was skipped" : `is ${t.state.replaceAll("_", " ")}`;
  const reason = t.reason.trim();
  return `"${t.title}" ${what}${reason ? `: ${reason}` : ", with no reason given"}.`;
}

/** "Moved into deploying over failing gates by Ana Lima: the CAB approved by phone." */
export function overrideText(o: Override): string {
  const by = o.by.trim() ? ` by ${personName(o.by)}` : "";
  const reason = o.reason.trim();
  return `Moved into ${STATUS_LABEL[o.to].toLowerCase()} over failing gates${by}${reason ? `: ${reason}` : ""}.`;
}

/** "The risk \"Payment provider rate limits\" occurred." */
export function riskText(title: string): string {
  return `The risk "${title}" occurred.`;
}

/** "SEV2 incident \"Checkout returns 500\": restored in 1 h 30 min." */
export function incidentText(i: RetroIncident): string {
  const restore =
    i.minutes_to_restore === null
      ? "not resolved yet"
      : i.minutes_to_restore < 1
        ? "restored within a minute"
        : `restored in ${minutesText(i.minutes_to_restore)}`;
  return `${SEVERITY_LABEL[i.severity]} incident "${i.title}": ${restore}.`;
}

/** Every fact in the order the review reads them, each marked worth a look or not. */
export function facts(f: RetroFacts): Fact[] {
  const flagged = (text: string): Fact => ({ text, flag: true });
  const shipped = shippedFact(f);
  return [
    ...(shipped ? [shipped] : []),
    ...f.slipped.map((s) => flagged(slipText(s))),
    ...overruns(f.timings).map((t) => flagged(overrunText(t))),
    ...f.troubled.map((t) => flagged(troubledText(t))),
    ...f.overrides.map((o) => flagged(overrideText(o))),
    ...f.risks_occurred.map((r) => flagged(riskText(r))),
    ...f.incidents.map((i) => flagged(incidentText(i))),
  ];
}

/** The facts as the short list the panel shows: `NOTHING_TO_FLAG` alone when none is worth a look. */
export function factSentences(f: RetroFacts): string[] {
  const all = facts(f);
  return all.some((x) => x.flag) ? all.map((x) => x.text) : [NOTHING_TO_FLAG];
}

/** Whether an action item already became a risk or a template step (it can become only one). */
export function isPromoted(a: RetroAction): boolean {
  return a.risk_id !== null || a.template_step !== "";
}

/** "became risk 12", "became the step Atlas process: Pre-release: Rehearse the rollback"; "" when not yet. */
export function becameText(a: RetroAction): string {
  if (a.risk_id !== null) return `became risk ${a.risk_id}`;
  if (a.template_step) return `became the step ${a.template_step}`;
  return "";
}

/** The toast after a promotion: "\"Rehearse the rollback\" became risk 12." */
export function promotedText(a: RetroAction): string {
  return `"${a.text}" ${becameText(a) || "was not linked"}.`;
}

/** "Last written by Ana Lima · 2026-12-10"; "" until someone writes it. */
export function writtenText(by: string | null, at: string | null): string {
  if (!by) return "";
  const day = at && /^\d{4}-\d{2}-\d{2}/.test(at) ? at.slice(0, 10) : at;
  return `Last written by ${personName(by)}${day ? ` · ${day}` : ""}`;
}

/** "Ana Lima · due 2026-12-20": what the item's line shows after its text; "" when neither is set. */
export function ownerDueText(a: Pick<RetroAction, "owner" | "due_date">): string {
  const parts = [a.owner.trim() ? personName(a.owner) : "", a.due_date ? `due ${a.due_date}` : ""];
  return parts.filter(Boolean).join(" · ");
}

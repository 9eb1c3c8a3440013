import { describe, expect, it } from "vitest";
import type { RetroAction, RetroFacts } from "../generated/ipc";
import {
  KINDS,
  KIND_LABEL,
  NOTHING_TO_FLAG,
  SENTIMENTS,
  SENTIMENT_LABEL,
  becameText,
  factSentences,
  incidentText,
  isPromoted,
  minutesText,
  overrideText,
  overrunText,
  overruns,
  ownerDueText,
  promotedText,
  shippedFact,
  slipText,
  troubledText,
  writtenText,
} from "./words";

const facts = (over: Partial<RetroFacts> = {}): RetroFacts => ({
  status: "released", first_target: "2026-12-10", target: "2026-12-10", shipped: "2026-12-10", shipped_late_days: 0,
  slipped: [], timings: [], troubled: [], overrides: [], risks_occurred: [], incidents: [], ...over,
});

const action = (over: Partial<RetroAction> = {}): RetroAction => ({
  id: 4, uid: "u", text: "Rehearse the rollback on staging", owner: "Ana Lima <ana@example.com>", due_date: "2026-12-20",
  kind: "prevent", done: false, risk_id: null, template_step: "", ...over,
});

describe("durations", () => {
  it("reads in days, hours and minutes, as the Markdown export writes them", () => {
    expect(minutesText(0)).toBe("0 min");
    expect(minutesText(45)).toBe("45 min");
    expect(minutesText(60)).toBe("1 h");
    expect(minutesText(90)).toBe("1 h 30 min");
    expect(minutesText(1440)).toBe("1 day");
    expect(minutesText(4 * 1440 + 20)).toBe("4 days 20 min");
    expect(minutesText(2 * 1440 + 3 * 60 + 5)).toBe("2 days 3 h 5 min");
  });
});

describe("shipped against the first target", () => {
  it("says how late, with both dates, and flags it", () => {
    expect(shippedFact(facts({ shipped: "2026-12-13", shipped_late_days: 3 }))).toEqual({
      text: "Shipped 3 days late: first planned for 2026-12-10, shipped 2026-12-13.",
      flag: true,
    });
    expect(shippedFact(facts({ shipped: "2026-12-11", shipped_late_days: 1 }))?.text).toMatch(/^Shipped 1 day late:/);
  });

  it("does not flag shipping on the day or early", () => {
    expect(shippedFact(facts())).toEqual({ text: "Shipped on its first target, 2026-12-10.", flag: false });
    expect(shippedFact(facts({ shipped: "2026-12-08", shipped_late_days: -2 }))).toEqual({
      text: "Shipped 2 days early: first planned for 2026-12-10, shipped 2026-12-08.",
      flag: false,
    });
  });

  it("says a rolled-back or cancelled release did not ship, and when it was planned for", () => {
    const rolledBack = facts({ status: "rolled_back", shipped: null, shipped_late_days: null });
    expect(shippedFact(rolledBack)).toEqual({ text: "Rolled back; planned for 2026-12-10.", flag: true });
    const moved = facts({ status: "rolled_back", target: "2026-12-14", shipped: "2026-12-14", shipped_late_days: 4 });
    expect(shippedFact(moved)?.text).toBe("Rolled back after shipping on 2026-12-14; planned for 2026-12-14 (first for 2026-12-10).");
    expect(shippedFact(facts({ status: "cancelled", shipped: null, shipped_late_days: null }))?.text).toBe("Cancelled; planned for 2026-12-10.");
    const open = facts({ status: "testing", first_target: null, target: null, shipped: null, shipped_late_days: null });
    expect(shippedFact(open)?.text).toBe("Not shipped yet; no date was planned.");
  });

  it("says when there was no target to compare with", () => {
    expect(shippedFact(facts({ first_target: null, target: null, shipped_late_days: null }))).toEqual({
      text: "Shipped 2026-12-10, with no target set.",
      flag: false,
    });
  });
});

describe("the other facts", () => {
  it("says which way a milestone moved", () => {
    expect(slipText({ name: "Code freeze", first: "2026-12-01", last: "2026-12-03", days: 2 })).toBe(
      "Code freeze moved 2 days later: 2026-12-01 → 2026-12-03.",
    );
    expect(slipText({ name: "RC", first: "2026-12-05", last: "2026-12-04", days: -1 })).toBe("RC moved 1 day earlier: 2026-12-05 → 2026-12-04.");
  });

  it("names a step's time against what was expected", () => {
    expect(overrunText({ title: "Roll out", expected_minutes: 20, actual_minutes: 48 })).toBe("Roll out: 48 min, 20 expected.");
    expect(overrunText({ title: "Migrate", expected_minutes: 30, actual_minutes: 95 })).toBe("Migrate: 1 h 35 min, 30 min expected.");
  });

  it("keeps the three most over-run steps and drops those on time", () => {
    const timings = [
      { title: "a", expected_minutes: 10, actual_minutes: 12 },
      { title: "b", expected_minutes: 10, actual_minutes: 40 },
      { title: "c", expected_minutes: 10, actual_minutes: 5 },
      { title: "d", expected_minutes: 10, actual_minutes: 25 },
      { title: "e", expected_minutes: 10, actual_minutes: 10 },
      { title: "f", expected_minutes: 10, actual_minutes: 11 },
    ];
    expect(overruns(timings).map((t) => t.title), "the worst first, at most three, none on or under time").toEqual(["b", "d", "a"]);
  });

  it("gives a troubled step's reason, or says none was given", () => {
    expect(troubledText({ title: "Smoke tests", state: "failed", reason: "checkout returns 500" })).toBe('"Smoke tests" failed: checkout returns 500.');
    expect(troubledText({ title: "Migrate", state: "skipped", reason: " " })).toBe('"Migrate" was skipped, with no reason given.');
    expect(troubledText({ title: "Notify", state: "blocked", reason: "no access" })).toBe('"Notify" was blocked: no access.');
  });

  it("says who overrode gates, into what, and why", () => {
    const o = { to: "deploying" as const, reason: "the CAB approved by phone", by: "Ana Lima <ana@example.com>", at: "2026-12-10T09:00:00Z" };
    expect(overrideText(o)).toBe("Moved into deploying over failing gates by Ana Lima: the CAB approved by phone.");
  });

  it("gives an incident's time to restore, or says it is still open", () => {
    expect(incidentText({ id: 3, title: "Checkout returns 500", severity: "sev2", minutes_to_restore: 4 * 1440 + 20 })).toBe(
      'SEV2 incident "Checkout returns 500": restored in 4 days 20 min.',
    );
    expect(incidentText({ id: 3, title: "Slow search", severity: "sev3", minutes_to_restore: null })).toBe('SEV3 incident "Slow search": not resolved yet.');
    expect(incidentText({ id: 3, title: "Blip", severity: "sev4", minutes_to_restore: 0 })).toBe('SEV4 incident "Blip": restored within a minute.');
  });
});

describe("the facts as a list", () => {
  it("says there is nothing to flag when it shipped on time without trouble", () => {
    expect(factSentences(facts())).toEqual([NOTHING_TO_FLAG]);
    expect(factSentences(facts({ shipped_late_days: -1, shipped: "2026-12-09" })), "early is not a flag").toEqual([NOTHING_TO_FLAG]);
    const onTime = facts({ timings: [{ title: "Roll out", expected_minutes: 20, actual_minutes: 15 }] });
    expect(factSentences(onTime), "a step under its time is not an overrun").toEqual([NOTHING_TO_FLAG]);
  });

  it("lists every fact in order once one is worth a look, the shipping first", () => {
    const f = facts({
      shipped: "2026-12-13",
      shipped_late_days: 3,
      slipped: [{ name: "Code freeze", first: "2026-12-01", last: "2026-12-03", days: 2 }],
      timings: [{ title: "Roll out", expected_minutes: 20, actual_minutes: 48 }],
      troubled: [{ title: "Smoke tests", state: "failed", reason: "500s" }],
      overrides: [{ to: "deploying", reason: "urgent", by: "Ana", at: "" }],
      risks_occurred: ["Payment provider rate limits"],
      incidents: [{ id: 3, title: "Checkout returns 500", severity: "sev2", minutes_to_restore: 90 }],
    });
    expect(factSentences(f)).toEqual([
      "Shipped 3 days late: first planned for 2026-12-10, shipped 2026-12-13.",
      "Code freeze moved 2 days later: 2026-12-01 → 2026-12-03.",
      "Roll out: 48 min, 20 expected.",
      '"Smoke tests" failed: 500s.',
      "Moved into deploying over failing gates by Ana: urgent.",
      'The risk "Payment provider rate limits" occurred.',
      'SEV2 incident "Checkout returns 500": restored in 1 h 30 min.',
    ]);
  });

  it("keeps an on-time shipping as context beside a flagged fact", () => {
    const f = facts({ incidents: [{ id: 1, title: "Blip", severity: "sev4", minutes_to_restore: 5 }] });
    expect(factSentences(f)).toEqual(["Shipped on its first target, 2026-12-10.", 'SEV4 incident "Blip": restored in 5 min.']);
  });
});

describe("action items and feedback in words", () => {
  it("names every kind and sentiment", () => {
    expect(KINDS.map((k) => KIND_LABEL[k])).toEqual(["Prevent", "Mitigate", "Process"]);
    expect(SENTIMENTS.map((s) => SENTIMENT_LABEL[s])).toEqual(["Positive", "Neutral", "Negative"]);
  });

  it("says what an item became, once it became something", () => {
    expect(isPromoted(action())).toBe(false);
    expect(becameText(action())).toBe("");
    const risk = action({ risk_id: 12 });
    expect(isPromoted(risk)).toBe(true);
    expect(becameText(risk)).toBe("became risk 12");
    expect(promotedText(risk)).toBe('"Rehearse the rollback on staging" became risk 12.');
    const step = action({ template_step: "Atlas process: Pre-release: Rehearse the rollback on staging" });
    expect(isPromoted(step)).toBe(true);
    expect(becameText(step)).toBe("became the step Atlas process: Pre-release: Rehearse the rollback on staging");
  });

  it("shows the owner's name and the due date, whichever are set", () => {
    expect(ownerDueText(action())).toBe("Ana Lima · due 2026-12-20");
    expect(ownerDueText(action({ owner: "", due_date: "2026-12-20" }))).toBe("due 2026-12-20");
    expect(ownerDueText(action({ owner: "", due_date: null }))).toBe("");
  });

  it("says who wrote the retrospective last, and on what day", () => {
    expect(writtenText("Ana Lima <ana@example.com>", "2026-12-11T10:30:00Z")).toBe("Last written by Ana Lima · 2026-12-11");
    expect(writtenText(null, null), "nothing until someone writes it").toBe("");
  });
});

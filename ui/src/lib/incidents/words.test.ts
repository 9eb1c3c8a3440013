import { describe, expect, it } from "vitest";
import type { Incident } from "../generated/ipc";
import {
  SEVERITIES,
  SEVERITY_HINT,
  SEVERITY_LABEL,
  hotfixText,
  minutesText,
  movedText,
  nextStatuses,
  recordedText,
  restoredText,
  timeText,
  undoMove,
} from "./words";

const incident = (over: Partial<Incident>): Incident => ({
  id: 3, uid: "u", product_id: 1, release_id: 2, release_name: "Atlas Web 2.4.1", deployment_id: 5,
  title: "Checkout returns 500 for PayPal", severity: "sev2", status: "open",
  detected_at: "2026-12-10T22:05:00+01:00", mitigated_at: null, resolved_at: null, minutes_to_restore: null,
  suspected_commits: [], needed_rollback: false, hotfix_release_id: null, notes: "", links: [],
  reported_by: "Ana Lima <ana@example.com>", created_at: "", updated_at: "", ...over,
});

describe("severities in words", () => {
  it("lists the worst first, each with its word and what it means", () => {
    expect(SEVERITIES).toEqual(["sev1", "sev2", "sev3", "sev4"]);
    expect(SEVERITIES.map((s) => SEVERITY_LABEL[s])).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
    expect(SEVERITY_HINT.sev1).toBe("Down or data at risk for many");
    expect(SEVERITY_HINT.sev3).toBe("Degraded, with a workaround");
  });
});

describe("the time an incident was detected", () => {
  it("reads in the clock it was written in, with its offset", () => {
    expect(timeText("2026-12-10T22:05:00+01:00")).toBe("2026-12-10 22:05 UTC+01:00");
    expect(timeText("2026-12-10T23:59:59.123-05:30")).toBe("2026-12-10 23:59 UTC-05:30");
  });

  it("calls Z and +00:00 UTC", () => {
    expect(timeText("2026-12-10T21:05:00Z")).toBe("2026-12-10 21:05 UTC");
    expect(timeText("2026-12-10T21:05:00+00:00")).toBe("2026-12-10 21:05 UTC");
  });

  it("shows text it cannot read as it is, rather than a wrong time", () => {
    expect(timeText("yesterday evening")).toBe("yesterday evening");
  });
});

describe("the time to restore", () => {
  it("uses the largest units that read well", () => {
    expect(minutesText(45)).toBe("45 min");
    expect(minutesText(60)).toBe("1 h");
    expect(minutesText(90)).toBe("1 h 30 min");
    expect(minutesText(24 * 60)).toBe("1 d");
    expect(minutesText(27 * 60 + 10)).toBe("1 d 3 h");
  });

  it("says restored only once there is a time", () => {
    expect(restoredText(90)).toBe("restored in 1 h 30 min");
    expect(restoredText(0)).toBe("restored within a minute");
    expect(restoredText(null)).toBe("");
  });
});

describe("the moves from a status", () => {
  it("offers mitigated and resolved while open, resolved once mitigated, nothing once resolved", () => {
    expect(nextStatuses("open")).toEqual(["mitigated", "resolved"]);
    expect(nextStatuses("mitigated")).toEqual(["resolved"]);
    expect(nextStatuses("resolved")).toEqual([]);
  });

  it("undoes a move back to how it was, keeping when it was mitigated", () => {
    expect(undoMove(incident({ status: "open" }))).toEqual({ status: "open", at: null });
    const mitigated = incident({ status: "mitigated", mitigated_at: "2026-12-10T22:40:00+01:00" });
    expect(undoMove(mitigated)).toEqual({ status: "mitigated", at: "2026-12-10T22:40:00+01:00" });
  });
});

describe("confirmations", () => {
  it("name the incident, its severity, its new status and the hotfix", () => {
    expect(recordedText(incident({}))).toBe('Recorded "Checkout returns 500 for PayPal" (SEV2).');
    expect(movedText(incident({ status: "mitigated" }))).toBe('Marked "Checkout returns 500 for PayPal" mitigated.');
    expect(movedText(incident({ status: "resolved", minutes_to_restore: 90 }))).toBe(
      'Marked "Checkout returns 500 for PayPal" resolved, restored in 1 h 30 min.',
    );
    expect(hotfixText("2.4.2")).toBe("Planned hotfix 2.4.2 (marked as rework).");
  });
});

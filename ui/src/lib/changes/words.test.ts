import { describe, expect, it } from "vitest";
import type { ChangeRequest } from "../generated/ipc";
import { defaultWindow, deployChange, fromLocalInput, mayApprove, moveAction, parseList, stateDetail, takesApprovals, toLocalInput, windowStatus, windowText } from "./words";

const ANA = "Ana Lima <ana@example.com>";
const QUINN = "Quinn Okafor <quinn@example.com>";

const change = (over: Partial<ChangeRequest>): ChangeRequest => ({
  id: 4, uid: "u", product_id: 1, release_id: 2, title: "Deploy Atlas Web 2.5.0", description: "", justification: "",
  type: "normal", state: "assess", window_start: "2026-12-10T22:00:00+01:00", window_end: "2026-12-10T23:30:00+01:00",
  services: [], implementation_plan: "", backout_plan: "", test_plan: "", risk: "", impact: "", links: [], authors: [],
  authors_may_approve: true, conflicts: [], requester: ANA, rejection: "", approvals: [], roles: ["CAB"], missing: ["CAB"],
  next_states: ["authorize", "cancelled"], created_at: "", updated_at: "", ...over,
});

describe("who may approve", () => {
  it("never the requester, however their name is written", () => {
    expect(mayApprove(change({}), ANA).allowed).toBe(false);
    expect(mayApprove(change({}), "A. Lima <ANA@example.com>").message).toBe(
      "You requested this change, so you cannot approve it: someone else with the CAB role must.",
    );
    expect(mayApprove(change({}), QUINN)).toEqual({ allowed: true, message: "" });
  });

  it("not an author of its commits where the product says so", () => {
    const authored = change({ authors: [QUINN], authors_may_approve: false });
    expect(mayApprove(authored, QUINN).message).toMatch(/wrote commits this change ships/);
    expect(mayApprove({ ...authored, authors_may_approve: true }, QUINN).allowed).toBe(true);
  });
});

describe("states and moves in words", () => {
  it("says what a change still needs", () => {
    expect(stateDetail(change({}))).toBe("Needs an approval from CAB.");
    expect(stateDetail(change({ state: "authorize", missing: [] }))).toBe("Authorized: ready to schedule.");
    expect(stateDetail(change({ state: "draft", rejection: "No backout plan" }))).toBe("Sent back: No backout plan");
    expect(stateDetail(change({ state: "review", type: "emergency" }))).toMatch(/retrospective approval/);
  });

  it("names the submit by the type's first state", () => {
    expect(moveAction(change({ state: "draft" }), "assess")).toBe("Submit for assessment");
    expect(moveAction(change({ state: "draft", type: "emergency" }), "authorize")).toBe("Submit for authorization");
    expect(moveAction(change({ state: "draft", type: "standard" }), "scheduled")).toBe("Schedule (pre-approved)");
    expect(moveAction(change({ state: "scheduled" }), "implement")).toBe("Start implementing");
  });

  it("takes approvals in assess and authorize, and after the fact for an emergency", () => {
    expect(takesApprovals(change({}))).toBe(true);
    expect(takesApprovals(change({ state: "scheduled" }))).toBe(false);
    expect(takesApprovals(change({ state: "review", type: "emergency" }))).toBe(true);
  });
});

describe("windows", () => {
  it("reads a window in its own zone, without converting it", () => {
    expect(windowText("2026-12-10T22:00:00+01:00", "2026-12-10T23:30:00+01:00")).toBe("2026-12-10 22:00–23:30 UTC+01:00");
    expect(windowText(null, null)).toBe("No window yet");
  });

  it("round-trips a local input through RFC 3339", () => {
    const text = fromLocalInput("2026-12-10T22:00");
    expect(text).toMatch(/^2026-12-10T22:00:00[+-]\d{2}:\d{2}$/);
    expect(toLocalInput(text)).toBe("2026-12-10T22:00");
    expect(fromLocalInput("")).toBeNull();
  });

  it("starts a new change at the next full hour, for two hours", () => {
    const { start, end } = defaultWindow(new Date(2026, 11, 1, 14, 47));
    expect([start, end]).toEqual(["2026-12-01T15:00", "2026-12-01T17:00"]);
  });

  it("reads a list of services", () => {
    expect(parseList(" web, payments ,, Web ")).toEqual(["web", "payments"]);
  });
});

describe("deploy mode's change", () => {
  it("says where now stands against the window", () => {
    const [start, end] = ["2026-12-10T22:00:00+01:00", "2026-12-10T23:30:00+01:00"];
    const at = (t: string) => Date.parse(t);
    expect(windowStatus(start, end, at("2026-12-10T22:10:00+01:00"))).toEqual({ inside: true, text: "inside the window, 1 h 20 min left" });
    expect(windowStatus(start, end, at("2026-12-10T19:00:00+01:00")).text).toBe("the window opens in 3 h");
    expect(windowStatus(start, end, at("2026-12-10T23:50:00+01:00")).text).toBe("the window closed 20 min ago");
    expect(windowStatus(null, null, 0).text).toBe("no window planned");
  });

  it("shows the approved change first", () => {
    const draft = change({ id: 1, state: "draft" });
    const scheduled = change({ id: 2, state: "scheduled", missing: [] });
    expect(deployChange([draft, scheduled])?.id).toBe(2);
    expect(deployChange([draft])?.id).toBe(1);
    expect(deployChange([change({ state: "closed" })])).toBeNull();
  });
});

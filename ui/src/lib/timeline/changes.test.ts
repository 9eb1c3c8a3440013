import { describe, expect, it } from "vitest";
import {
  changeAriaLabel,
  changeLabel,
  changeTooltip,
  changeWidth,
  changesByProduct,
  isPending,
  laneBox,
} from "./changes";
import { windowText } from "../changes/words";
import { axis } from "./layout";
import type { CalendarChange } from "../generated/ipc";

const change = (over: Partial<CalendarChange>): CalendarChange => ({
  id: 3,
  uid: "0190-cdn",
  product_id: 1,
  title: "Rotate the CDN certificates",
  state: "scheduled",
  type: "normal",
  window_start: "2026-05-04T22:00:00+02:00",
  window_end: "2026-05-04T23:30:00+02:00",
  start_date: "2026-05-04",
  end_date: "2026-05-04",
  conflicts: [],
  ...over,
});

describe("the change calendar's lines", () => {
  it("puts each change on its own product's line only", () => {
    const byProduct = changesByProduct([change({ id: 1, product_id: 1 }), change({ id: 2, product_id: 2 })]);
    expect(byProduct.get(1)?.placed.map((p) => p.change.id), "product 1 holds only its change").toEqual([1]);
    expect(byProduct.get(2)?.placed.map((p) => p.change.id), "product 2 holds only its change").toEqual([2]);
    expect(byProduct.get(3), "a product without changes has no entry").toBeUndefined();
  });

  it("stacks changes that share a day, and reuses a lane once the earlier change is over", () => {
    const byProduct = changesByProduct([
      change({ id: 1, start_date: "2026-05-04", end_date: "2026-05-06" }),
      change({ id: 2, start_date: "2026-05-06", end_date: "2026-05-06" }),
      change({ id: 3, start_date: "2026-05-07", end_date: "2026-05-08" }),
    ]);
    const group = byProduct.get(1);
    expect(group?.placed.map((p) => [p.change.id, p.lane]), "2 shares the 6th with 1; 3 starts after both").toEqual([
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
    expect(group?.lanes, "two lanes are enough").toBe(2);
  });

  it("never stacks more than three deep, the rest sharing the last lane", () => {
    const same = [1, 2, 3, 4, 5].map((id) => change({ id }));
    const group = changesByProduct(same).get(1);
    expect(group?.placed.map((p) => p.lane)).toEqual([0, 1, 2, 2, 2]);
    expect(group?.lanes).toBe(3);
  });

  it("splits the line's height between its lanes, top to bottom", () => {
    expect(laneBox(0, 1)).toEqual({ top: 4, height: 20 });
    expect([laneBox(0, 2), laneBox(1, 2)]).toEqual([{ top: 4, height: 9 }, { top: 15, height: 9 }]);
  });
});

describe("a change marker", () => {
  it("is at least a day wide, and never too narrow to hit", () => {
    expect(changeWidth(axis("2026-05-01", "2026-05-31", "weeks"), change({})), "one day at 24 px a day").toBe(24);
    expect(changeWidth(axis("2026-05-01", "2026-05-31", "quarters"), change({})), "a day is 2 px when zoomed out").toBe(8);
    const twoDays = change({ start_date: "2026-05-04", end_date: "2026-05-05" });
    expect(changeWidth(axis("2026-05-01", "2026-05-31", "weeks"), twoDays)).toBe(48);
  });

  it("is labelled only when the label fits, leaving room for the warning", () => {
    expect(changeLabel(change({}), 72)).toBe("Change 3");
    expect(changeLabel(change({}), 24), "one day at the weeks zoom is too narrow").toBe("");
    expect(changeLabel(change({ conflicts: ["Clashes."] }), 72), "the icon takes room too").toBe("");
  });

  it("is drawn dashed until it is approved", () => {
    expect(["draft", "assess", "authorize"].every((s) => isPending(s as CalendarChange["state"]))).toBe(true);
    expect(["scheduled", "implement", "review"].some((s) => isPending(s as CalendarChange["state"]))).toBe(false);
  });

  it("tells a screen reader its state and its conflicts in words", () => {
    expect(changeAriaLabel(change({}))).toBe("Change 3: Rotate the CDN certificates, scheduled");
    const freeze = 'The window falls in the freeze window "Holiday" (2026-12-10 to 2026-12-24).';
    expect(changeAriaLabel(change({ state: "assess", conflicts: [freeze] }))).toBe(
      `Change 3: Rotate the CDN certificates, awaiting the CAB, 1 conflict. ${freeze}`,
    );
    expect(changeAriaLabel(change({ state: "implement", conflicts: ["One.", "Two."] }))).toBe(
      "Change 3: Rotate the CDN certificates, being implemented, 2 conflicts. One. Two.",
    );
  });

  it("shows its window and one conflict a line in the tooltip", () => {
    expect(changeTooltip(change({ state: "authorize", conflicts: ["One.", "Two."] }))).toBe(
      "Change 3: Rotate the CDN certificates — authorizing, 2026-05-04 22:00–23:30 UTC+02:00\nOne.\nTwo.",
    );
  });
});

describe("a change window in words", () => {
  it("keeps the clock and zone it was planned in", () => {
    expect(windowText("2026-05-04T22:00:00+02:00", "2026-05-04T23:30:00+02:00")).toBe("2026-05-04 22:00–23:30 UTC+02:00");
    expect(windowText("2026-05-04T22:00:00Z", "2026-05-05T02:00:00.000Z")).toBe("2026-05-04 22:00 → 2026-05-05 02:00 UTC");
    expect(windowText("2026-10-25T01:00:00+02:00", "2026-10-25T03:00:00+01:00")).toBe(
      "2026-10-25 01:00 UTC+02:00 → 2026-10-25 03:00 UTC+01:00",
    );
  });

  it("shows text it cannot read as it is", () => {
    expect(windowText("soon", "2026-05-04T23:30:00+02:00")).toBe("soon → 2026-05-04T23:30:00+02:00");
  });
});

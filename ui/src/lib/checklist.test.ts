import { describe, expect, it } from "vitest";
import { ITEM_STATES, isClosed, needsReason } from "./checklist";

describe("checklist states", () => {
  it("closes only done and skipped steps, and asks a reason for skip, block and fail", () => {
    expect(ITEM_STATES.filter((s) => isClosed(s.id)).map((s) => s.id)).toEqual(["done", "skipped"]);
    expect(ITEM_STATES.filter((s) => needsReason(s.id)).map((s) => s.id)).toEqual(["skipped", "blocked", "failed"]);
  });
});

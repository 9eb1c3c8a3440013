import { describe, expect, it } from "vitest";
import { firstScreen, rowsFilter } from "./rows";

describe("the timeline's requests", () => {
  it("ask for the rows in view and a margin either side, at most the backend's limit", () => {
    const all = { productId: null, status: null, search: "" };
    expect(rowsFilter(all, "2026-09-03", 100, 140)).toMatchObject({ row_offset: 60, row_limit: 121 });
    expect(rowsFilter(all, "2026-09-03", 0, 5000)).toMatchObject({ row_offset: 0, row_limit: 1000 });
  });

  it("start from the quarter behind today, as the page asks before the view has loaded", () => {
    expect(firstScreen("2026-12-02")).toEqual({
      product_id: null, status: null, search: "", from: "2026-09-03", to: null, row_offset: 0, row_limit: 120,
    });
  });
});

import { describe, expect, it } from "vitest";
import { PAGE_SIZE, reloadLimit } from "./paging";

describe("reloading a paged list", () => {
  it("asks for a first page, or as many rows as are shown up to one page's most", () => {
    expect(reloadLimit(340, false)).toBe(PAGE_SIZE);
    expect(reloadLimit(12, true)).toBe(PAGE_SIZE);
    expect(reloadLimit(340, true)).toBe(340);
    expect(reloadLimit(5000, true)).toBe(1000);
  });
});

import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../generated/ipc";
import { NO_CHOICE, chainSummary, dayAfter, detailPairs, isFiltered, sentence, toFilter } from "./activity";

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: 1,
  seq: 1,
  at: "2026-12-01T09:30:00Z",
  actor: "Priya Raman <priya@example.com>",
  entity: "release",
  entity_id: 7,
  action: "create",
  details: "{}",
  product_id: 1,
  release_id: 7,
  prev_hash: "0".repeat(64),
  hash: "a".repeat(64),
  ...over,
});

describe("activity", () => {
  it("sends only what was chosen, a release over its product, and an inclusive until", () => {
    expect(toFilter(NO_CHOICE)).toMatchObject({ entity: null, product_id: null, release_id: null, until: null, limit: 100 });
    const filter = toFilter({ ...NO_CHOICE, productId: 1, releaseId: 7, actor: " tom ", until: "2026-12-31" }, 40);
    expect(filter).toMatchObject({ product_id: null, release_id: 7, actor: "tom", until: "2027-01-01", before_seq: 40 });
    expect(toFilter({ ...NO_CHOICE, entityId: 3 }).entity_id).toBeNull();
    expect(dayAfter("2028-02-28")).toBe("2028-02-29");
    expect(dayAfter("soon")).toBe("soon");
    expect(isFiltered(NO_CHOICE)).toBe(false);
    expect(isFiltered({ ...NO_CHOICE, entity: "risk" })).toBe(true);
  });

  it("reads an event as a sentence", () => {
    expect(sentence(event({ details: '{"version":"2.5.0"}' }))).toBe("created release 2.5.0");
    expect(sentence(event({ action: "transition", details: '{"from":"planned","to":"in_progress"}' }))).toBe(
      "moved release 7 to in progress",
    );
    expect(sentence(event({ entity: "settings", entity_id: 0, action: "update" }))).toBe("changed the settings");
    expect(sentence(event({ entity: "risk", action: "reopen", details: "not json" }))).toBe("reopen risk 7");
    const proved = { entity: "checklist_item", entity_id: 12, action: "evidence", actor: "Relman (evidence)" };
    expect(sentence(event({ ...proved, details: '{"check":"No commits after the code freeze","passed":true}' }))).toBe(
      "proved checklist item 12: no commits after the code freeze",
    );
    expect(sentence(event({ ...proved, details: '{"check":"The release tag exists","passed":false}' }))).toBe(
      "could not prove checklist item 12: the release tag exists",
    );
    expect(detailPairs(event({ details: '{"target_date":null,"owner":"","version":"1.0","impact":5}' }))).toEqual([
      ["version", "1.0"],
      ["impact", "5"],
    ]);
  });

  it("says what the chain check found", () => {
    expect(chainSummary(null)).toBeNull();
    expect(chainSummary({ events: 1200, head: "a", broken: null })).toEqual({ ok: true, text: "Intact: 1,200 events, one unbroken chain." });
    const broken = { kind: "edited" as const, seq: 5, id: 5, message: "Audit event #5 was changed." };
    expect(chainSummary({ events: 4, head: "a", broken })).toEqual({ ok: false, text: "Audit event #5 was changed." });
  });

  it("says what sharing and change requests did", () => {
    expect(sentence(event({ entity: "share", entity_id: 1, action: "sync", details: '{"commit":"abc"}' }))).toBe("synced the shared plan");
    expect(sentence(event({ entity: "change_request", entity_id: 3, action: "approve", details: '{"role":"CAB"}' }))).toBe("approved change 3");
    expect(sentence(event({ entity: "change_request", entity_id: 3, action: "create", details: '{"title":"Rotate keys"}' }))).toBe("created change Rotate keys");
  });
});

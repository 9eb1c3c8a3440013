import { describe, expect, it } from "vitest";
import type { Change, ShareStatus } from "../generated/ipc";
import { ago, changeSentence, personName, shownValue, statusLine, syncSummary } from "./words";

const change = (over: Partial<Change>): Change => ({
  kind: "signoffs", uid: "u", change: "added", label: "QA", fields: [], by: "Ben Okafor <ben@example.com>",
  at: "2026-12-01T10:00:00Z", on: "", ...over,
});

describe("a sync's news", () => {
  it("names the person, not the email, and what they did", () => {
    expect(personName("Ben Okafor <ben@example.com>")).toBe("Ben Okafor");
    expect(changeSentence(change({}))).toBe("Ben Okafor added sign-off QA");
    expect(changeSentence(change({ on: "Atlas Web 2.5.0" }))).toBe("Ben Okafor added sign-off QA on Atlas Web 2.5.0");
    expect(changeSentence(change({ kind: "releases", change: "added", label: "2.6.0", on: "Atlas Web" }))).toBe("Ben Okafor added release 2.6.0");
    expect(changeSentence(change({ kind: "releases", change: "changed", label: "3.0.0", fields: ["target_date", "owner"] })))
      .toBe("Ben Okafor changed release 3.0.0 (target date, owner)");
    expect(changeSentence(change({ kind: "risks", change: "removed", label: "CDN outage", by: "" }))).toBe("Someone removed risk CDN outage");
  });

  it("says the first few and counts the rest", () => {
    const many = [1, 2, 3, 4, 5].map((n) => change({ label: `Role ${n}` }));
    expect(syncSummary([])).toBe("Synced: nothing new from others.");
    expect(syncSummary(many)).toBe(
      "Synced: Ben Okafor added sign-off Role 1; Ben Okafor added sign-off Role 2; Ben Okafor added sign-off Role 3; and 2 more.",
    );
  });
});

describe("the sidebar's status", () => {
  const now = new Date("2026-12-01T10:30:00Z");
  const status = (over: Partial<ShareStatus>): ShareStatus => ({
    remote: "file:///srv/office.git", name: "main", products: ["Atlas Web"], synced_at: "2026-12-01T10:25:00Z",
    synced_by: "Ana", commit: "abc", conflicts: 0, pending: 0, ...over,
  });

  it("says how long ago it synced and how many conflicts wait", () => {
    expect(ago("2026-12-01T10:30:00Z", now)).toBe("just now");
    expect(ago("2026-12-01T08:30:00Z", now)).toBe("2 h ago");
    expect(ago("2026-11-20T08:30:00Z", now)).toBe("2026-11-20");
    expect(statusLine(status({}), now)).toBe("Synced 5 min ago");
    expect(statusLine(status({ synced_at: null, conflicts: 2 }), now)).toBe("Not synced yet · 2 conflicts");
    expect(statusLine(status({ conflicts: 2 }), now, false)).toBe("Synced 5 min ago");
    expect(statusLine(status({ pending: 3 }), now)).toBe("Synced 5 min ago · 3 to send");
  });

  it("shows an empty value as such", () => {
    expect([shownValue(""), shownValue(null), shownValue("2027-02-10"), shownValue(3)]).toEqual(["(empty)", "(empty)", "2027-02-10", "3"]);
  });
});

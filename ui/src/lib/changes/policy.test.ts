import { describe, expect, it } from "vitest";
import type { ChangePolicy } from "../generated/ipc";
import {
  describeWindow,
  describeWindows,
  formatList,
  fromDraft,
  machineZone,
  newWindow,
  summarize,
  suspectRole,
  suspectWindow,
  toDraft,
  windowFault,
  zoneChoices,
} from "./policy";

const atlas: ChangePolicy = {
  roles: [{ role: "CAB", only_for: [] }, { role: "Security", only_for: ["security"] }],
  authors_may_approve: false,
  maintenance: [
    { day: "thu", start: "22:00", end: "02:00", zone: "Europe/Berlin" },
    { day: "tue", start: "22:00", end: "02:00", zone: "Europe/Berlin" },
  ],
};

const w = (day: string, start: string, end: string, zone = "UTC") => ({ day, start, end, zone });

describe("a window in words", () => {
  it("says the day, the hours and the zone as Rust does", () => {
    expect(describeWindow(w("tue", "22:00", "02:00", "Europe/Berlin"))).toBe("Tuesdays 22:00–02:00 Europe/Berlin");
    expect(describeWindow(w("sun", "06:00", "08:30"))).toBe("Sundays 06:00–08:30 UTC");
  });

  it("groups windows sharing their hours, days in week order, the zone once", () => {
    expect(describeWindows(atlas.maintenance)).toBe("windows Tue, Thu 22:00–02:00 Europe/Berlin");
    expect(describeWindows([w("sat", "10:00", "12:00"), w("mon", "22:00", "23:00")])).toBe(
      "windows Mon 22:00–23:00; Sat 10:00–12:00 UTC",
    );
    expect(describeWindows([w("sat", "22:00", "02:00", "Asia/Tokyo"), w("sat", "22:00", "02:00")])).toBe(
      "windows Sat 22:00–02:00 Asia/Tokyo; Sat 22:00–02:00 UTC",
    );
    expect(describeWindows([w("fri", "18:00", "20:00")])).toBe("window Fri 18:00–20:00 UTC");
    expect(describeWindows([])).toBe("any time suits");
  });
});

describe("the card's summary", () => {
  it("names the roles with their services, the authors rule and the windows", () => {
    expect(summarize(atlas)).toBe(
      "Approved by CAB, Security (security) · not by commit authors · windows Tue, Thu 22:00–02:00 Europe/Berlin",
    );
    expect(summarize({ roles: [{ role: "CAB", only_for: [] }], authors_may_approve: true, maintenance: [] })).toBe(
      "Approved by CAB · any time suits",
    );
  });

  it("reads a role Rust sent without only_for (it leaves an empty list out)", () => {
    const sent = JSON.parse('{"roles":[{"role":"CAB"}],"authors_may_approve":true,"maintenance":[]}') as ChangePolicy;
    expect(summarize(sent)).toBe("Approved by CAB · any time suits");
    expect(toDraft(sent).roles.map((r) => r.services)).toEqual([""]);
  });
});

describe("the form", () => {
  it("round-trips a policy, services typed as a list", () => {
    const draft = toDraft(atlas);
    expect(draft.roles.map((r) => r.services)).toEqual(["", "security"]);
    expect(fromDraft(draft)).toEqual(atlas);
    draft.roles[1]!.services = " security, auth ,, Security ";
    expect(fromDraft(draft).roles[1]).toEqual({ role: "Security", only_for: ["security", "auth"] });
    expect(formatList(["security", "auth"])).toBe("security, auth");
  });

  it("gives every row its own key, so removing one keeps the others' inputs", () => {
    const keys = [...toDraft(atlas).roles, ...toDraft(atlas).maintenance, newWindow("UTC")].map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("starts a new window on Saturday night in the machine's zone", () => {
    const { day, start, end, zone } = newWindow();
    expect({ day, start, end, zone }).toEqual({ day: "sat", start: "22:00", end: "02:00", zone: machineZone() });
    expect(machineZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it("suggests the machine's zone first, then common ones, each once", () => {
    expect(zoneChoices("Europe/Berlin")[0]).toBe("Europe/Berlin");
    expect(zoneChoices("Europe/Berlin").filter((z) => z === "Europe/Berlin")).toHaveLength(1);
    expect(zoneChoices("Pacific/Auckland")).toContain("UTC");
  });
});

describe("which row an error from Rust is about", () => {
  it("the first unnamed or repeated role", () => {
    expect(suspectRole([{ role: "CAB" }, { role: " " }, { role: "" }])).toBe(1);
    expect(suspectRole([{ role: "CAB" }, { role: "Security" }, { role: "cab " }])).toBe(2);
    expect(suspectRole([{ role: "CAB" }, { role: "Security" }])).toBe(-1);
  });

  it("the first faulty window, when its fault is on the field Rust named", () => {
    expect(windowFault(w("sat", "", "02:00"))).toBe("start");
    expect(windowFault(w("sat", "22:00", "22:00"))).toBe("end");
    expect(windowFault(w("sat", "22:00", "02:00", "Mars/Olympus"))).toBe("zone");
    expect(windowFault(w("sat", "22:00", "02:00", "Europe/Berlin"))).toBeNull();
    const windows = [w("sat", "22:00", "02:00"), w("sun", "22:00", "02:00", "Nowhere"), w("mon", "10:00", "10:00")];
    expect(suspectWindow(windows, "zone")).toBe(1);
    expect(suspectWindow(windows, "end")).toBe(-1);
    expect(suspectWindow([w("sat", "22:00", "02:00")], "zone")).toBe(-1);
  });
});

import { describe, expect, it } from "vitest";
import { dateOrder, daysBetween, echo, formatDate, parseDate, parseTime, shift } from "./parse";
import { usableLocale } from "./preference.svelte";

// A Tuesday.
const TODAY = "2026-12-01";
const iso = (text: string, order: "mdy" | "dmy" | "ymd" = "mdy") => {
  const parsed = parseDate(text, TODAY, order);
  return parsed.kind === "date" ? parsed.iso : parsed.kind;
};

describe("parseDate", () => {
  it("reads ISO dates and numeric dates in the user's order", () => {
    expect(iso("2026-12-22")).toBe("2026-12-22");
    expect(iso(" 2026/1/5 ")).toBe("2026-01-05");
    expect(iso("12/22")).toBe("2026-12-22");
    expect(iso("12/22/2026")).toBe("2026-12-22");
    expect(iso("12/22/27")).toBe("2027-12-22");
    expect(iso("12222026")).toBe("2026-12-22");
    expect(iso("20261222")).toBe("2026-12-22");
    expect(iso("22.12.2026", "dmy")).toBe("2026-12-22");
    expect(iso("22/12", "dmy")).toBe("2026-12-22");
    expect(iso("22122026", "dmy")).toBe("2026-12-22");
  });

  it("takes a month and day with no year as the next such day", () => {
    expect(iso("12/01")).toBe("2026-12-01");
    expect(iso("11/30")).toBe("2027-11-30");
    expect(iso("1/15")).toBe("2027-01-15");
    expect(iso("dec 22")).toBe("2026-12-22");
    expect(iso("22 december 2027")).toBe("2027-12-22");
    expect(iso("February 29")).toBe("2028-02-29");
  });

  it("reads relative words and weekdays", () => {
    expect(iso("today")).toBe(TODAY);
    expect(iso("Tomorrow")).toBe("2026-12-02");
    expect(iso("+3w")).toBe("2026-12-22");
    expect(iso("+10d")).toBe("2026-12-11");
    expect(iso("-2d")).toBe("2026-11-29");
    expect(iso("in 2 weeks")).toBe("2026-12-15");
    expect(iso("3 days ago")).toBe("2026-11-28");
    expect(iso("+1m")).toBe("2027-01-01");
    expect(iso("fri")).toBe("2026-12-04");
    expect(iso("tue")).toBe(TODAY); // today counts
    expect(iso("next tuesday")).toBe("2026-12-08");
    expect(iso("next monday")).toBe("2026-12-07");
  });

  it("says why what was typed is not a date", () => {
    const bad = parseDate("soonish", TODAY);
    expect(bad.kind).toBe("invalid");
    if (bad.kind === "invalid") expect(bad.message).toBe('"soonish" is not a date. Type 2026-12-22, 12/22, +3w, fri or next monday.');
    const impossible = parseDate("2026-02-30", TODAY);
    expect(impossible.kind === "invalid" && impossible.message).toBe("2026-02-30 is not a day of the calendar.");
    const order = parseDate("22/12", TODAY, "mdy");
    expect(order.kind === "invalid" && order.message).toContain("read as month/day");
    expect(parseDate("  ", TODAY).kind).toBe("empty");
    expect(iso("+3x")).toBe("invalid");
  });
});

describe("date arithmetic", () => {
  it("clamps a month end and counts days across daylight saving", () => {
    expect(shift("2026-01-31", 1, "m")).toBe("2026-02-28");
    expect(shift("2028-02-29", 1, "y")).toBe("2029-02-28");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
  });

  it("never shifts a date by a day when formatting, whatever the time zone", () => {
    expect(formatDate("2026-12-22", "locale", "en-US")).toBe("12/22/2026");
    expect(formatDate("2026-12-22", "locale", "de-DE")).toBe("22.12.2026");
    expect(formatDate("2026-01-01", "locale", "en-US")).toBe("01/01/2026");
    expect(formatDate("2026-12-22", "iso")).toBe("2026-12-22");
    expect(dateOrder("en-US")).toBe("mdy");
    expect(dateOrder("de-DE")).toBe("dmy");
    expect(dateOrder("sv-SE")).toBe("ymd");
    expect(usableLocale("C")).toBe("en-US");
    expect(usableLocale("de-de")).toBe("de-DE");
  });

  it("echoes the resolved date in words", () => {
    expect(echo("2026-12-22", TODAY)).toBe("Tue 2026-12-22 · in 3 weeks");
    expect(echo("2026-12-02", TODAY)).toBe("Wed 2026-12-02 · tomorrow");
    expect(echo("2026-11-28", TODAY)).toBe("Sat 2026-11-28 · 3 days ago");
  });
});

describe("dates relative to an anchor", () => {
  const target = { iso: "2026-12-22", name: "the target" };
  const read = (text: string) => {
    const parsed = parseDate(text, TODAY, "mdy", target);
    return parsed.kind === "date" ? parsed.iso : parsed.kind;
  };

  it("reads days and weeks before or after the target", () => {
    expect(read("target-5")).toBe("2026-12-17");
    expect(read("t-1w")).toBe("2026-12-15");
    expect(read("5d before target")).toBe("2026-12-17");
    expect(read("2 weeks before the target")).toBe("2026-12-08");
    expect(read("1d after target")).toBe("2026-12-23");
    expect(read("+3w")).toBe("2026-12-22"); // the plain forms still count from today
  });

  it("says how far from the target a date is", () => {
    expect(echo("2026-12-17", TODAY, "iso", undefined, target)).toBe("Thu 2026-12-17 · in 16 days · 5 days before the target");
    expect(echo("2026-12-22", TODAY, "iso", undefined, target)).toBe("Tue 2026-12-22 · in 3 weeks · on the target");
  });
});

describe("times of day", () => {
  const hhmm = (text: string) => {
    const parsed = parseTime(text);
    return parsed.kind === "time" ? parsed.hhmm : parsed.kind;
  };

  it("reads 24-hour and 12-hour times", () => {
    expect(hhmm("22:00")).toBe("22:00");
    expect(hhmm("2200")).toBe("22:00");
    expect(hhmm("9:30")).toBe("09:30");
    expect(hhmm("930")).toBe("09:30");
    expect(hhmm("10pm")).toBe("22:00");
    expect(hhmm("12 am")).toBe("00:00");
    expect(hhmm("9:30 AM")).toBe("09:30");
    expect(hhmm("noon")).toBe("12:00");
    expect(hhmm("")).toBe("empty");
  });

  it("says why what was typed is not a time", () => {
    expect(hhmm("25:00")).toBe("invalid");
    expect(hhmm("13pm")).toBe("invalid");
    const bad = parseTime("late");
    expect(bad.kind === "invalid" && bad.message).toBe('"late" is not a time: type 22:00, 2200 or 10pm.');
  });
});

describe("time zones", () => {
  it("reads and shows the same dates at UTC+14 and UTC-11", () => {
    const seen: string[] = [];
    for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]) {
      process.env.TZ = zone;
      const p = parseDate("+3w", TODAY);
      seen.push([p.kind === "date" ? p.iso : p.kind, formatDate("2026-12-22", "locale", "en-US"), echo("2026-12-22", TODAY), shift("2026-03-29", 1, "d")].join("|"));
    }
    delete process.env.TZ;
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).toBe("2026-12-22|12/22/2026|Tue 2026-12-22 · in 3 weeks|2026-03-30");
  });
});

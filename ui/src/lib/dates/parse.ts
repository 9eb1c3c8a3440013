// Dates as people type them, resolved against today's date on the user's calendar. Everything here is
// date-only arithmetic in UTC (Date.UTC, getUTC*), so a date never shifts by a day whatever the time
// zone; `today` comes from the caller (the local calendar), as YYYY-MM-DD.

/** The order of day, month and year in the user's numeric dates ("12/22/2026" or "22.12.2026"). */
export type DateOrder = "mdy" | "dmy" | "ymd";

/** A date a field can be typed relative to: the release's target for its milestones. */
export type Anchor = { iso: string; name: string };

export type Parsed = { kind: "empty" } | { kind: "date"; iso: string } | { kind: "invalid"; message: string };

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const UNITS: Record<string, "d" | "w" | "m" | "y"> = {
  d: "d", day: "d", days: "d",
  w: "w", wk: "w", week: "w", weeks: "w",
  m: "m", mo: "m", month: "m", months: "m",
  y: "y", yr: "y", year: "y", years: "y",
};

/** What the field's hint says it takes. */
export const DATE_HELP = "Type 2026-12-22, 12/22, +3w, fri or next monday";

export function isoOf(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function toUtc(iso: string): Date {
  const [y = 1970, m = 1, d = 1] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** `iso` moved by `n` days, weeks, months or years; a month end clamps (Jan 31 + 1 month: Feb 28). */
export function shift(iso: string, n: number, unit: "d" | "w" | "m" | "y"): string {
  const date = toUtc(iso);
  if (unit === "d" || unit === "w") {
    date.setUTCDate(date.getUTCDate() + n * (unit === "w" ? 7 : 1));
    return date.toISOString().slice(0, 10);
  }
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() + n * (unit === "y" ? 12 : 1);
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), last))).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

export function weekday(iso: string): number {
  return toUtc(iso).getUTCDay();
}

/** A month and day with no year: this year's, or next year's when this year's has passed. */
function upcoming(month: number, day: number, today: string): string | null {
  const year = Number(today.slice(0, 4));
  // February 29 waits for the next leap year.
  for (let ahead = 0; ahead <= 8; ahead++) {
    const found = isoOf(year + ahead, month, day);
    if (found && found >= today) return found;
  }
  return null;
}

function monthNamed(word: string): number | null {
  if (word.length < 3) return null;
  const found = MONTHS.findIndex((m) => m.startsWith(word));
  return found >= 0 ? found + 1 : null;
}

function weekdayNamed(word: string): number | null {
  if (word.length < 2) return null;
  const found = WEEKDAYS.findIndex((d) => d.startsWith(word));
  return found >= 0 ? found : null;
}

function numeric(parts: number[], order: DateOrder, today: string): string | null {
  if (parts.length === 3) {
    const [a = 0, b = 0, c = 0] = parts;
    if (a > 999) return isoOf(a, b, c);
    const year = c < 100 ? 2000 + c : c;
    return order === "dmy" ? isoOf(year, b, a) : isoOf(year, a, b);
  }
  if (parts.length === 2) {
    const [a = 0, b = 0] = parts;
    return order === "dmy" ? upcoming(b, a, today) : upcoming(a, b, today);
  }
  return null;
}

/**
 * Reads a typed date: ISO (`2026-12-22`), numeric in the user's order (`12/22`, `12/22/2026`,
 * `22.12.2026`, `12222026`), relative (`today`, `tomorrow`, `+3w`, `-2d`, `in 10 days`, `+1m`), a
 * weekday (`fri`: the next Friday, today counting; `next monday`: the first Monday after today) or a
 * month name (`dec 22`, `22 december 2026`). A month and day with no year is the next such day.
 */
export function parseDate(text: string, today: string, order: DateOrder = "mdy", anchor?: Anchor): Parsed {
  const typed = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (typed === "") return { kind: "empty" };
  if (anchor) {
    const relative = fromAnchor(typed, anchor);
    if (relative) return { kind: "date", iso: relative };
  }
  const invalid = (why?: string): Parsed => ({
    kind: "invalid",
    message: why ?? `"${text.trim()}" is not a date. ${DATE_HELP}.`,
  });
  const found = (iso: string | null, why?: string): Parsed => (iso ? { kind: "date", iso } : invalid(why));

  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(typed);
  if (iso) return found(isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3])), `${text.trim()} is not a day of the calendar.`);
  if (typed === "today") return found(today);
  if (typed === "tomorrow") return found(shift(today, 1, "d"));
  if (typed === "yesterday") return found(shift(today, -1, "d"));

  const relative = /^(?:in )?([+-])? ?(\d{1,4}) ?([a-z]+)( ago)?$/.exec(typed);
  const unit = relative ? UNITS[relative[3] ?? ""] : undefined;
  if (relative && unit && (relative[1] || typed.startsWith("in ") || relative[4])) {
    const sign = relative[1] === "-" || relative[4] ? -1 : 1;
    return found(shift(today, sign * Number(relative[2]), unit));
  }

  const day = /^(next |this )?([a-z]+)$/.exec(typed);
  if (day) {
    const wanted = weekdayNamed(day[2] ?? "");
    if (wanted !== null) {
      let ahead = (wanted - weekday(today) + 7) % 7;
      if (day[1] === "next " && ahead === 0) ahead = 7;
      return found(shift(today, ahead, "d"));
    }
    return invalid();
  }

  const named = /^(?:([a-z]+) (\d{1,2})|(\d{1,2}) ([a-z]+))(?:,? (\d{4}))?$/.exec(typed);
  if (named) {
    const month = monthNamed(named[1] ?? named[4] ?? "");
    const dayOf = Number(named[2] ?? named[3]);
    if (month === null) return invalid();
    return found(named[5] ? isoOf(Number(named[5]), month, dayOf) : upcoming(month, dayOf, today), `${text.trim()} is not a day of the calendar.`);
  }

  if (/^\d{8}$/.test(typed)) {
    const asYmd = isoOf(+typed.slice(0, 4), +typed.slice(4, 6), +typed.slice(6, 8));
    if (asYmd && order === "ymd") return found(asYmd);
    const [a, b, year] = [+typed.slice(0, 2), +typed.slice(2, 4), +typed.slice(4, 8)];
    return found((order === "dmy" ? isoOf(year, b, a) : isoOf(year, a, b)) ?? asYmd);
  }
  const parts = typed.split(/[/.\-]/);
  if (parts.length >= 2 && parts.length <= 3 && parts.every((p) => /^\d{1,4}$/.test(p))) {
    const orderWords = order === "dmy" ? "day/month" : "month/day";
    return found(numeric(parts.map(Number), order, today), `${text.trim()} is not a day of the calendar (read as ${orderWords}).`);
  }
  return invalid();
}

/** `target-5d`, `t+1w`, `5d before target`, `2 weeks after the target` against an anchor named "target". */
function fromAnchor(typed: string, anchor: Anchor): string | null {
  const name = anchor.name.toLowerCase().replace(/^the /, "");
  const names = `(?:the )?(?:${name}|${name[0]})`;
  const offset = new RegExp(`^${names} ?([+-]) ?(\\d{1,4}) ?([a-z]*)$`).exec(typed);
  const worded = new RegExp(`^(\\d{1,4}) ?([a-z]*) (before|after) ${names}$`).exec(typed);
  const [sign, n, unit] = offset
    ? [offset[1] === "-" ? -1 : 1, offset[2] ?? "", offset[3] ?? ""]
    : worded
      ? [worded[3] === "before" ? -1 : 1, worded[1] ?? "", worded[2] ?? ""]
      : [0, "", ""];
  if (!sign) return null;
  const u = unit === "" ? "d" : UNITS[unit];
  return u ? shift(anchor.iso, sign * Number(n), u) : null;
}

/** The order of numeric dates in `locale` ("en-US": mdy, "de-DE": dmy, "sv-SE": ymd). */
export function dateOrder(locale: string): DateOrder {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: "UTC" })
      .formatToParts(new Date(Date.UTC(2026, 11, 22)))
      .map((p) => p.type)
      .filter((t) => t === "day" || t === "month" || t === "year");
    const order = parts.map((t) => t[0]).join("");
    return order === "dmy" || order === "ymd" ? order : "mdy";
  } catch {
    return "mdy";
  }
}

/** A stored date as the user reads it: ISO, or the locale's numeric form. */
export function formatDate(iso: string, style: "iso" | "locale", locale?: string): string {
  if (style === "iso" || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).format(toUtc(iso));
}

/** What the field echoes for a resolved date: "Tue 2026-12-22 · in 3 weeks". */
export function echo(iso: string, today: string, style: "iso" | "locale" = "iso", locale?: string, anchor?: Anchor): string {
  const name = new Intl.DateTimeFormat("en", { timeZone: "UTC", weekday: "short" }).format(toUtc(iso));
  const days = daysBetween(today, iso);
  const when =
    days === 0 ? "today"
    : days === 1 ? "tomorrow"
    : days === -1 ? "yesterday"
    : Math.abs(days) >= 14 && Math.abs(days) % 7 === 0 ? (days > 0 ? `in ${days / 7} weeks` : `${-days / 7} weeks ago`)
    : days > 0 ? `in ${days} days`
    : `${-days} days ago`;
  const gap = anchor ? daysBetween(anchor.iso, iso) : 0;
  const relative = !anchor ? "" : gap === 0 ? ` · on ${anchor.name}` : ` · ${Math.abs(gap)} day${Math.abs(gap) === 1 ? "" : "s"} ${gap < 0 ? "before" : "after"} ${anchor.name}`;
  return `${name} ${formatDate(iso, style, locale)} · ${when}${relative}`;
}

export type ParsedTime = { kind: "empty" } | { kind: "time"; hhmm: string } | { kind: "invalid"; message: string };

/** A time of day as typed: `22:00`, `2200`, `9:30`, `930`, `10pm`, `9:30 am`, `noon`, `midnight`. */
export function parseTime(text: string): ParsedTime {
  const typed = text.trim().toLowerCase().replace(/\s+/g, "");
  if (typed === "") return { kind: "empty" };
  if (typed === "noon") return { kind: "time", hhmm: "12:00" };
  if (typed === "midnight") return { kind: "time", hhmm: "00:00" };
  const m = /^(\d{1,2})(?::?(\d{2}))?(am|pm|a|p)?$/.exec(typed);
  const bad: ParsedTime = { kind: "invalid", message: `"${text.trim()}" is not a time: type 22:00, 2200 or 10pm.` };
  if (!m) return bad;
  let hours = Number(m[1]);
  const minutes = Number(m[2] ?? "0");
  const half = m[3]?.[0];
  if (half) {
    if (hours < 1 || hours > 12) return bad;
    hours = (hours % 12) + (half === "p" ? 12 : 0);
  }
  if (hours > 23 || minutes > 59) return bad;
  return { kind: "time", hhmm: `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}` };
}

// How this session shows and reads numeric dates, from Settings: ISO everywhere, or the order of the
// user's locale. Set once the settings load (App), and again when they are saved.
import type { DateFormat } from "../generated/ipc";
import { dateOrder, type DateOrder } from "./parse";

/** The user's locale, when Intl knows it (a session started with LANG=C says "C", which it does not). */
export function usableLocale(language: string | undefined): string {
  try {
    return Intl.getCanonicalLocales(language || "en-US")[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

export const datePreference = $state<{ style: "iso" | "locale"; locale: string }>({
  style: "iso",
  locale: usableLocale(typeof navigator === "undefined" ? undefined : navigator.language),
});

export function setDateFormat(format: DateFormat): void {
  datePreference.style = format === "locale" ? "locale" : "iso";
}

/** The order numeric dates are read in: the locale's when the user prefers it, else month/day. */
export function dateOrderNow(): DateOrder {
  return datePreference.style === "locale" ? dateOrder(datePreference.locale) : "mdy";
}

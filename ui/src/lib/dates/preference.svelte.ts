// How this session shows and reads numeric dates, from Settings: ISO everywhere, or the order of the
// user's locale. Set once the settings load (App), and again when they are saved.
import type { DateFormat } from "../generated/ipc";
import { dateOrder, type DateOrder } from "./parse";

export const datePreference = $state<{ style: "iso" | "locale"; locale: string }>({
  style: "iso",
  locale: typeof navigator === "undefined" ? "en-US" : navigator.language || "en-US",
});

export function setDateFormat(format: DateFormat): void {
  datePreference.style = format === "locale" ? "locale" : "iso";
}

/** The order numeric dates are read in: the locale's when the user prefers it, else month/day. */
export function dateOrderNow(): DateOrder {
  return datePreference.style === "locale" ? dateOrder(datePreference.locale) : "mdy";
}

// Applies the chosen theme as data-theme on <html>; "system" follows the OS and its changes.
import type { Theme } from "../generated/ipc";

const query = typeof window !== "undefined" ? window.matchMedia("(prefers-color-scheme: dark)") : null;
let chosen: Theme = "system";

export function resolveTheme(theme: Theme, osPrefersDark: boolean): "light" | "dark" {
  if (theme === "system") return osPrefersDark ? "dark" : "light";
  return theme;
}

function apply(): void {
  document.documentElement.dataset.theme = resolveTheme(chosen, query?.matches ?? false);
}

export function applyTheme(theme: Theme): void {
  chosen = theme;
  apply();
}

query?.addEventListener("change", apply);

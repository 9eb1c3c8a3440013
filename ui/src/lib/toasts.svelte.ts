// Short confirmations in the corner, some with an Undo; errors stay until dismissed.
import { toCommandError } from "./ipc";
export type ToastAction = { label: string; run: () => void | Promise<void> };
export type Toast = { id: number; kind: "info" | "error"; text: string; action?: ToastAction };

let next = 1;
export const toasts = $state<Toast[]>([]);

export function dismiss(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}

export function notify(text: string, kind: Toast["kind"] = "info", action?: ToastAction): void {
  const id = next++;
  toasts.push({ id, kind, text, action });
  // Long enough to reach an Undo with the keyboard; errors wait for the user.
  if (kind === "info") setTimeout(() => dismiss(id), action ? 8000 : 4000);
}

/// Shows what went wrong with a command, as the error toast every view uses.
export function notifyError(error: unknown): void {
  notify(toCommandError(error).message, "error");
}
